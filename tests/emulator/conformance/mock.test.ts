/** Conformance: mock integrations (reference 4) and the integration-response rules they exercise (R2.3-R2.12). */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const h = await harness();

describe('4 mock integrations', () => {
  it('A26 / R4.2 CORS preflight mock → 200, the three Access-Control-* headers, body {}', async () => {
    const got = await h.send({ method: 'OPTIONS', path: '/test/mock/cors', headers: [['Origin', 'http://x'], ['Access-Control-Request-Method', 'GET']] });
    expect(got.status).toBe(200);
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS');
    expect(got.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization');
    expect(got.text).toBe('{}');
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  it.each([
    { scope: 'internal', status: 200, body: { scope: 'internal', ok: true } },
    { scope: 'public', status: 503, body: { scope: 'public', ok: false } },
  ])('R4.1 / R4.3 / R2.6 template branches on $input.params: scope=$scope → $status', async ({ scope, status, body }) => {
    const got = await h.send({ path: `/test/mock/branch?scope=${scope}` });
    expect(got.status).toBe(status);
    expect(got.json()).toEqual(body);
  });

  it('R2.9 responseParameters map context.* and stageVariables.* to headers', async () => {
    const got = await h.send({ path: '/test/mock/branch?scope=x' });
    expect(got.headers.get('x-request-id')).toBe(got.headers.get('x-amzn-requestid'));
    expect(got.headers.get('x-stage-color')).toBe('blue');
  });

  it.each([
    { accept: 'text/plain', type: 'text/plain', text: 'scope=internal' },
    { accept: 'application/xml', type: 'application/json', text: '{"scope":"internal","ok":true}' },
    { accept: 'text/plain, application/json', type: 'text/plain', text: 'scope=internal' },
  ])('R2.3 response template chosen by the first Accept value: $accept → $type', async ({ accept, type, text }) => {
    const got = await h.send({ path: '/test/mock/branch?scope=internal', headers: [['Accept', accept]] });
    expect(got.headers.get('content-type')).toBe(type);
    expect(got.text).toBe(text);
  });

  it('R2.12 $context.responseOverride.status and .header set in the response template win', async () => {
    const got = await h.send({ path: '/test/mock/override' });
    expect(got.status).toBe(418);
    expect(got.headers.get('x-override')).toBe('yes');
    expect(got.json()).toEqual({ teapot: true });
  });

  it('R4.4 [AMBIGUOUS] without a request template the mock answers status 200 → default response', async () => {
    const got = await h.send({ path: '/test/mock/notemplate' });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ default: true });
  });

  it('R4.4 the non-JSON `{ statusCode: 200 }` that CDK emits is tolerated', async () => {
    const got = await h.send({ path: '/test/mock/cdk' });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ cdk: true });
  });

  it('R4.5 a template without an integer statusCode → 500 Internal server error', async () => {
    const got = await h.send({ path: '/test/mock/badstatus' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(h.logs.at(-1)).toMatch(/Unable to parse statusCode/);
  });

  it.each([
    { rule: 'A25 NEVER, no matching template', path: '/test/mock/never', type: 'application/xml', want: 415 },
    { rule: 'NEVER, matching template', path: '/test/mock/never', type: 'application/json', want: 200 },
    { rule: 'WHEN_NO_TEMPLATES, templates exist but none matches', path: '/test/mock/when-no-templates', type: 'application/xml', want: 415 },
    { rule: 'WHEN_NO_MATCH (default), no matching template → passthrough', path: '/test/mock/when-no-match', type: 'application/xml', want: 200 },
  ])('R2.4 / R2.5 / R0.6 $rule → $want', async ({ path, type, want }) => {
    const got = await h.send({ method: 'POST', path, body: '<a/>', headers: [['Content-Type', type]] });
    expect(got.status).toBe(want);
    if (want === 415) {
      expect(got.json()).toEqual({ message: 'Unsupported Media Type' });
      expect(got.headers.get('x-amzn-errortype')).toBe('UnsupportedMediaTypeException');
    }
  });

  it.each([
    { rule: 'body fails validation and has no template → 400 wins', body: '<a/>', want: 400 },
    { rule: 'body passes validation, no template → then 415', body: '{}', want: 415 },
  ])('R0.6 415 is decided after validation: $rule', async ({ body, want }) => {
    const got = await h.send({ method: 'POST', path: '/test/mock/validated-never', body, headers: [['Content-Type', 'application/xml']] });
    expect(got.status).toBe(want);
  });

  it('A28 / R3.5 $input.path of a missing field renders as empty string; A29 / R3.1 empty $input.body renders {}', async () => {
    const got = await h.send({ method: 'POST', path: '/test/mock/vtl' });
    expect(got.json()).toEqual({ missing: '', body: {}, color: 'blue' });
  });

  it('R2.6 status patterns are full matches: "5\\d{2}" does not match 200', async () => {
    expect((await h.send({ path: '/test/mock/branch?scope=internal' })).status).toBe(200);
  });
});
