/** The environment variables a Lambda execution environment sees (reserved + the function's own). */
import { randomBytes } from 'node:crypto';
import type { FunctionSpec } from '../template/model.js';
import { credentialVariables } from '../services/credentials.js';
import type { LocalCredentials } from '../services/sigv4.js';

export interface EnvironmentOptions {
  region: string;
  /** Endpoints of services the emulator serves, e.g. AWS_ENDPOINT_URL_DYNAMODB. They win over the template. */
  extraEnvironment?: Record<string, string>;
  /**
   * Loopback endpoint answering every unserved AWS service with a fast error (AWS_ENDPOINT_URL, the SDK fallback);
   * a function form gets the function name (e.g. NotServedServer.endpointFor).
   */
  notServedEndpoint?: string | ((functionName: string) => string);
  /** The function's "role" credentials: the embedded services accept requests signed with these only. */
  credentials: LocalCredentials;
  /** Rewrites a variable's value that names an API of the template by its execute-api URL to the API's local URL. */
  localUrls?: (value: string) => string;
}

/** Lambda's log stream name format: YYYY/MM/DD/[$LATEST]<32 hex>. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** Reserved variables as Lambda sets them; the function's Environment cannot override them (as in Lambda). */
export function lambdaEnvironment(spec: FunctionSpec, streamName: string, opts: EnvironmentOptions): Record<string, string> {
  const taskRoot = spec.codeDir;
  // Lambda's names: AWS_Lambda_nodejs20.x, AWS_Lambda_python3.12; OS-only runtimes have none.
  const executionEnv = spec.runtime.startsWith('python') || spec.runtime === 'go1.x' ? `AWS_Lambda_${spec.runtime}` : spec.runtime.startsWith('provided') ? undefined : `AWS_Lambda_nodejs${/^nodejs(\d+)/.exec(spec.runtime)?.[1] ?? '20'}.x`;
  const reserved: Record<string, string> = {
    AWS_REGION: opts.region,
    AWS_DEFAULT_REGION: opts.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: streamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...(executionEnv ? { AWS_EXECUTION_ENV: executionEnv } : {}),
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: taskRoot,
    _HANDLER: spec.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...credentialVariables(opts.credentials),
    // sam local sets this; Powertools Tracer disables itself on it.
    AWS_SAM_LOCAL: 'true',
    // What Lambda sets for X-Ray: the SDK logs instead of throwing outside a segment, and would send to a local daemon.
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
  };
  const ns = opts.notServedEndpoint;
  const fallback = typeof ns === 'function' ? ns(spec.functionName) : ns;
  const endpoints: Record<string, string> = fallback ? { AWS_ENDPOINT_URL: fallback } : {};
  // The SDK's multi-line NodeVersionSupportWarning is about the local Node, reported once at start instead. No
  // POWERTOOLS_DEV: Lambda does not set it, and Powertools' event handlers answer with stack traces under it.
  const defaults = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  // Advanced logging controls: what the runtime reads to format its logs and drop those below the level.
  const logging = spec.logging ? { AWS_LAMBDA_LOG_FORMAT: spec.logging.format, ...(spec.logging.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: spec.logging.applicationLogLevel } : {}) } : {};
  const own = opts.localUrls ? Object.fromEntries(Object.entries(spec.environment).map(([name, value]) => [name, opts.localUrls!(value)])) : spec.environment;
  // What --env-vars gave wins over the embedded services' endpoints too (a DynamoDB of the user's, a closed port to
  // inject a fault), as sam local gives it; never over Lambda's reserved variables, which Lambda does not let a function set.
  const chosen = Object.fromEntries((spec.fromEnvVars ?? []).filter((name) => !Object.hasOwn(reserved, name) && Object.hasOwn(own, name)).map((name) => [name, own[name]!]));
  return { ...defaults, ...own, ...reserved, ...logging, ...endpoints, ...opts.extraEnvironment, ...chosen };
}
