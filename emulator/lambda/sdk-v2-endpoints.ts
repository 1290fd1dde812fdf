/**
 * The AWS SDK for JavaScript v2 (`aws-sdk`, what nodejs16.x and older runtimes gave functions) reads no
 * AWS_ENDPOINT_URL_<SERVICE> variable: left alone it calls AWS itself, with the local credentials, and fails slowly
 * (or, with real credentials in the environment, reaches a real account). The environment points it where the v3 SDK
 * goes: each `AWS_ENDPOINT_URL_<SERVICE>` becomes that service's endpoint in the SDK's global config, and
 * `AWS_ENDPOINT_URL` the endpoint of every other service (the not-served endpoint, which fails fast), as SDK v3 reads
 * them. A function's own `endpoint` option still wins, as it does over the variables in v3.
 */
import Module from 'node:module';
import { sep } from 'node:path';

/** Service identifiers of the v2 SDK that differ from the variable's suffix, lower-cased without underscores. */
const IDENTIFIERS: Record<string, string[]> = {
  sfn: ['stepfunctions'],
  // CloudWatchEvents is EventBridge's older client: the same API on the same endpoint.
  eventbridge: ['eventbridge', 'cloudwatchevents'],
};

interface SdkV2 {
  VERSION: string;
  config: { update(options: Record<string, unknown>, allowUnknownKeys?: boolean): void };
  Service: unknown;
}

const isSdkV2 = (value: unknown): value is SdkV2 => {
  const sdk = value as Partial<SdkV2> | null;
  if (typeof sdk !== 'object' || sdk === null) return false;
  try {
    return typeof sdk.VERSION === 'string' && sdk.VERSION.startsWith('2.') && typeof sdk.config?.update === 'function' && sdk.Service !== undefined;
  } catch {
    // A module whose exports throw when read (a Proxy, a getter) is not the SDK.
    return false;
  }
};

/** The v2 global config that sends each service to its local endpoint, from the environment's variables. */
export function sdkV2EndpointConfig(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (env.AWS_ENDPOINT_URL) config.endpoint = env.AWS_ENDPOINT_URL;
  for (const [name, url] of Object.entries(env)) {
    const suffix = /^AWS_ENDPOINT_URL_(.+)$/.exec(name)?.[1];
    if (!suffix || !url) continue;
    const id = suffix.toLowerCase().replace(/_/g, '');
    for (const identifier of IDENTIFIERS[id] ?? [id]) {
      // S3 on an IP endpoint: bucket names in the path, as the v3 SDK's forcePathStyle does for such endpoints.
      config[identifier] = identifier === 's3' ? { endpoint: url, s3ForcePathStyle: true } : { endpoint: url };
    }
  }
  return config;
}

/**
 * Sets the endpoints on each copy of the v2 SDK the function loads (its own, a layer's), once a `require` of
 * `aws-sdk` (or `aws-sdk/...`) has loaded it: only then is its core module (`aws-sdk/lib/core.js`) read, whole, from
 * the module cache. Reading other modules' exports as they load would trip Node's warnings about properties of
 * half-loaded circular dependencies.
 */
export function pointSdkV2AtLocalEndpoints(env: NodeJS.ProcessEnv = process.env): void {
  const config = sdkV2EndpointConfig(env);
  if (Object.keys(config).length === 0) return;
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown; _cache: Record<string, { exports?: unknown } | undefined> };
  const load = loader._load;
  const configured = new WeakSet<object>();
  const core = `${sep}aws-sdk${sep}lib${sep}core.js`;
  loader._load = function _load(this: unknown, request: string, ...rest: unknown[]) {
    const exported = load.call(this, request, ...rest);
    if (request !== 'aws-sdk' && !request.startsWith('aws-sdk/')) return exported;
    for (const [file, cached] of Object.entries(loader._cache)) {
      const sdk = file.endsWith(core) ? cached?.exports : undefined;
      // By config object: the SDK's node loader replaces the config its core made, after the core loads.
      if (isSdkV2(sdk) && !configured.has(sdk.config)) {
        configured.add(sdk.config);
        // allowUnknownKeys: the service keys are known only once the clients register.
        sdk.config.update(config, true);
      }
    }
    return exported;
  };
}
