/** Environment configuration, read once at module load so a misconfigured function fails on its first (cold) start. */

/** Returns the non-empty value of an environment variable or throws an error naming it. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing required environment variable ${name}: set it in template.yaml (Environment.Variables)`);
  }
  return value;
}

/** CORS response headers for the configured origin. No credentials header: the API is token based. */
export function corsHeaders(allowedOrigin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': allowedOrigin,
    'Access-Control-Expose-Headers': 'ETag,Location',
  };
}

/** The production bound on one AWS SDK attempt until the response's head (clients.ts explains the arithmetic). */
export const DEFAULT_SDK_REQUEST_TIMEOUT_MS = 2_000;

/**
 * SDK_REQUEST_TIMEOUT_MS, when set: the bound on one SDK attempt, for a deployment whose DynamoDB is slower than
 * 2 s a page (and for tests, whose in-process DynamoDB a loaded machine can slow past 2 s). A value that is no whole
 * number of milliseconds between 100 and 60,000 fails the cold start naming it, not the first request.
 */
export function sdkRequestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SDK_REQUEST_TIMEOUT_MS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SDK_REQUEST_TIMEOUT_MS;
  // Digits only: Number() would also take '1e3', '0x64' and ' 500 '.
  const ms = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(ms) || ms < 100 || ms > 60_000) {
    throw new Error(`Invalid environment variable SDK_REQUEST_TIMEOUT_MS=${JSON.stringify(raw)}: expected whole milliseconds from 100 to 60000`);
  }
  return ms;
}
