/** verifyJwt (H7.2-H7.4) with tokens this test signs itself, for claims the local Cognito pool never issues. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwtClaimsForEvent, verifyJwt, type JwtAuthorizerConfig } from '../../../emulator/identity/jwt-authorizer.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1' };
const NOW = 1_800_000_000;
const ISSUER = 'https://issuer.example';
const config: JwtAuthorizerConfig = { issuer: ISSUER, audience: ['app'], jwks: { keys: [jwk] }, now: () => NOW * 1000 };

function signed(claims: Record<string, unknown>, alg = 'RS256'): string {
  const input = `${Buffer.from(JSON.stringify({ kid: 'k1', alg })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' }[alg] ?? 'sha256';
  return `${input}.${sign(hash, Buffer.from(input), privateKey).toString('base64url')}`;
}

const base = { iss: ISSUER, aud: 'app', exp: NOW + 60, iat: NOW - 1 };

describe('verifyJwt', () => {
  it.each([
    { rule: 'H7.4 aud as a string', claims: base },
    { rule: 'H7.4 aud as a list with one allowed value', claims: { ...base, aud: ['other', 'app'] } },
    { rule: 'H7.4 client_id used when aud is absent', claims: { iss: ISSUER, client_id: 'app', exp: NOW + 60 } },
    { rule: 'H7.4 nbf in the past', claims: { ...base, nbf: NOW - 10 } },
  ])('$rule → allowed', ({ claims }) => {
    expect(verifyJwt(signed(claims), [], config)).toMatchObject({ ok: true });
  });

  it.each(['RS384', 'RS512'])('H7.2 RSA algorithm %s is accepted', (alg) => {
    expect(verifyJwt(signed(base, alg), [], config).ok).toBe(true);
  });

  it.each([
    { rule: 'H7.4 issuer differs', claims: { ...base, iss: 'https://evil.example' }, reason: 'the token does not have a valid issuer' },
    { rule: 'H7.4 aud wins over a matching client_id', claims: { ...base, aud: 'other', client_id: 'app' }, reason: 'the token does not have a valid audience' },
    { rule: 'H7.4 neither aud nor client_id', claims: { iss: ISSUER, exp: NOW + 60 }, reason: 'the token does not have a valid audience' },
    { rule: 'H7.4 exp equal to now', claims: { ...base, exp: NOW }, reason: 'the token has expired' },
    { rule: 'H7.4 no exp', claims: { iss: ISSUER, aud: 'app' }, reason: 'the token has expired' },
    { rule: 'H7.4 nbf in the future', claims: { ...base, nbf: NOW + 10 }, reason: 'the token is not valid yet (nbf)' },
  ])('$rule → 401', ({ claims, reason }) => {
    expect(verifyJwt(signed(claims), [], config)).toEqual({ ok: false, status: 401, reason });
  });

  it.each([
    { rule: 'H7.4 scope string holds one route scope', claims: { ...base, scope: 'a b' }, scopes: ['b', 'c'], ok: true },
    { rule: 'H7.4 scp list holds one route scope', claims: { ...base, scp: ['c'] }, scopes: ['b', 'c'], ok: true },
    { rule: 'H7.7 no route scope in the token', claims: { ...base, scope: 'a' }, scopes: ['b'], ok: false },
  ])('$rule', ({ claims, scopes, ok }) => {
    const outcome = verifyJwt(signed(claims), scopes, config);
    expect(outcome.ok).toBe(ok);
    if (!outcome.ok) expect(outcome.status).toBe(403);
  });

  describe('H7.4 a token accepted once is checked again on every request', () => {
    const token = signed(base);

    it.each([
      { given: 'past its exp', change: { now: () => (NOW + 61) * 1000 }, reason: 'the token has expired' },
      { given: 'for another audience', change: { audience: ['other'] }, reason: 'the token does not have a valid audience' },
      { given: 'for another issuer', change: { issuer: 'https://other.example' }, reason: 'the token does not have a valid issuer' },
      { given: "against another key with the same kid (the issuer's keys changed)", change: { jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'k1' }] } }, reason: 'the token signature is invalid' },
    ])('$given → 401', ({ change, reason }) => {
      expect(verifyJwt(token, [], config).ok).toBe(true);

      expect(verifyJwt(token, [], { ...config, ...change })).toEqual({ ok: false, status: 401, reason });
    });

    it('a tampered copy of an accepted token is refused', () => {
      expect(verifyJwt(token, [], config).ok).toBe(true);
      const [header, payload, signature] = token.split('.');
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...base, sub: 'admin' })).toString('base64url')}.${signature}`;

      expect(payload).not.toBe(tampered.split('.')[1]);
      expect(verifyJwt(tampered, [], config)).toEqual({ ok: false, status: 401, reason: 'the token signature is invalid' });
    });
  });

  it('H7.3 no JWKS for the issuer → 401', () => {
    expect(verifyJwt(signed(base), [], { ...config, jwks: undefined })).toMatchObject({ ok: false, status: 401 });
  });

  it('H4.17 claims for the event: strings, lists "[a b]", objects as JSON, nulls omitted', () => {
    expect(jwtClaimsForEvent({ a: 1, b: true, c: ['x', 'y'], d: { e: 1 }, f: null, g: 's' })).toEqual({ a: '1', b: 'true', c: '[x y]', d: '{"e":1}', g: 's' });
  });
});
