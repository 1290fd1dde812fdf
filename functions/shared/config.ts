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
