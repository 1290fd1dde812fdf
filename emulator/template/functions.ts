/** AWS::Serverless::Function and AWS::Lambda::Function → FunctionSpec, with SAM's Globals and `sam build` esbuild metadata. */
import { applyEventInvokeConfigs, asyncInvokeOf } from './async-config.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { TemplateError, type FunctionBuild, type FunctionSpec, type LayerSpec } from './model.js';
import { applyGlobals } from './globals.js';
import { cdkAssetSource } from './cdk-assets.js';
import { extractCodeArchive, isCodeArchive } from './code-archive.js';
import { awsLayer } from './aws-layers.js';
import { functionLayers } from './layers.js';
import { imageAsZip } from './image-functions.js';
import { referencedFunction } from './permissions.js';
import type { Stack } from './stack.js';
import { withArticle } from './article.js';
import { memorySizeMb, timeoutSeconds } from './function-sizes.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a function's reason for not running points, and the reason without it: the key it names itself
 * (`Resources.Fn.Properties.CodeUri src/ does not exist`), else the function's resource, so that a message never says
 * `Resources.Fn: Resources.Fn.Properties.CodeUri ...`.
 */
export function unavailableAt(logicalId: string, reason: string): [key: string, detail: string] {
  const end = reason.indexOf(' ');
  if (!reason.startsWith(`Resources.${logicalId}.`) || end === -1) return [`Resources.${logicalId}`, reason];
  return [reason.slice(0, end).replace(/:$/, ''), reason.slice(end + 1)];
}

/**
 * Every function of the template: AWS::Serverless::Function (CodeUri, InlineCode) and AWS::Lambda::Function
 * (Code.ZipFile, a local Code path, or a CDK asset). One whose code cannot run here stays in the map with
 * `unavailable` set, so that its routes are reported as not emulated instead of refusing to start.
 */
export function loadFunctions(stack: Stack, globals: unknown, warnings: string[]): Map<string, FunctionSpec> {
  const out = new Map<string, FunctionSpec>();
  for (const [id, res] of Object.entries(stack.resources)) {
    let spec: FunctionSpec | undefined;
    const props = res.Type === 'AWS::Serverless::Function' ? applyGlobals(globals, 'Function', res.Properties) : res.Properties;
    if (res.Type === 'AWS::Serverless::Function') spec = samFunction(stack, id, props, res.Metadata, warnings);
    if (res.Type === 'AWS::Lambda::Function') spec = lambdaFunction(stack, id, props, res.Metadata, warnings);
    if (!spec) continue;
    const awsOnly: string[] = [];
    const absent: LayerSpec[] = [];
    const layers = spec.unavailable ? [] : functionLayers(stack, id, props.Layers, warnings, awsOnly, absent);
    if (layers.length > 0) spec.layers = layers;
    if (awsOnly.length > 0) spec.awsLayers = awsOnly;
    if (absent.length > 0) spec.absentLayers = absent;
    const adapter = behindWebAdapter(awsOnly, props);
    if (adapter) spec.unavailable = adapter;
    if (spec.unavailable) warnings.push(`${unavailableAt(id, spec.unavailable).join(': ')}; ${spec.invocationsFail ? 'each invocation fails, as on Lambda (502 on a REST API and a function URL, 500 on an HTTP API)' : 'the routes that invoke it are not emulated'}`);
    // AWS retired go1.x (no new functions since 2024); the binary still runs here, through the runtime API it also speaks.
    if (spec.runtime === 'go1.x' && !spec.unavailable) warnings.push(`Resources.${id}.Properties.Runtime: go1.x is deprecated and AWS no longer creates or updates go1.x functions: use provided.al2023 with Handler bootstrap and Metadata.BuildMethod go1.x (runs here either way)`);
    const deprecated = DEPRECATED_RUNTIMES[spec.runtime];
    if (deprecated && !spec.unavailable) warnings.push(`Resources.${id}.Properties.Runtime: ${spec.runtime} is deprecated on Lambda since ${deprecated}, and AWS blocks creating and then updating functions on a deprecated runtime (a deploy fails): move to a supported runtime (it runs here either way)`);
    if (!spec.unavailable) warnings.push(...notAppliedProperties(id, props));
    const mounts = efsMounts(stack, id, props);
    if (mounts.length > 0) spec.efsMounts = mounts;
    const oversized = environmentBytesOverLimit(spec.environment);
    if (oversized) warnings.push(`Resources.${id}.Properties.Environment: the variables take ${oversized} bytes, over the ${ENVIRONMENT_LIMIT_BYTES} Lambda allows for a function's environment: a deploy would fail; here they are set as given`);
    const asyncInvoke = asyncInvokeOf(stack, id, props, res.Type === 'AWS::Serverless::Function', warnings);
    if (asyncInvoke) spec.asyncInvoke = asyncInvoke;
    const namesake = [...out.values()].find((f) => f.functionName === spec.functionName);
    if (namesake) {
      warnings.push(`Resources.${id}.Properties.FunctionName: "${spec.functionName}" is ${namesake.logicalId}'s name too (CloudFormation would refuse it: a function's name is unique); an integration naming it by ARN reaches ${namesake.logicalId}`);
    }
    const alias = res.Type === 'AWS::Serverless::Function' ? prop(stack, props, id, 'AutoPublishAlias') : undefined;
    if (typeof alias === 'string' && alias !== '') spec.qualifiers = ['1', alias];
    out.set(id, spec);
  }
  applyEventInvokeConfigs(stack, out, warnings);
  applyVersionsAndAliases(stack, out);
  return out;
}

/** AWS::Lambda::Version and AWS::Lambda::Alias resources: the qualifiers their function answers to (every version is 1 here). */
function applyVersionsAndAliases(stack: Stack, functions: Map<string, FunctionSpec>): void {
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Lambda::Version' && res.Type !== 'AWS::Lambda::Alias') continue;
    const fn = functions.get(referencedFunction(res.Properties.FunctionName, functions) ?? '');
    if (!fn) continue;
    const name = res.Type === 'AWS::Lambda::Alias' ? stack.resolve(res.Properties.Name, `Resources.${id}.Properties.Name`) : undefined;
    fn.qualifiers = [...new Set([...(fn.qualifiers ?? []), '1', ...(typeof name === 'string' ? [name] : [])])];
  }
}

/**
 * The runtimes that run here which Lambda had deprecated by December 2026, each with its deprecation date (Lambda
 * Developer Guide, "Lambda runtimes", deprecated runtimes; for the oldest, its "Runtime support policy" table: phase 1,
 * or the one date it gives). nodejs20.x, python3.10 and python3.11 had dates planned for 2026 that could not be
 * confirmed as kept, so they are left out; go1.x has its own note.
 */
const DEPRECATED_RUNTIMES: Record<string, string> = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2020-03-06',
  'nodejs4.3-edge': '2019-04-30',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
};

/** Function properties whose effect on AWS a local run lacks, each with what the function sees instead. */
const NOT_APPLIED: Record<string, string> = {
  FileSystemConfigs: 'no EFS locally: its LocalMountPath (/mnt/...) is not mounted, the function sees this machine\'s file system',
  DurableConfig: 'durable execution is not emulated: the function is invoked with the plain event, which a durable execution SDK refuses',
  CapacityProviderConfig: 'Lambda Managed Instances are not emulated: each environment runs one invocation at a time (no PerExecutionEnvironmentMaxConcurrency: module state and /tmp are not shared between concurrent invocations)',
  VpcConfig: "no VPC locally: the function reaches this machine's network (on AWS, only the VPC's)",
  Tracing: 'X-Ray is not emulated: the function gets a trace header and the X-Ray variables, and nothing collects its segments',
  TracingConfig: 'X-Ray is not emulated: the function gets a trace header and the X-Ray variables, and nothing collects its segments',
};

/**
 * Why a function behind the Lambda Web Adapter cannot run here: with AWS_LAMBDA_EXEC_WRAPPER /opt/bootstrap the
 * adapter (a layer that exists only on AWS) starts the Handler, a script, as a web server and forwards each event to
 * it over HTTP; a runtime started on that Handler only fails to import it.
 */
function behindWebAdapter(awsOnly: string[], props: Record<string, unknown>): string | undefined {
  const arn = awsOnly.find((a) => awsLayer(a)?.webAdapter);
  const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
  if (arn === undefined || variables?.AWS_LAMBDA_EXEC_WRAPPER !== '/opt/bootstrap') return undefined;
  return `it runs behind the Lambda Web Adapter (layer ${arn}, AWS_LAMBDA_EXEC_WRAPPER /opt/bootstrap), which exists only on AWS: the adapter starts its Handler ${JSON.stringify(props.Handler)} as a web server and forwards each event to it over HTTP, and is not run locally`;
}

function notAppliedProperties(id: string, props: Record<string, unknown>): string[] {
  const notes = Object.entries(NOT_APPLIED).filter(([name]) => props[name] !== undefined && props[name] !== null).map(([name, why]) => `Resources.${id}.Properties.${name}: ${why}`);
  const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
  if (variables && typeof variables === 'object' && 'AWS_LAMBDA_EXEC_WRAPPER' in variables) {
    notes.push(`Resources.${id}.Properties.Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER: wrapper scripts are not run locally: the runtime starts the handler itself`);
  }
  return notes;
}

/** The LocalMountPath of each FileSystemConfigs entry (where the function expects its EFS file system). */
function efsMounts(stack: Stack, id: string, props: Record<string, unknown>): string[] {
  const configs = prop(stack, props, id, 'FileSystemConfigs');
  if (!Array.isArray(configs)) return [];
  return configs.flatMap((c: unknown) => (typeof c === 'object' && c !== null && typeof (c as { LocalMountPath?: unknown }).LocalMountPath === 'string' ? [(c as { LocalMountPath: string }).LocalMountPath.replace(/\/+$/, '')] : []));
}

function prop(stack: Stack, props: Record<string, unknown>, id: string, name: string): unknown {
  return props[name] === undefined ? undefined : stack.resolve(props[name], `Resources.${id}.Properties.${name}`);
}

/** python3.12 and the like: run by the local Python (emulator/lambda/python.ts). */
export const isPythonRuntime = (runtime: string): boolean => /^python\d/.test(runtime);

/**
 * The shapes of Lambda's runtime identifiers, current and retired (nodejs20.x, java8.al2, dotnetcore3.1, ruby3.3...),
 * and `custom`, a customer-managed runtime named by RuntimeConfig (its runtime lives on AWS: not run here).
 */
const LAMBDA_RUNTIME = /^(nodejs(\d+\.x)?|nodejs\d+\.\d+|python\d\.\d+|java\d+(\.al2)?|dotnet\d+|dotnetcore\d\.\d|ruby\d\.\d+|go1\.x|provided(\.al2|\.al2023)?|custom)$/;

/** OS-only runtimes that start the code's own `bootstrap` (emulator/lambda/runtime-api.ts), and the retired go1.x. */
export const isCustomRuntime = (runtime: string): boolean => /^provided(\.al2|\.al2023)?$/.test(runtime) || runtime === 'go1.x';

/** Where a function's code is: a local directory, inline source, or nowhere locally (and why). */
type Code = { codeDir: string; inlineCode?: string; unavailable?: string; invocationsFail?: boolean };

function localDir(stack: Stack, path: string, key: string): Code {
  const codeDir = isAbsolute(path) ? path : resolvePath(dirname(stack.file), path);
  // Often a build output that `sam build` or a Makefile writes: the function cannot run yet, the rest of the API can.
  if (!existsSync(codeDir)) return { codeDir: dirname(stack.file), unavailable: `${key} ${path} does not exist (build it first)`, invocationsFail: true };
  if (statSync(codeDir).isDirectory()) return { codeDir };
  // A single source file: `sam package` zips it alone, so it sits at the root of the code, as in its own folder.
  if (/\.((c|m)?js|py)$/.test(codeDir)) return { codeDir: dirname(codeDir) };
  // A .zip or .jar: the package AWS deploys as it is, run by `sam local` from its extracted contents (code-archive.ts).
  if (isCodeArchive(codeDir)) {
    try {
      return { codeDir: extractCodeArchive(codeDir) };
    } catch (error) {
      return { codeDir, unavailable: `${key} ${path} cannot be extracted: ${(error as Error).message}` };
    }
  }
  return { codeDir, unavailable: `${key} ${path} is a file, not a folder, a .zip or .jar archive, or a .js/.py source` };
}

function samCode(stack: Stack, id: string, props: Record<string, unknown>, metadata: unknown): Code {
  const key = `Resources.${id}.Properties`;
  const templateDir = dirname(stack.file);
  if (props.PackageType === 'Image') {
    const image = imageAsZip(stack, id, props, metadata);
    return { codeDir: templateDir, unavailable: `a container image function (PackageType Image) cannot run locally${'unavailable' in image ? `: ${image.unavailable}` : ''}` };
  }
  const inline = prop(stack, props, id, 'InlineCode');
  if (inline !== undefined) return { codeDir: templateDir, inlineCode: String(inline) };
  // A CDK-style asset on a SAM function (`aws:asset:property: CodeUri`): the local folder it names is the code.
  const asset = isRecord(metadata) && metadata['aws:asset:property'] === 'CodeUri' ? metadata['aws:asset:path'] : undefined;
  if (typeof asset === 'string') return assetCode(stack, id, asset);
  const codeUri = prop(stack, props, id, 'CodeUri') ?? '.';
  if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) {
    return { codeDir: templateDir, unavailable: `its code is on S3 (CodeUri ${JSON.stringify(codeUri)}) and cannot run locally` };
  }
  return localDir(stack, codeUri, `${key}.CodeUri`);
}

/** Code.ZipFile; Code as a local path (`aws cloudformation package` input); a CDK asset (Metadata aws:asset:path, relative to the template). */
function lambdaCode(stack: Stack, id: string, props: Record<string, unknown>, metadata: unknown, warnings: string[]): Code {
  const key = `Resources.${id}.Properties.Code`;
  const templateDir = dirname(stack.file);
  const asset = isRecord(metadata) && (metadata['aws:asset:property'] ?? 'Code') === 'Code' ? metadata['aws:asset:path'] : undefined;
  const zipped = isRecord(props.Code) && props.Code.ZipFile === undefined && props.Code.ImageUri === undefined && props.PackageType !== 'Image';
  // A CDK asset's S3Bucket/S3Key name the upload CDK makes (parameters of the old synthesizer, which trimmed templates
  // lack): the code is the local folder, and the S3 location is not read.
  if (typeof asset === 'string' && zipped) return assetCode(stack, id, asset);
  const code = prop(stack, props, id, 'Code');
  if (props.PackageType === 'Image' || (isRecord(code) && code.ImageUri !== undefined)) {
    return { codeDir: templateDir, unavailable: 'a container image function cannot run locally' };
  }
  if (typeof code === 'string') return localDir(stack, code, key);
  if (!isRecord(code)) {
    // CloudFormation refuses a function without Code; the SAM CLI runs it from CodeUri or the template's folder, and so
    // does the gateway, saying so.
    const codeUri = prop(stack, props, id, 'CodeUri');
    const path = typeof codeUri === 'string' ? codeUri : '.';
    const was = codeUri === undefined ? 'no Code' : 'no Code (CodeUri is a property of AWS::Serverless::Function)';
    warnings.push(`${key}: ${was}: CloudFormation would refuse it; locally its code is read from ${path === '.' ? "the template's folder" : path}, as the SAM CLI reads it`);
    return localDir(stack, path, codeUri === undefined ? key : `Resources.${id}.Properties.CodeUri`);
  }
  if (code.ZipFile !== undefined) return { codeDir: templateDir, inlineCode: String(code.ZipFile) };
  // A CDK template synthesized without asset metadata: the asset manifest beside it names the folder the key was built from.
  const source = cdkAssetSource(stack.file, code.S3Key);
  if (source !== undefined && statSync(source).isDirectory()) return localDir(stack, source, `${key}.S3Key`);
  return { codeDir: templateDir, unavailable: `its code is on S3 (s3://${String(code.S3Bucket)}/${String(code.S3Key)}) and cannot run locally` };
}

function assetCode(stack: Stack, id: string, asset: string): Code {
  const templateDir = dirname(stack.file);
  if (!existsSync(resolvePath(templateDir, asset))) return { codeDir: templateDir, unavailable: `its CDK asset ${asset} is not next to the template (run cdk synth)` };
  return localDir(stack, asset, `Resources.${id}.Metadata.aws:asset:path`);
}

/**
 * A function whose Runtime is neither Node.js nor Python (java21, dotnet8, provided.al2023 with a `bootstrap`
 * handler, ...) is accounted for before its code is looked at: its handler and code follow another language's rules,
 * and it cannot run here whatever they are.
 */
function foreignRuntime(stack: Stack, id: string, props: Record<string, unknown>): Code | undefined {
  const runtime = String(prop(stack, props, id, 'Runtime') ?? '');
  const runs = runtime === '' || runtime.startsWith('nodejs') || isPythonRuntime(runtime) || isCustomRuntime(runtime);
  if (runs) return undefined;
  // A typo (provided.al2023023 is in public samples) is no runtime at all: CloudFormation refuses the function.
  if (!LAMBDA_RUNTIME.test(runtime)) return { codeDir: dirname(stack.file), unavailable: `Runtime ${runtime} is not a Lambda runtime (CloudFormation refuses the function)` };
  return { codeDir: dirname(stack.file), unavailable: `Runtime ${runtime} cannot run locally (Node.js, Python and custom runtimes with a bootstrap only)` };
}

function samFunction(stack: Stack, id: string, props: Record<string, unknown>, metadata: unknown, warnings: string[]): FunctionSpec {
  // An image built from a Lambda base image holds what a zip function of its runtime would: run as one (image-functions.ts).
  const image = props.PackageType === 'Image' ? imageAsZip(stack, id, props, metadata) : undefined;
  if (image && 'runtime' in image) {
    warnings.push(image.note);
    props = { ...props, PackageType: 'Zip', Runtime: image.runtime, Handler: image.handler, CodeUri: image.codeUri };
  }
  const spec = functionSpec(stack, id, props, foreignRuntime(stack, id, props) ?? samCode(stack, id, props, metadata), warnings);
  if (isCustomRuntime(spec.runtime)) {
    const method = spec.unavailable ? undefined : customBuild(id, spec.runtime, metadata, warnings);
    if (method) spec.customBuild = method;
    if (method === 'makefile') spec.makefile = makefileDirs(stack, metadata);
    return spec;
  }
  // A Makefile builds it, whatever the runtime: run here as `sam build` runs it (lambda/custom-runtime.ts).
  if (!spec.unavailable && spec.inlineCode === undefined && isRecord(metadata) && metadata.BuildMethod === 'makefile') {
    spec.customBuild = 'makefile';
    spec.makefile = makefileDirs(stack, metadata);
    return spec;
  }
  // Python code runs as it is: there is nothing to compile (its requirements come from the local Python or `sam build`).
  const build = spec.unavailable || spec.inlineCode !== undefined || isPythonRuntime(spec.runtime) ? undefined : buildSpec(stack, id, spec.codeDir, spec.handler, metadata, warnings);
  if (build) spec.build = build;
  // sam build adds the flag to NODE_OPTIONS of a function built with Sourcemap true, joined by a space to what is there
  // (EsbuildBundlerManager._set_sourcemap_env_from_metadata): the deployed function has it in its environment.
  const options = spec.environment.NODE_OPTIONS;
  if (build?.sourcemap === true && !(options ?? '').split(/\s+/).includes('--enable-source-maps')) {
    spec.environment = { ...spec.environment, NODE_OPTIONS: `${options ?? ''} --enable-source-maps` };
  }
  return spec;
}

function lambdaFunction(stack: Stack, id: string, props: Record<string, unknown>, metadata: unknown, warnings: string[]): FunctionSpec {
  return functionSpec(stack, id, props, foreignRuntime(stack, id, props) ?? lambdaCode(stack, id, props, metadata, warnings), warnings);
}

/** The properties both function types share, with Lambda's defaults (Timeout 3, MemorySize 128, x86_64). */
function functionSpec(stack: Stack, id: string, props: Record<string, unknown>, code: Code, warnings: string[]): FunctionSpec {
  const key = `Resources.${id}.Properties`;
  const handler = prop(stack, props, id, 'Handler');
  const runtime = String(prop(stack, props, id, 'Runtime') ?? '');
  // Lambda fails each invocation of such a function (Runtime.MalformedHandlerName); the rest of the template runs.
  // A custom runtime's bootstrap reads the Handler as it likes.
  if (!code.unavailable && !isCustomRuntime(runtime) && (typeof handler !== 'string' || !handler.includes('.'))) {
    code = { ...code, unavailable: `${key}.Handler: expected "file.export", got ${JSON.stringify(handler)} (Lambda answers Runtime.MalformedHandlerName)`, invocationsFail: true };
  }
  // Lambda writes inline code (Code.ZipFile, SAM's InlineCode) to index.js, index.py for Python: a Handler naming another
  // module fails each invocation there, as it does here (Runtime.ImportModuleError), and the report said nothing of it.
  // Python's runtime takes the module up to the Handler's last dot; Node.js's up to the first (the rest a property path).
  const text = typeof handler === 'string' ? handler : '';
  const module = text.slice(0, isPythonRuntime(runtime) ? text.lastIndexOf('.') : text.indexOf('.', text.lastIndexOf('/') + 1));
  if (!code.unavailable && code.inlineCode !== undefined && !isCustomRuntime(runtime) && module !== 'index') {
    warnings.push(`${key}.Handler: ${JSON.stringify(handler)} names module ${module}, and Lambda writes inline code to index: each invocation fails with Runtime.ImportModuleError, as on Lambda`);
  }
  const functionName = stack.physicalName(id);
  const spec: FunctionSpec = {
    logicalId: id,
    functionName,
    arn: `arn:aws:lambda:${stack.opts.region}:${stack.opts.accountId}:function:${functionName}`,
    codeDir: code.codeDir,
    handler: String(handler ?? ''),
    runtime,
    architectures: (prop(stack, props, id, 'Architectures') as string[] | undefined) ?? ['x86_64'],
    timeoutSeconds: timeoutSeconds(prop(stack, props, id, 'Timeout'), `${key}.Timeout`, warnings),
    memorySizeMb: memorySizeMb(prop(stack, props, id, 'MemorySize'), `${key}.MemorySize`, warnings),
    environment: environment(stack, props, id),
  };
  const reserved = prop(stack, props, id, 'ReservedConcurrentExecutions');
  if (reserved !== undefined && reserved !== null) {
    const n = Number(reserved);
    // CloudFormation refuses anything but a whole number from 0 (Lambda's PutFunctionConcurrency).
    if (!Number.isInteger(n) || n < 0 || (typeof reserved === 'string' && !/^\d+$/.test(reserved))) throw new TemplateError(stack.file, `${key}.ReservedConcurrentExecutions`, `expected a whole number from 0, got ${JSON.stringify(reserved)}`);
    spec.reservedConcurrency = n;
  }
  const tenancy = prop(stack, props, id, 'TenancyConfig');
  if (tenancy !== undefined && tenancy !== null) {
    const mode = isRecord(tenancy) ? tenancy.TenantIsolationMode : undefined;
    // PER_TENANT is the one mode Lambda has (API TenancyConfig); CloudFormation refuses a function with another.
    if (mode !== 'PER_TENANT') throw new TemplateError(stack.file, `${key}.TenancyConfig.TenantIsolationMode`, `expected PER_TENANT, got ${JSON.stringify(mode)}`);
    spec.tenantIsolation = true;
    warnings.push(...tenancyConflicts(id, props));
  }
  const logging = loggingConfig(stack, prop(stack, props, id, 'LoggingConfig'), `${key}.LoggingConfig`, warnings);
  if (logging) spec.logging = logging;
  if (code.inlineCode !== undefined) spec.inlineCode = code.inlineCode;
  if (code.unavailable) spec.unavailable = code.unavailable;
  if (code.unavailable && code.invocationsFail) spec.invocationsFail = true;
  return spec;
}

/**
 * What cannot invoke a tenant-isolated function, as it names no tenant: a function URL and every event source but an
 * API Gateway REST API (CDK's TenancyConfig: "only API Gateway is supported"; HTTP APIs cannot name a tenant, Lambda
 * Developer Guide "Invoking Lambda functions with tenant isolation"). Each such invocation is refused, as Lambda refuses it.
 */
function tenancyConflicts(id: string, props: Record<string, unknown>): string[] {
  const refused = 'it names no tenant, so Lambda refuses each of its invocations (InvalidParameterValueException): only API Gateway REST APIs and direct invocations reach a tenant-isolated function';
  const events = isRecord(props.Events) ? Object.entries(props.Events) : [];
  const conflicts = events.filter(([, event]) => isRecord(event) && event.Type !== 'Api').map(([name, event]) => `Resources.${id}.Properties.Events.${name}: ${withArticle(String((event as Record<string, unknown>).Type))} event with TenancyConfig PER_TENANT: ${refused}`);
  if (props.FunctionUrlConfig !== undefined) conflicts.push(`Resources.${id}.Properties.FunctionUrlConfig: a function URL with TenancyConfig PER_TENANT: ${refused}`);
  return conflicts;
}

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * LoggingConfig (Lambda "Configuring advanced logging controls"): LogFormat Text or JSON; an ApplicationLogLevel applies
 * only with JSON (INFO by default). LogGroup and SystemLogLevel concern CloudWatch and the platform's START/END lines,
 * which the terminal does not get.
 */
function loggingConfig(stack: Stack, raw: unknown, key: string, warnings: string[]): FunctionSpec['logging'] {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw new TemplateError(stack.file, key, 'must be a map');
  const format = raw.LogFormat === undefined ? 'Text' : String(raw.LogFormat);
  if (format !== 'Text' && format !== 'JSON') throw new TemplateError(stack.file, `${key}.LogFormat`, `must be Text or JSON, got ${JSON.stringify(raw.LogFormat)}`);
  const level = raw.ApplicationLogLevel === undefined ? undefined : String(raw.ApplicationLogLevel).toUpperCase();
  if (level !== undefined && !LOG_LEVELS.includes(level)) throw new TemplateError(stack.file, `${key}.ApplicationLogLevel`, `must be one of ${LOG_LEVELS.join(', ')}`);
  if (level !== undefined && format !== 'JSON') warnings.push(`${key}.ApplicationLogLevel: not applied: Lambda filters by log level only with LogFormat JSON`);
  return format === 'JSON' ? { format, applicationLogLevel: level ?? 'INFO' } : { format };
}

/** Lambda's limit on a function's environment variables: 4 KB in all, names and values (Developer Guide, quotas). */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

/** The bytes these variables take when over Lambda's 4 KB (names and values), or undefined; local environments run with them anyway. */
export function environmentBytesOverLimit(environment: Record<string, string>): number | undefined {
  let bytes = 0;
  for (const [name, value] of Object.entries(environment)) bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes > ENVIRONMENT_LIMIT_BYTES ? bytes : undefined;
}

function environment(stack: Stack, props: Record<string, unknown>, id: string): Record<string, string> {
  const env = prop(stack, props, id, 'Environment');
  const vars = isRecord(env) ? env.Variables : undefined;
  const out: Record<string, string> = {};
  if (!isRecord(vars)) return out;
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'object' && v !== null) {
      throw new TemplateError(stack.file, `Resources.${id}.Properties.Environment.Variables.${k}`, 'must resolve to a string');
    }
    out[k] = v === null ? '' : String(v);
  }
  return out;
}

/** Metadata.ContextPath, ProjectRootDirectory and WorkingDirectory of a makefile build, relative to the template as SAM reads them. */
function makefileDirs(stack: Stack, metadata: unknown): NonNullable<FunctionSpec['makefile']> {
  const dirs: NonNullable<FunctionSpec['makefile']> = {};
  if (!isRecord(metadata)) return dirs;
  const at = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? resolvePath(dirname(stack.file), value) : undefined);
  const contextDir = at(metadata.ContextPath);
  const projectRoot = at(metadata.ProjectRootDirectory);
  const workingDir = at(metadata.WorkingDirectory);
  if (contextDir) dirs.contextDir = contextDir;
  if (projectRoot) dirs.projectRoot = projectRoot;
  if (workingDir) dirs.workingDir = workingDir;
  return dirs;
}

/**
 * A custom runtime's Metadata.BuildMethod, as `sam build` runs it: go1.x (`go build`; the go1.x Runtime builds so
 * without one) and makefile. Another (rust-cargolambda, dotnet...) is not run: the function runs from `sam build`'s
 * output or its CodeUri, and a warning says so.
 */
function customBuild(id: string, runtime: string, metadata: unknown, warnings: string[]): FunctionSpec['customBuild'] {
  const method = isRecord(metadata) ? metadata.BuildMethod : undefined;
  if (method === 'go1.x' || method === 'makefile') return method;
  if (method === undefined) return runtime === 'go1.x' ? 'go1.x' : undefined;
  warnings.push(`Resources.${id}.Metadata.BuildMethod: ${JSON.stringify(method)} builds are not run locally (go1.x and makefile only): the function runs from sam build's output (.aws-sam/build/${id}) or its CodeUri`);
  return undefined;
}

/**
 * Metadata.BuildMethod esbuild + BuildProperties, as `sam build` reads them. Another build method (`makefile`, a
 * runtime's own such as `nodejs20.x`) is not run: the function runs from its CodeUri as it is, as `sam local` runs it
 * before `sam build`, and a warning says so.
 */
function buildSpec(stack: Stack, id: string, codeDir: string, handler: string, metadata: unknown, warnings: string[]): FunctionBuild | undefined {
  if (!isRecord(metadata) || metadata.BuildMethod === undefined) return undefined;
  const key = `Resources.${id}.Metadata`;
  if (metadata.BuildMethod !== 'esbuild') {
    warnings.push(`${key}.BuildMethod: ${JSON.stringify(metadata.BuildMethod)} builds are not run locally (esbuild and makefile only): the function runs from its CodeUri as it is`);
    return undefined;
  }
  const p = isRecord(metadata.BuildProperties) ? (stack.resolve(metadata.BuildProperties, `${key}.BuildProperties`) as Record<string, unknown>) : {};
  const listed = Array.isArray(p.EntryPoints) ? p.EntryPoints.map(String) : [];
  // sam build's app_builder: without EntryPoints (or an empty list) the Handler before its first dot is the entry point.
  const entries = listed.length > 0 || handler === '' ? listed : [handler.split('.')[0] as string];
  if (entries.length === 0) throw new TemplateError(stack.file, `${key}.BuildProperties.EntryPoints`, 'esbuild needs at least one entry point');
  const build: FunctionBuild = { entryPoints: entries.map((e) => resolvePath(codeDir, e)) };
  if (p.Target !== undefined) build.target = String(p.Target);
  if (p.Format !== undefined) build.format = String(p.Format).toLowerCase() === 'esm' ? 'esm' : 'cjs';
  if (p.Minify !== undefined) build.minify = p.Minify === true || p.Minify === 'true';
  if (p.Sourcemap !== undefined) build.sourcemap = p.Sourcemap === true || p.Sourcemap === 'true';
  if (Array.isArray(p.External)) build.external = p.External.map(String);
  if (Array.isArray(p.OutExtension)) build.outExtension = keyValues(p.OutExtension.map(String));
  if (Array.isArray(p.Banner)) build.banner = keyValues(p.Banner.map(String));
  if (Array.isArray(p.Footer)) build.footer = keyValues(p.Footer.map(String));
  // `sam build` passes each property to esbuild's command line: MainFields as `--main-fields=module,main`.
  if (p.MainFields !== undefined) build.mainFields = (Array.isArray(p.MainFields) ? p.MainFields.map(String) : String(p.MainFields).split(',')).map((f) => f.trim()).filter(Boolean);
  if (Array.isArray(p.Loader)) build.loader = keyValues(p.Loader.map(String));
  if (Array.isArray(p.Define)) build.define = keyValues(p.Define.map(String));
  if (p.KeepNames !== undefined) build.keepNames = p.KeepNames === true || p.KeepNames === 'true';
  const unread = Object.keys(p).filter((k) => !READ_BUILD_PROPERTIES.has(k));
  if (unread.length > 0) warnings.push(`${key}.BuildProperties: ${unread.join(', ')} not applied to the local build (sam build passes them to esbuild)`);
  return build;
}

/** The esbuild BuildProperties the local build applies, or that change nothing that runs (UseNpmCi, SourcesContent). */
const READ_BUILD_PROPERTIES = new Set(['EntryPoints', 'Target', 'Format', 'Minify', 'Sourcemap', 'External', 'OutExtension', 'Banner', 'Footer', 'MainFields', 'Loader', 'Define', 'KeepNames', 'UseNpmCi', 'SourcesContent']);

/** SAM writes OutExtension and Banner as lists of "key=value" strings (".js=.mjs", "js=import ..."). */
function keyValues(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
