/** emulator/lambda/python.ts requirementsHint: an ImportModuleError for a module requirements.txt lists says where to install it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requirementsHint } from '../../../emulator/lambda/python.js';

const root = mkdtempSync(join(tmpdir(), 'requirements-hint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const codeDir = join(root, 'hello_world');
mkdirSync(codeDir);
writeFileSync(join(codeDir, 'requirements.txt'), '# deps\nrequests==2.32.0\naws-lambda-powertools[tracer]>=3\n  PyJWT ; python_version > "3.8"\npython-jose[cryptography]\nPyYAML\npython-dateutil\naws-wsgi==0.2.0\npython-json-logger==0.1.11\npycryptodome\nmysql-connector-python\n');
const spec = { codeDir, logicalId: 'HelloFunction' };
const rel = (p: string): string => relative(process.cwd(), p);
const HINT = ` (${rel(join(codeDir, 'requirements.txt'))} lists it: sam build, or pip install -r ${rel(join(codeDir, 'requirements.txt'))} -t ${rel(join(root, '.aws-sam', 'build', 'HelloFunction'))}, puts it where the function imports from)`;

describe('requirementsHint', () => {
  it.each([
    { given: "a module listed under its distribution's name (aws-lambda-powertools)", message: "Unable to import module 'app': No module named 'aws_lambda_powertools'", want: HINT },
    { given: 'a submodule of a listed module', message: "Unable to import module 'app': No module named 'requests.adapters'", want: HINT },
    { given: 'a listed name in another case (PyJWT, imported as pyjwt)', message: "Unable to import module 'app': No module named 'pyjwt'", want: HINT },
    { given: 'a distribution imported under another name (python-jose as jose)', message: "Unable to import module 'src/api/authorizer': No module named 'jose'", want: HINT },
    { given: 'PyJWT imported as jwt', message: "Unable to import module 'app': No module named 'jwt'", want: HINT },
    { given: 'PyYAML imported as yaml', message: "Unable to import module 'app': No module named 'yaml'", want: HINT },
    { given: 'a python- prefixed distribution (python-dateutil as dateutil)', message: "Unable to import module 'app': No module named 'dateutil'", want: HINT },
    { given: 'aws-wsgi imported as awsgi (a Flask app behind API Gateway)', message: "Unable to import module 'app/handlers/handler': No module named 'awsgi'", want: HINT },
    { given: 'python-json-logger imported as pythonjsonlogger', message: "Unable to import module 'app': No module named 'pythonjsonlogger'", want: HINT },
    { given: 'pycryptodome imported as Crypto', message: "Unable to import module 'app': No module named 'Crypto'", want: HINT },
    { given: 'mysql-connector-python imported as mysql', message: "Unable to import module 'app': No module named 'mysql'", want: HINT },
    {
      given: 'a module requirements.txt does not list by a name known here, nothing installed yet: perhaps one of its packages provides it',
      message: "Unable to import module 'app': No module named 'aurora_dsql_psycopg2'",
      want: ` (${rel(join(codeDir, 'requirements.txt'))} is not installed for this function: if one of its packages provides aurora_dsql_psycopg2, sam build, or pip install -r ${rel(join(codeDir, 'requirements.txt'))} -t ${rel(join(root, '.aws-sam', 'build', 'HelloFunction'))} puts it where the function imports from)`,
    },
    { given: 'another import failure', message: "Unable to import module 'app': cannot import name 'x' from 'y'", want: '' },
  ])('$given', ({ message, want }) => {
    expect(requirementsHint(message, spec, join(root, '.aws-sam', 'build'))).toBe(want);
  });

  it('says nothing of a module requirements.txt does not list once its packages are installed for the function (they do not provide it)', () => {
    const built = join(root, 'built', '.aws-sam', 'build');
    mkdirSync(join(built, 'HelloFunction'), { recursive: true });

    expect(requirementsHint("Unable to import module 'app': No module named 'toml'", spec, built)).toBe('');
    expect(requirementsHint("Unable to import module 'app': No module named 'yaml'", spec, built)).toBe(` (${rel(join(codeDir, 'requirements.txt'))} lists it: sam build, or pip install -r ${rel(join(codeDir, 'requirements.txt'))} -t ${rel(join(built, 'HelloFunction'))}, puts it where the function imports from)`);
  });

  it('names a layer sam build builds and has not built (a makefile layer), for a function without requirements.txt', () => {
    const layerDir = join(root, 'layer-src');
    const built = join(root, 'layered', '.aws-sam', 'build');
    const layered = { codeDir: root, logicalId: 'Authorizer', layers: [{ logicalId: 'DepsLayer', contentDir: layerDir, buildMethod: 'makefile' }, { logicalId: 'PlainLayer', contentDir: layerDir }] };

    const hint = requirementsHint("Unable to import module 'handlers.auth': No module named 'jose'", layered, built);
    mkdirSync(join(built, 'DepsLayer'), { recursive: true });

    expect(hint).toBe(` (the function's layer DepsLayer (BuildMethod makefile) is not built: sam build puts its packages in ${rel(built)}/<Layer>, where the function imports from)`);
    expect(requirementsHint("Unable to import module 'handlers.auth': No module named 'jose'", layered, built)).toBe('');
  });

  it.each([
    { given: 'a module file at the root of a layer without BuildMethod (a-poor/todo-together base-layer/todo_together.py)', files: ['shared_models.py'], buildMethod: undefined, want: 'root' },
    { given: 'a package folder at the root of such a layer', files: ['shared_models/__init__.py'], buildMethod: undefined, want: 'root' },
    { given: 'the module under the layer python/ folder, where Lambda imports it from', files: ['python/shared_models.py'], buildMethod: undefined, want: 'requirements' },
    { given: 'a layer with a python3.x BuildMethod (sam build moves its files into python/)', files: ['shared_models.py'], buildMethod: 'python3.12', want: 'requirements' },
  ])('$given', ({ files, buildMethod, want }) => {
    const layerDir = mkdtempSync(join(root, 'layer-'));
    for (const file of files) {
      mkdirSync(join(layerDir, file, '..'), { recursive: true });
      writeFileSync(join(layerDir, file), '');
    }
    const layered = { ...spec, layers: [{ logicalId: 'BaseLayer', contentDir: layerDir, ...(buildMethod ? { buildMethod } : {}) }] };

    const hint = requirementsHint("Unable to import module 'app': No module named 'shared_models'", layered, join(root, '.aws-sam', 'build'));

    expect(hint).toEqual(want === 'root' ? ` (shared_models is at the root of the function's layer BaseLayer (${rel(layerDir)}), which Lambda extracts to /opt, where Python does not import from: move it into the layer's python/ folder, or give the layer Metadata BuildMethod: python3.x so that sam build puts it there)` : expect.stringContaining('is not installed for this function'));
  });

  it('for a CDK asset folder, also says that cdk deploy uploads it as it is, so AWS fails as here without bundling', () => {
    // A Code.fromAsset folder with requirements.txt and no bundling (serverless-patterns apigw-rest-api-dynamodb-lambda-cdk).
    const asset = join(root, 'cdk.out', `asset.${'ab'.repeat(32)}`);
    mkdirSync(asset, { recursive: true });
    writeFileSync(join(asset, 'requirements.txt'), 'aws-lambda-powertools\n');

    const hint = requirementsHint("Unable to import module 'messageHandler': No module named 'aws_lambda_powertools'", { codeDir: asset, logicalId: 'Function' }, join(root, 'cdk.out', '.aws-sam', 'build'));

    expect(hint).toMatch(/ lists it: sam build, or pip install -r .* puts it where the function imports from; a CDK asset is deployed as it is, so unless the app bundles its requirements \(PythonFunction, Code\.fromAsset bundling\) this fails on AWS as here\)$/);
  });

  it.each([
    // kattakaha/sam-python312-template: pyproject.toml at the project root, CodeUri src (poetry export writes src/requirements.txt).
    { given: 'a pyproject.toml above the code folder', file: 'pyproject.toml', export: ': export its dependencies to a requirements.txt there' },
    { given: 'a requirements.txt above the code folder (AaronMMC/LiftLink backend)', file: 'requirements.txt', export: '' },
  ])('for a code folder without requirements.txt, names $given, which sam build does not read for it', ({ file, export: tail }) => {
    const project = mkdtempSync(join(root, 'project-'));
    mkdirSync(join(project, 'src', 'handlers'), { recursive: true });
    writeFileSync(join(project, file), '');

    const hint = requirementsHint("Unable to import module 'app': No module named 'aws_lambda_powertools'", { codeDir: join(project, 'src', 'handlers'), logicalId: 'ApiHandler' }, join(project, '.aws-sam', 'build'));

    expect(hint).toBe(` (its code folder ${rel(join(project, 'src', 'handlers'))} has no requirements.txt, the one file sam build installs a Python function's packages from; ${rel(join(project, file))} is outside that folder and not read for it${tail})`);
  });

  describe.each([
    { given: 'with a requirements.txt that does not list it', codeDir },
    { given: 'without requirements.txt', codeDir: root },
  ])('a module of a function $given, whose layer of the template has no content folder (a script makes it before sam build)', ({ codeDir: folder }) => {
    const core = { logicalId: 'CoreLibs', contentDir: join(root, 'layer', 'core') };
    const libs = { logicalId: 'PythonLibs', contentDir: join(root, 'layer', 'python_libs') };

    it.each([
      { layers: [core], want: `layer CoreLibs (${rel(core.contentDir)}) has no content folder, so it runs without it: if models comes from that layer` },
      { layers: [core, libs], want: `layers CoreLibs (${rel(core.contentDir)}), PythonLibs (${rel(libs.contentDir)}) have no content folder, so it runs without them: if models comes from one` },
    ])('names the layers ($layers.length) it may come from, not requirements.txt', ({ layers, want }) => {
      const hint = requirementsHint("Unable to import module 'create': No module named 'models'", { codeDir: folder, logicalId: 'CreateTodo', absentLayers: layers }, join(root, '.aws-sam', 'build'));

      expect(hint).toBe(` (the function's ${want}, create the folder with models in its python/ subfolder, where Lambda's Python imports a layer's modules from, and restart)`);
    });
  });

  it('names requirements.txt, not an absent layer, for a module it lists', () => {
    const hint = requirementsHint("Unable to import module 'app': No module named 'requests'", { ...spec, absentLayers: [{ logicalId: 'CoreLibs', contentDir: join(root, 'layer', 'core') }] }, join(root, '.aws-sam', 'build'));

    expect(hint).toBe(HINT);
  });

  it('says nothing for a function without requirements.txt', () => {
    expect(requirementsHint("Unable to import module 'app': No module named 'requests'", { codeDir: root, logicalId: 'Other' }, join(root, '.aws-sam', 'build'))).toBe('');
  });
});
