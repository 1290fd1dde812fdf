/**
 * One stack made ready to serve: its identity (API keys, user pools, usage plans) and its Lambda service with its
 * functions built, and what its functions' notes for the startup report say.
 */
import { dirname } from 'node:path';
import type { EmulatorOptions } from './app.js';
import type { LoadedTemplate } from './template/model.js';
import { LocalLambdaService } from './lambda/runtime.js';
import { oldSdkV3Notes } from './lambda/old-sdk-v3.js';
import { uninstalledDependencyNotes } from './lambda/uninstalled-dependencies.js';
import { tenancyNotes } from './lambda/tenancy.js';
import { nestedBuildDir, samBuildDir } from './lambda/build-output.js';
import { pythonNotes } from './lambda/python.js';
import { applyEnvVars } from './lambda/env-vars.js';
import { debugNote, type DebugTarget } from './lambda/debug.js';
import type { LocalHosts } from './lambda/local-hosts.js';
import type { LocalCredentials } from './services/sigv4.js';
import { ApiKeyRegistry } from './identity/api-keys.js';
import type { UsageMeter } from './limits/usage.js';
import { CognitoPools } from './identity/cognito.js';
import type { IamOptions } from './identity/iam.js';
import type { LocalState } from './identity/local-state.js';
import { limitsFor, systemClock, type SharedLimits } from './limits/index.js';
import { localApiUrls } from './local-api-urls.js';
import { reservedNotes, warmNotes } from './report.js';
import { firstLine, withNotEmulatedResources } from './start-gaps.js';

/** One stack's identity resources and checks, template-wide as in AWS: every API of the stack shares them. */
export interface Identity {
  state: LocalState;
  apiKeys: ApiKeyRegistry;
  cognito: CognitoPools;
  limits: SharedLimits;
  /** IAM (SigV4) authorization: the local credentials, the template's region and account, the clock. */
  iam: IamOptions;
}

/** What every stack's functions and APIs share: the local folder, the credentials, the services, the closers. */
export interface SharedRuntime {
  state: LocalState;
  credentials: LocalCredentials;
  environment: Record<string, string>;
  notServed: { endpointFor: (functionName: string) => string };
  /** The template's APIs by id -> their local origin, filled as each listens (read when an environment starts). */
  localApis: Map<string, string>;
  /** The WebSocket APIs' execute-api hosts -> their local ports, for Node.js functions' TLS connections. */
  localHosts: LocalHosts;
  options: EmulatorOptions;
  closers: (() => Promise<void>)[];
  /** The function under the debugger (--debug-port), in whichever stack it is. */
  debug?: DebugTarget;
  /** Usage of every stack's plans, written to the one local folder (R6.14): a meter per stack overwrote the others'. */
  usage?: UsageMeter;
}

export interface PreparedStack {
  path: string;
  template: LoadedTemplate;
  lambda: LocalLambdaService;
  identity: Identity;
  /** The functions that did not build, with the build's error: their routes and resources are reported NOT EMULATED. */
  unbuilt: ReadonlyMap<string, string>;
  functionNotes(): Promise<string[]>;
}

/**
 * One stack's identity (keys, pools, usage plans: template-wide, as in AWS) and its Lambda service, its functions
 * built. A nested stack's functions are built apart from the root's (their logical ids may be the same).
 */
export async function prepareStack(template: LoadedTemplate, path: string, rootPath: string, shared: SharedRuntime): Promise<PreparedStack> {
  const { state, credentials, options, closers } = shared;
  const clock = options.clock ?? systemClock;
  const iam: IamOptions = { credentials, region: template.region, accountId: template.accountId, now: () => clock.now() };
  const identity: Identity = { state, apiKeys: ApiKeyRegistry.fromTemplate(template, state), cognito: CognitoPools.fromTemplate(template, state), limits: limitsFor(template, state, options.clock, iam, shared.usage), iam };
  closers.push(async () => identity.limits.usage.flush());
  const withEnvVars = options.envVars ? applyEnvVars(template.functions, options.envVars, template.tables.map((t) => t.tableName)) : { functions: template.functions, notes: [] };
  // The function under the debugger is one stack's (its logical id may repeat another stack's).
  const debug = shared.debug?.path === path ? { functionLogicalId: shared.debug.functionLogicalId, port: shared.debug.port } : undefined;
  const lambda = new LocalLambdaService({ ...template, functions: withEnvVars.functions }, {
    extraEnvironment: shared.environment,
    credentials,
    notServedEndpoint: shared.notServed.endpointFor,
    localUrls: localApiUrls(shared.localApis),
    localHosts: () => shared.localHosts,
    watch: options.watch,
    codeWatch: options.codeWatch ?? true,
    ...(options.warmContainers ? { warmContainers: options.warmContainers } : {}),
    ...(options.log ? { notice: options.log } : {}),
    ...(options.onBuildProgress ? { buildProgress: options.onBuildProgress } : {}),
    maxConcurrencyPerFunction: options.maxConcurrency,
    onReload: options.onReload,
    ...(options.platformLog ? { platformLog: options.platformLog } : {}),
    ...(options.functionLogFd !== undefined ? { functionStdout: { fd: options.functionLogFd } } : {}),
    ...(path ? { buildDir: nestedBuildDir(path) } : {}),
    samBuildDir: samBuildDir(rootPath, path),
    ...(debug ? { debug } : {}),
  });
  closers.push(() => lambda.close());
  // A function that does not build (its dependencies not installed, a syntax error) fails its own requests only.
  const unbuilt = new Map((await lambda.prepare()).map(({ logicalId, error }) => [logicalId, error]));
  const functionNotes = async (): Promise<string[]> => {
    const notes = [...[...unbuilt].map(([logicalId, error]) => `${logicalId}: ${DID_NOT_BUILD}: ${error}`), ...withEnvVars.notes, ...reservedNotes(template), ...tenancyNotes(template.functions.values()), ...pythonNotes(await lambda.pythonInterpreters()), ...oldSdkV3Notes(template.functions.values()), ...uninstalledDependencyNotes(template.functions.values(), dirname(template.path), samBuildDir(rootPath, path)), ...lambda.customNotes(), ...(options.warmContainers === 'EAGER' ? warmNotes(await lambda.warm()) : []), ...(debug ? [debugNote(debug, withEnvVars.functions.get(debug.functionLogicalId)!.timeoutSeconds)] : [])];
    return path ? notes.map((n) => `${path}${n}`) : notes;
  };
  // Known only now, after the template's loading accounted for its resources: the report must not say EMULATED for them.
  template.resources = withNotEmulatedResources(template.resources ?? [], new Map([...unbuilt].map(([id, error]) => [id, `${DID_NOT_BUILD}: ${firstLine(error)}`])));
  return { path, template, lambda, identity, unbuilt, functionNotes };
}

const DID_NOT_BUILD = 'did not build, its requests fail (502 on a REST API and a function URL, 500 on an HTTP API)';
