/**
 * Python functions: which local interpreter runs a `pythonX.Y` Runtime, and the runtime interface client it runs
 * (python-bootstrap.py). Lambda gives each runtime its own Python; here it is the one on PATH: `python3.12` for
 * Runtime python3.12 when that command works, else `python3`, with the packages installed for it (boto3 among them
 * when present, as Lambda provides it).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsLayer } from '../template/aws-layers.js';
import type { FunctionSpec, LayerSpec } from '../template/model.js';

export { isPythonRuntime } from '../template/functions.js';

export interface PythonInterpreter {
  /** As found on PATH (python3.12, python3). */
  command: string;
  /** e.g. 3.11.7 */
  version: string;
  /** The interpreter's own path (sys.executable), which environments run. */
  executable: string;
}

/**
 * The command's Python version and executable, or undefined when it does not run (not installed, a pyenv shim with no
 * such version). Environments then start the executable itself: a shim costs hundreds of ms at every start.
 */
function probe(command: string): Promise<PythonInterpreter | undefined> {
  return new Promise((resolve) => {
    const script = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)';
    execFile(command, ['-c', script], { timeout: 10_000 }, (error, stdout) => {
      const match = /^(\d+\.\d+\.\d+)\n(.+)\n?$/.exec(stdout);
      resolve(error || !match ? undefined : { command, version: match[1]!, executable: match[2]! });
    });
  });
}

const found = new Map<string, Promise<PythonInterpreter | undefined>>();

/** The interpreter for a Runtime such as python3.12: asked once per runtime and gateway. */
export function findPython(runtime: string): Promise<PythonInterpreter | undefined> {
  let lookup = found.get(runtime);
  if (!lookup) {
    const exact = /^python(\d+\.\d+)$/.exec(runtime)?.[1];
    const candidates = [...(exact ? [`python${exact}`] : []), 'python3'];
    lookup = (async () => {
      for (const command of candidates) {
        const interpreter = await probe(command);
        if (interpreter) return interpreter;
      }
      return undefined;
    })();
    found.set(runtime, lookup);
  }
  return lookup;
}

/** The bootstrap beside this module: emulator/lambda/ from sources, dist/lambda/ once built (code bundled at dist/). */
export function pythonBootstrap(): string {
  const source = fileURLToPath(new URL('./python-bootstrap.py', import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL('./lambda/python-bootstrap.py', import.meta.url));
}

/**
 * Where else the function's imports resolve, after its code: `sam build`'s output for it (its requirements.txt
 * installed there), when present in the stack's sam build folder (build-output.ts samBuildDir).
 */
export function pythonExtraPaths(spec: FunctionSpec, samBuildDir: string): string[] {
  const built = join(samBuildDir, spec.logicalId);
  return existsSync(built) ? [built] : [];
}

/** A requirement's name as pip compares them (PEP 503): case and runs of `-`, `_`, `.` do not matter. */
const normalized = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '_');

/**
 * Distributions whose top-level module has another name (normalized distribution -> module), among those SAM apps
 * list: python-jose is imported as `jose` (serverless-samples' queue-based-ingestion authorizer), PyJWT as `jwt`...
 */
const MODULE_OF: Record<string, string> = {
  pyjwt: 'jwt',
  pyyaml: 'yaml',
  beautifulsoup4: 'bs4',
  pillow: 'pil',
  scikit_learn: 'sklearn',
  opencv_python: 'cv2',
  opencv_python_headless: 'cv2',
  psycopg2_binary: 'psycopg2',
  attrs: 'attr',
  protobuf: 'google',
  pymupdf: 'fitz',
  // WSGI adapters and the packages beside them in Flask apps on Lambda (jerep6/xke-serverless python-flash: aws-wsgi as awsgi).
  aws_wsgi: 'awsgi',
  python_json_logger: 'pythonjsonlogger',
  dnspython: 'dns',
  pycryptodome: 'crypto',
  pycryptodomex: 'cryptodome',
  pyopenssl: 'openssl',
  pynacl: 'nacl',
  mysqlclient: 'mysqldb',
  mysql_connector_python: 'mysql',
  google_api_python_client: 'googleapiclient',
  google_generativeai: 'google',
  python_telegram_bot: 'telegram',
  discord_py: 'discord',
  websocket_client: 'websocket',
  pygithub: 'github',
  pinecone_client: 'pinecone',
  opensearch_py: 'opensearchpy',
  faiss_cpu: 'faiss',
  scikit_image: 'skimage',
};

/** The module names a requirement provides: its own, the known one, and without a `python-` prefix (python-dateutil, python-dotenv). */
function modulesOf(requirement: string): string[] {
  const name = normalized(requirement);
  return [name, ...(MODULE_OF[name] ? [MODULE_OF[name]] : []), ...(name.startsWith('python_') ? [name.slice('python_'.length)] : [])];
}

/**
 * For an ImportModuleError whose missing module the function's requirements.txt lists: where to install it so that
 * the function imports it here (what `sam build` does). For a module it does not list by any name known here, while
 * nothing of it is installed for the function yet: the same, as a possibility (a distribution may provide a module of
 * an unrelated name, aurora-dsql-python-connector's `aurora_dsql_psycopg2`). '' otherwise. It follows Lambda's
 * message, as worker.ts's SDK hint does.
 */
export function requirementsHint(errorMessage: string, spec: Pick<FunctionSpec, 'codeDir' | 'logicalId' | 'layers' | 'awsLayers' | 'absentLayers'>, samBuildDir: string): string {
  const module = /No module named '([^'.]+)/.exec(errorMessage)?.[1];
  if (!module) return '';
  return fromAwsLayer(module, spec, samBuildDir) || atLayerRoot(module, spec.layers) || fromRequirements(module, spec, samBuildDir) || unbuiltLayers(spec.layers, samBuildDir) || awsOnlyLayers(module, spec.awsLayers);
}

/**
 * The hint for a module at the root of a layer that `sam build` copies as it is (no BuildMethod), or ''. Lambda
 * extracts a layer to /opt and its Python imports from /opt/python and its site-packages, never /opt itself, so
 * `<ContentUri>/mod.py` fails to import there as here; with a python3.x BuildMethod, sam build moves it into python/.
 */
function atLayerRoot(module: string, layers: LayerSpec[] | undefined): string {
  const layer = (layers ?? []).find((l) => l.buildMethod === undefined && [`${module}.py`, module].some((name) => existsSync(join(l.contentDir, name))));
  if (!layer) return '';
  return ` (${module} is at the root of the function's layer ${layer.logicalId} (${relative(process.cwd(), layer.contentDir)}), which Lambda extracts to /opt, where Python does not import from: move it into the layer's python/ folder, or give the layer Metadata BuildMethod: python3.x so that sam build puts it there)`;
}

/** The hint for a module a known AWS-published layer of the function provides (Powertools' aws_lambda_powertools), or ''. */
function fromAwsLayer(module: string, spec: Pick<FunctionSpec, 'logicalId' | 'awsLayers'>, samBuildDir: string): string {
  for (const arn of spec.awsLayers ?? []) {
    const python = awsLayer(arn)?.python;
    if (python?.module !== normalized(module)) continue;
    const target = relative(process.cwd(), join(samBuildDir, spec.logicalId));
    return ` (${module} comes from the function's layer ${arn}, which exists only on AWS: pip install ${python.distribution} -t ${target} puts it where the function imports from)`;
  }
  return '';
}

/** For a module nothing local accounts for: the function's layers that exist only on AWS may provide it; '' without any. */
function awsOnlyLayers(module: string, arns: string[] | undefined): string {
  if (!arns || arns.length === 0) return '';
  const named = arns.length === 1 ? `layer ${arns[0]} exists` : `layers ${arns.join(', ')} exist`;
  return ` (the function's ${named} only on AWS: if ${module} comes from one, install the package that provides it in the function's folder)`;
}

/** A CDK asset folder of a cloud assembly (`asset.<sha256>`), as `cdk synth` stages a Code.fromAsset folder. */
const CDK_ASSET = /^asset\.[0-9a-f]{64}$/;

/** Files that declare a Python project's packages, which `sam build` reads only as requirements.txt in the CodeUri folder. */
const DEPENDENCY_FILES = ['requirements.txt', 'pyproject.toml', 'Pipfile'];

/**
 * For a function whose code folder has no requirements.txt: the dependency file nearest above it, up to the template's
 * folder (the `.aws-sam` one's parent), which `sam build` does not read for it, so its packages are missing on
 * Lambda as here (kattakaha/sam-python312-template: pyproject.toml at the root, CodeUri src). '' when there is none.
 */
function outsideRequirements(spec: Pick<FunctionSpec, 'codeDir'>, samBuildDir: string): string {
  const top = dirname(dirname(samBuildDir));
  for (let dir = dirname(spec.codeDir); relative(top, dir) === '' || !relative(top, dir).startsWith('..'); dir = dirname(dir)) {
    const found = DEPENDENCY_FILES.map((name) => join(dir, name)).find((file) => existsSync(file));
    if (found) return ` (its code folder ${relative(process.cwd(), spec.codeDir) || '.'} has no requirements.txt, the one file sam build installs a Python function's packages from; ${relative(process.cwd(), found)} is outside that folder and not read for it${basename(found) === 'requirements.txt' ? '' : ': export its dependencies to a requirements.txt there'})`;
    if (dir === top || dirname(dir) === dir) break;
  }
  return '';
}

/**
 * For a module nothing installed accounts for, the function's layers whose content folder does not exist (a script of
 * the project often copies its shared modules there before sam build): the module may be one of theirs, which the
 * function runs without here; '' when there is none.
 */
function absentLayers(module: string, layers: LayerSpec[] | undefined): string {
  if (!layers || layers.length === 0) return '';
  const named = layers.map((layer) => `${layer.logicalId} (${relative(process.cwd(), layer.contentDir)})`).join(', ');
  const which = layers.length === 1 ? `layer ${named} has` : `layers ${named} have`;
  return ` (the function's ${which} no content folder, so it runs without ${layers.length === 1 ? 'it' : 'them'}: if ${module} comes from ${layers.length === 1 ? 'that layer' : 'one'}, create the folder with ${module} in its python/ subfolder, where Lambda's Python imports a layer's modules from, and restart)`;
}

/** The hint of the function's own requirements.txt, or ''. */
function fromRequirements(module: string, spec: Pick<FunctionSpec, 'codeDir' | 'logicalId' | 'absentLayers'>, samBuildDir: string): string {
  const file = join(spec.codeDir, 'requirements.txt');
  if (!existsSync(file)) return absentLayers(module, spec.absentLayers) || outsideRequirements(spec, samBuildDir);
  const listed = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined)
    .flatMap(modulesOf);
  const requirements = relative(process.cwd(), file);
  const built = join(samBuildDir, spec.logicalId);
  const target = relative(process.cwd(), built);
  const install = `sam build, or pip install -r ${requirements} -t ${target}`;
  // cdk deploy uploads an asset folder as it is: its requirements are installed only by the app's own bundling.
  const deployed = CDK_ASSET.test(basename(spec.codeDir)) ? '; a CDK asset is deployed as it is, so unless the app bundles its requirements (PythonFunction, Code.fromAsset bundling) this fails on AWS as here' : '';
  if (listed.includes(normalized(module))) return ` (${requirements} lists it: ${install}, puts it where the function imports from${deployed})`;
  return absentLayers(module, spec.absentLayers) || (existsSync(built) ? '' : ` (${requirements} is not installed for this function: if one of its packages provides ${module}, ${install} puts it where the function imports from)`);
}

/**
 * The function's layers that `sam build` builds (a BuildMethod, `makefile` included) and has not built: their
 * packages exist only in its output, so the module may be one of them; '' when there is none.
 */
function unbuiltLayers(layers: LayerSpec[] | undefined, samBuildDir: string): string {
  const unbuilt = (layers ?? []).filter((layer) => layer.buildMethod !== undefined && !existsSync(join(samBuildDir, layer.logicalId)));
  if (unbuilt.length === 0) return '';
  const names = unbuilt.map((layer) => `${layer.logicalId} (BuildMethod ${layer.buildMethod})`).join(', ');
  return ` (the function's ${unbuilt.length === 1 ? `layer ${names} is` : `layers ${names} are`} not built: sam build puts its packages in ${relative(process.cwd(), samBuildDir)}/<Layer>, where the function imports from)`;
}

/**
 * Lambda runs the zip `sam build` makes of the CodeUri folder alone: a module the function reached outside it (its own
 * sys.path entry to ../shared, a PYTHONPATH folder) is not there, and every invocation fails with
 * Runtime.ImportModuleError. Here the function runs from its source folder, where that import resolves: '' when none.
 */
export function outsideCodeNotice(spec: Pick<FunctionSpec, 'logicalId' | 'codeDir'>, outside: [string, string][]): string {
  if (outside.length === 0) return '';
  const named = outside.map(([name, file]) => `${name} (${relative(process.cwd(), file)})`).join(', ');
  return `${spec.logicalId}: imports ${named} from outside its code folder ${relative(process.cwd(), spec.codeDir) || '.'}: sam build packages only that folder, so on Lambda ${outside.length === 1 ? 'this import fails' : 'these imports fail'} (Runtime.ImportModuleError: No module named '${outside[0]![0]}'), where here ${outside.length === 1 ? 'it resolves' : 'they resolve'} from the source tree; put ${outside.length === 1 ? 'it' : 'them'} in the code folder or a layer`;
}

/**
 * What the startup report says of each Python Runtime: the local interpreter that runs it (with a warning when its
 * minor version differs) or that none was found.
 */
export function pythonNotes(interpreters: Map<string, PythonInterpreter | undefined>): string[] {
  return [...interpreters].map(([runtime, interpreter]) => {
    if (!interpreter) return `${runtime}: no python3 on PATH; its functions fail (500) until one is installed`;
    const line = `${runtime}: runs on the local Python ${interpreter.version} (${interpreter.command}, with its installed packages)`;
    // A pyenv shim of a version not activated fails as if absent: saying which command was tried says what to fix.
    return interpreter.version.startsWith(`${runtime.slice('python'.length)}.`) ? line : `${line}; WARNING: not ${runtime} (no ${runtime} command on PATH that runs: install it, or activate it, e.g. pyenv global/shell), behaviour that differs between Python versions is not emulated`;
  });
}
