/** The local AWS credentials: what functions get as their role's keys, and what the embedded services accept. */
import { randomBytes } from 'node:crypto';
import type { LocalState } from '../identity/local-state.js';
import type { LocalCredentials } from './sigv4.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Shaped as Lambda's temporary role credentials: an ASIA... key id, a 40-character secret and a session token. */
export function generateCredentials(): LocalCredentials {
  const id = [...randomBytes(16)].map((b) => BASE32[b % 32]).join('');
  return {
    accessKeyId: `ASIA${id}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  };
}

/**
 * Random per local folder and stable across restarts (a developer may keep them in an AWS profile to call the
 * embedded services): a constant would be known to every web page, which could then sign its own requests.
 */
export function localCredentials(state: LocalState): LocalCredentials {
  return state.getOrCreate('credentials', 'functions', generateCredentials);
}

/** The variables the SDK reads its credentials from. */
export function credentialVariables(credentials: LocalCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}
