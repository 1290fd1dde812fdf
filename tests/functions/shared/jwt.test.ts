import { describe, expect, it } from 'vitest';
import { adminResource, authorizerResult } from '../../../functions/shared/authorizer-policy.js';
import { InvalidTokenError, signAdminToken, verifyHs256 } from '../../../functions/shared/jwt.js';

const KEY = 'admin-key';
const NOW = 1_900_000_000;
const claims = { sub: 'admin-1', email: 'ops@example.test', roles: ['admin', 'ops'], iss: 'task-api', iat: NOW - 10, exp: NOW + 600 };
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('HS256 verification', () => {
  it('accepts a valid token and returns its claims', () => {
    expect(verifyHs256(signAdminToken(claims, KEY), KEY, NOW)).toEqual({
      sub: 'admin-1',
      email: 'ops@example.test',
      roles: ['admin', 'ops'],
      iss: 'task-api',
      exp: NOW + 600,
    });
  });

  const good = signAdminToken(claims, KEY);
  const [, body, sig] = good.split('.') as [string, string, string];
  it.each([
    { name: 'expired', token: () => signAdminToken({ ...claims, exp: NOW - 1 }, KEY) },
    { name: 'no exp', token: () => signAdminToken({ ...claims, exp: undefined }, KEY) },
    { name: 'not yet valid (nbf)', token: () => signAdminToken({ ...claims, nbf: NOW + 3600 }, KEY) },
    { name: 'issued in the future', token: () => signAdminToken({ ...claims, iat: NOW + 3600 }, KEY) },
    { name: 'wrong issuer', token: () => signAdminToken({ ...claims, iss: 'someone' }, KEY) },
    { name: 'no sub', token: () => signAdminToken({ ...claims, sub: undefined }, KEY) },
    { name: 'forged (other key)', token: () => signAdminToken(claims, 'other') },
    { name: 'alg none', token: () => `${b64({ alg: 'none' })}.${body}.` },
    { name: 'alg HS512 header', token: () => `${b64({ alg: 'HS512', typ: 'JWT' })}.${body}.${sig}` },
    { name: 'payload swapped', token: () => `${good.split('.')[0]}.${b64({ ...claims, sub: 'root' })}.${sig}` },
    { name: 'two parts', token: () => good.split('.').slice(0, 2).join('.') },
    { name: 'header not JSON', token: () => `bm90LWpzb24.${body}.${sig}` },
  ])('rejects $name', ({ token }) => {
    expect(() => verifyHs256(token(), KEY, NOW)).toThrow(InvalidTokenError);
  });
});

describe('authorizer policy', () => {
  const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/admin/users/u1/tasks';

  it('covers every admin route of the same API and stage (the result is cached per token)', () => {
    expect(adminResource(methodArn)).toBe('arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*/admin/*');
  });

  it('rejects a methodArn that is not an execute-api ARN', () => {
    expect(() => adminResource('arn:aws:lambda:eu-west-1:1:function:x')).toThrow(/methodArn/);
  });

  it.each([
    { roles: ['admin'], effect: 'Allow' },
    { roles: ['ops', 'admin'], effect: 'Allow' },
    { roles: ['ops'], effect: 'Deny' },
    { roles: [], effect: 'Deny' },
  ])('roles $roles → $effect', ({ roles, effect }) => {
    const result = authorizerResult({ sub: 's1', roles, iss: 'task-api', exp: NOW }, methodArn);
    expect(result.principalId).toBe('s1');
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: effect, Action: 'execute-api:Invoke' });
    expect(result.context).toEqual({ userId: 's1', email: '', roles: roles.join(',') });
    expect(Object.values(result.context ?? {}).every((v) => typeof v === 'string')).toBe(true);
  });
});
