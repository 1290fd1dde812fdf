/** Conformance: request validation (reference 5) and its order in the pipeline (R0.5). */
import { describe, expect, it } from 'vitest';
import { echoed, harness } from './harness.js';

const h = await harness();
const JSON_CT: [string, string] = ['Content-Type', 'application/json'];
const post = (path: string, body: string, headers: [string, string][] = [JSON_CT]) => h.send({ method: 'POST', path, body, headers });

describe('5 request validation', () => {
  it('A12 / R5.3 missing required header h1 and query q1 → 400 with the sorted list', async () => {
    const got = await h.send({ path: '/test/validated/params' });
    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'Missing required request parameters: [h1, q1]' });
    expect(got.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });

  it('R5.3 order is by method.request.<location>.<name>: header before querystring regardless of name', async () => {
    const got = await h.send({ path: '/test/validated/iss/order' });
    expect(got.json()).toEqual({ message: 'Missing required request parameters: [zh, aq]' });
  });

  it.each([
    { rule: 'blank query value fails', path: '/test/validated/params?q1=', headers: [['h1', 'x']] as [string, string][], want: 400 },
    { rule: 'blank header value fails', path: '/test/validated/params?q1=v', headers: [['h1', ' ']] as [string, string][], want: 400 },
    { rule: 'present non-blank values pass', path: '/test/validated/params?q1=v', headers: [['h1', 'x']] as [string, string][], want: 200 },
    { rule: 'optional parameters are not required', path: '/test/validated/params?q1=v&optional=', headers: [['h1', 'x']] as [string, string][], want: 200 },
  ])('R5.2 $rule', async ({ path, headers, want }) => {
    expect((await h.send({ path, headers })).status).toBe(want);
  });

  it('R5.9 [AMBIGUOUS] required header names match case-insensitively', async () => {
    expect((await h.send({ path: '/test/validated/params?q1=v', headers: [['H1', 'x']] })).status).toBe(200);
  });

  it('A13 / R5.5 a body that violates the model → 400 Invalid request body', async () => {
    const got = await post('/test/validated/body', '{"title":"t","status":"doing"}');
    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'Invalid request body' });
    expect(got.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });

  it.each([
    { rule: 'valid body passes', body: '{"title":"t","status":"done","priority":3}', want: 200 },
    { rule: 'missing required property', body: '{"status":"done"}', want: 400 },
    { rule: 'additionalProperties false', body: '{"title":"t","extra":1}', want: 400 },
    { rule: 'minLength', body: '{"title":""}', want: 400 },
    { rule: 'integer maximum', body: '{"title":"t","priority":9}', want: 400 },
    { rule: 'R5.8 nullable is not draft 4: null fails type string', body: '{"title":"t","status":null}', want: 400 },
    { rule: 'R5.6 non-JSON body', body: 'not json', want: 400 },
    { rule: 'R5.6 empty body is validated as {}', body: '', want: 400 },
    // Draft 4: "integer: a JSON number without a fraction or exponent part" (API Gateway's validator reads 3.0 as a decimal).
    { rule: 'R5.8 [AMBIGUOUS] an integer written 3.0 is a decimal', body: '{"title":"t","priority":3.0}', want: 400 },
    { rule: 'R5.8 [AMBIGUOUS] an integer written 3e0 is a decimal', body: '{"title":"t","priority":3e0}', want: 400 },
    { rule: 'a decimal where the model takes any string is not looked at', body: '{"title":"2.0","priority":3}', want: 200 },
  ])('R5.4 body model ($ref to components.schemas, draft 4): $rule → $want', async ({ body, want }) => {
    expect((await post('/test/validated/body', body)).status).toBe(want);
  });

  it('R5.4 absent Content-Type is treated as application/json', async () => {
    expect((await post('/test/validated/body', '{"nope":1}', [])).status).toBe(400);
  });

  it('R5.4 no model for the content type → body validation skipped', async () => {
    expect((await post('/test/validated/body', 'anything', [['Content-Type', 'text/plain']])).status).toBe(200);
  });

  it('R5.4 a model only for application/xml does not apply to a JSON request', async () => {
    expect((await post('/test/validated/xml-only', '{}')).status).toBe(200);
  });

  it('R5.6 a GET without body against a model with required props → 400 Invalid request body', async () => {
    const got = await h.send({ path: '/test/validated/get-with-model' });
    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'Invalid request body' });
  });

  it('R0.5 / R5.7 parameters are validated before the body', async () => {
    const got = await post('/test/validated/all', '{"bad":true}');
    expect(got.json()).toEqual({ message: 'Missing required request parameters: [q]' });
  });

  it('R5.1 a method without a validator is not validated', async () => {
    expect((await post('/test/a', '{"anything": "goes"}')).status).toBe(200);
  });

  it('R5.5 the detailed reason is in $context.error.validationErrorString (AWS-like wording)', async () => {
    const custom = await harness('CustomResponsesApi');
    const got = await custom.send({ method: 'POST', path: '/custom/validated', body: '{"status":"x"}', headers: [JSON_CT, ['Accept', 'text/plain']] });
    expect(got.status).toBe(400);
    expect(got.headers.get('content-type')).toBe('text/plain');
    // JSON-escaped so that it can sit inside a JSON string in a gateway response template (see context.ts).
    expect(got.text).toBe('[object has missing required properties ([\\"title\\"]), instance value (\\"x\\") not found in enum (possible values: [\\"todo\\",\\"done\\"]) at /status]');
    expect(JSON.parse(`"${got.text}"`)).toBe('[object has missing required properties (["title"]), instance value ("x") not found in enum (possible values: ["todo","done"]) at /status]');
  });

  it.each(['{"title":NaN}', '{"title":"t"', '{"title":"t"} trailing'])('R5.5 [AMBIGUOUS] R5.6 unparsable JSON %s: where it broke when known, never the parser`s own sentence quoting the body', async (body) => {
    const custom = await harness('CustomResponsesApi');
    const got = await custom.send({ method: 'POST', path: '/custom/validated', body, headers: [JSON_CT, ['Accept', 'text/plain']] });
    expect(got.status).toBe(400);
    expect(got.text).toMatch(/^\[Invalid JSON in request body(?: at position \d+)?\]$/);
  });

  it('validated requests still reach the integration unchanged', async () => {
    const event = echoed(await post('/test/validated/body', '{"title":"t"}'));
    expect(event.body).toBe('{"title":"t"}');
  });
});
