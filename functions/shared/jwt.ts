/** HS256 JSON Web Tokens with node:crypto: strict verification (alg, signature, iss, exp, nbf, iat). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AdminClaims {
  sub: string;
  email?: string;
  roles: string[];
  iss: string;
  exp: number;
  iat?: number;
  nbf?: number;
}

export const ISSUER = 'task-api';
/** Clock skew tolerated for nbf / iat, in seconds. */
const SKEW = 60;

export class InvalidTokenError extends Error {}

const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (input: string, key: string): Buffer => createHmac('sha256', key).update(input).digest();

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidTokenError(`${what} is not a JSON object`);
}

function rolesOf(value: unknown): string[] {
  if (Array.isArray(value) && value.every((r) => typeof r === 'string')) return value;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((r) => r !== '');
  if (value === undefined) return [];
  throw new InvalidTokenError('roles must be a string array');
}

function checkTimes(payload: Record<string, unknown>, nowSeconds: number): void {
  const { exp, nbf, iat } = payload;
  if (typeof exp !== 'number' || exp <= nowSeconds) throw new InvalidTokenError('expired or no exp');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds + SKEW)) throw new InvalidTokenError('not yet valid');
  if (iat !== undefined && (typeof iat !== 'number' || iat > nowSeconds + SKEW)) throw new InvalidTokenError('issued in the future');
}

/** Verifies a compact HS256 JWT and returns its claims; any defect is an InvalidTokenError. */
export function verifyHs256(token: string, key: string, nowSeconds = Math.floor(Date.now() / 1000)): AdminClaims {
  const parts = token.split('.');
  const [head, body, signature] = parts;
  if (parts.length !== 3 || !head || !body || !signature) throw new InvalidTokenError('not a compact JWS');
  const header = decodePart(head, 'header');
  if (header.alg !== 'HS256') throw new InvalidTokenError('alg must be HS256');
  // Compare the canonical base64url text: decoding first would accept other spellings of the same bytes.
  const expected = Buffer.from(hmac(`${head}.${body}`, key).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('bad signature');
  const payload = decodePart(body, 'payload');
  if (payload.iss !== ISSUER) throw new InvalidTokenError('wrong issuer');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('no sub');
  checkTimes(payload, nowSeconds);
  const claims: AdminClaims = { sub: payload.sub, iss: ISSUER, exp: payload.exp as number, roles: rolesOf(payload.roles) };
  if (typeof payload.email === 'string') claims.email = payload.email;
  return claims;
}

/** Signs claims as an HS256 JWT (used by the tests; the emulator has its own token tool). */
export function signAdminToken(claims: Record<string, unknown>, key: string): string {
  const input = `${b64json({ alg: 'HS256', typ: 'JWT' })}.${b64json(claims)}`;
  return `${input}.${hmac(input, key).toString('base64url')}`;
}
