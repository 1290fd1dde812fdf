/** Identity sources of HTTP API Lambda authorizers (H8.4) and JWT issuers the emulator cannot verify (H7.3). */
import { describe, expect, it } from 'vitest';
import { identityValue } from '../../../../emulator/gateway/http/authorization.js';
import { createHttpGateway } from '../../../../emulator/gateway/http/pipeline.js';
import { initialHttpState } from '../../../../emulator/gateway/http/state.js';
import { httpHarness } from '../../http-api/harness.js';

const API = { accountId: '123456789012', apiId: 'abc' };

function state() {
  const rawHeaders = ['X-Key', 'a', 'x-key', 'b', 'Host', 'localhost:3000'];
  const s = initialHttpState(new Request('http://localhost:3000/dev/x?q=1&q=2&Case=v'), { remoteAddress: '10.0.0.1', rawHeaders }, 0);
  s.stage = { name: 'dev', stageVariables: { tier: 'gold' }, defaultThrottle: {}, routeThrottle: {} };
  return s;
}

describe('H8.4 identity sources', () => {
  it.each([
    { source: '$request.header.x-key', value: 'a,b', why: 'headers case-insensitive, repeats comma-joined' },
    { source: '$request.header.missing', value: undefined, why: 'absent header' },
    { source: '$request.querystring.q', value: '1,2', why: 'repeated query names comma-joined' },
    { source: '$request.querystring.case', value: undefined, why: 'query names are case-sensitive' },
    { source: '$stageVariables.tier', value: 'gold', why: 'stage variable' },
    { source: '$stageVariables.none', value: undefined, why: 'absent stage variable' },
    { source: '$context.http.sourceIp', value: '10.0.0.1', why: 'nested $context variable' },
    { source: '$context.stage', value: 'dev', why: '$context variable' },
  ])('$source → $value ($why)', ({ source, value }) => {
    expect(identityValue(state(), source, API)).toBe(value);
  });
});

describe('H7.3 a JWT issuer that is not a user pool of the template', () => {
  it('H7.3 neighbour: an issuer that is one of the template`s pools keeps its authorizer EMULATED', async () => {
    const h = await httpHarness('AuthApi');
    expect(h.gateway.support.filter((s) => s.subject === 'authorizer Jwt').map((s) => s.status)).toEqual(['emulated']);
  });

  it('is reported NOT EMULATED and its routes answer 500', async () => {
    const h = await httpHarness('AuthApi');
    const api = { ...h.api, authorizers: { ...h.api.authorizers, Jwt: { ...h.api.authorizers.Jwt!, issuer: 'https://login.example.com' } } };
    const gateway = createHttpGateway({ api, template: h.template, invoker: h.invoker, log: () => undefined });
    const route = gateway.routes.find((r) => r.path === '/me');
    expect(route?.emulated).toBe(false);
    expect(route?.detail).toContain('JWT issuer https://login.example.com is not a user pool of this template');
    // The authorizer's own settings line says so too: it read EMULATED beside its routes NOT EMULATED.
    expect(gateway.support.filter((s) => s.subject === 'authorizer Jwt').map((s) => [s.status, s.detail])).toEqual([
      ['not-emulated', 'JWT authorizer (issuer https://login.example.com): JWT issuer https://login.example.com is not a user pool of this template (its JWKS cannot be fetched locally)'],
    ]);
    const got = await gateway.fetch(new Request('http://localhost:3000/dev/me', { headers: { authorization: h.token({}) } }));
    expect(got.status).toBe(500);
    expect(await got.json()).toEqual({ message: 'Internal Server Error' });
  });

  it.each([
    { given: 'no Authorization header', headers: {}, challenge: 'Bearer' },
    { given: 'an empty Authorization header', headers: { authorization: '' }, challenge: 'Bearer' },
    { given: 'a bare "Bearer "', headers: { authorization: 'Bearer ' }, challenge: 'Bearer' },
    { given: 'a value that is no JWT', headers: { authorization: 'Bearer not-a-jwt' }, challenge: 'Bearer scope="" error="invalid_token" error_description="token contains an invalid number of segments"' },
  ] as { given: string; headers: Record<string, string>; challenge: string }[])('H7.1 / H7.6 $given: 401 Unauthorized with the challenge, as AWS answers before asking the issuer', async ({ headers, challenge }) => {
    // Prepare
    const h = await httpHarness('AuthApi');
    const api = { ...h.api, authorizers: { ...h.api.authorizers, Jwt: { ...h.api.authorizers.Jwt!, issuer: 'https://login.example.com' } } };
    const gateway = createHttpGateway({ api, template: h.template, invoker: h.invoker, log: () => undefined });
    const before = h.invoker.calls.length;

    // Act
    const got = await gateway.fetch(new Request('http://localhost:3000/dev/me', { headers }));

    // Assess
    expect(got.status).toBe(401);
    expect(await got.json()).toEqual({ message: 'Unauthorized' });
    expect(got.headers.get('www-authenticate')).toBe(challenge);
    expect(h.invoker.calls.length).toBe(before);
  });
});
