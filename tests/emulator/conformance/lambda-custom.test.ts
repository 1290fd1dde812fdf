/** Conformance: Lambda custom (non-proxy) integrations, `type: aws` (reference section 2, A24, A25). */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const h = await harness();

/** The event CustomFunction received, as its echo answer carries it. */
function received(got: { status: number; text: string; json: () => unknown }): Record<string, unknown> {
  if (got.status !== 200) throw new Error(`expected 200 from the echo, got ${got.status}: ${got.text}`);
  return (got.json() as { received: Record<string, unknown> }).received;
}

describe('R2.1 payload and integration result', () => {
  it('R2.1 Lambda receives the rendered request template parsed as JSON; its result is the body with status 200', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/echo?q=v1', body: '{"a":[1,2]}', headers: [['Content-Type', 'application/json']] });
    expect(got.status).toBe(200);
    expect(received(got)).toEqual({ mode: 'echo', via: 'json', body: { a: [1, 2] }, q: 'v1' });
    expect(h.invoker.calls.at(-1)?.functionLogicalId).toBe('CustomFunction');
  });

  it('R2.1 a string result is the JSON string "hello"; an undefined result is null', async () => {
    expect((await h.send({ path: '/test/custom/passthrough-response?mode=string' })).text).toBe('"hello"');
    expect((await h.send({ path: '/test/custom/passthrough-response?mode=nothing' })).text).toBe('null');
  });

  it('R2.1 the request log names the function', async () => {
    await h.send({ path: '/test/custom/passthrough-response?mode=string' });
    expect(h.entries.at(-1)).toMatchObject({ functionLogicalId: 'CustomFunction', status: 200 });
  });

  it('R1.53 analogue: the integration timeoutInMillis is the invoke deadline → 504 INTEGRATION_TIMEOUT', async () => {
    const got = await h.send({ path: '/test/custom/timeout' });
    expect(got.status).toBe(504);
    expect(got.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(h.invoker.calls.at(-1)?.deadlineMs).toBe(200);
  });

  it('R1.1 a Lambda integration whose httpMethod is not POST → 500', async () => {
    const got = await h.send({ path: '/test/custom/not-post' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });
});

describe('R2.2 request template selection', () => {
  it.each([
    { given: 'application/json; charset=UTF-8', body: '{}', want: 'json' },
    { given: undefined, body: '{}', want: 'json' },
    { given: 'TEXT/PLAIN', body: 'it\'s "x"', want: 'text' },
  ])('R2.2 Content-Type $given selects the $want template by media type', async ({ given, body, want }) => {
    const got = await h.send({ method: 'POST', path: '/test/custom/echo', body, headers: given ? [['Content-Type', given]] : [] });
    expect(received(got).via).toBe(want);
  });

  it('R2.2 / R3.10 the text template embeds the raw body escaped as a JSON string', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/echo', body: 'it\'s "x"\n', headers: [['Content-Type', 'text/plain']] });
    expect(received(got).raw).toBe('it\'s "x"\n');
  });

  it('R2.2 [AMBIGUOUS] $default is used when no key matches the media type', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/default-template', body: 'a,b', headers: [['Content-Type', 'text/csv']] });
    expect(received(got).via).toBe('default-key');
  });
});

describe('R2.4 / R2.5 passthrough behaviours', () => {
  it('R2.4 WHEN_NO_MATCH (default): no matching template → the raw body is the payload', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/echo', body: '{"mode":"echo","passed":true}', headers: [['Content-Type', 'application/vnd.x+json']] });
    expect(received(got)).toEqual({ mode: 'echo', passed: true });
  });

  it('R2.4 WHEN_NO_TEMPLATES without templates → passthrough', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/when-no-templates', body: '{"k":1}', headers: [['Content-Type', 'application/xml']] });
    expect(received(got)).toEqual({ k: 1 });
  });

  it('R2.1 [AMBIGUOUS] an empty passthrough body reaches Lambda as {}', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/when-no-templates' });
    expect(received(got)).toEqual({});
  });

  it('R2.1 [AMBIGUOUS] a non-JSON passthrough payload is refused by Lambda → 500, function not invoked', async () => {
    const before = h.invoker.calls.length;
    const got = await h.send({ method: 'POST', path: '/test/custom/echo', body: '<a/>', headers: [['Content-Type', 'application/xml']] });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(h.logs.at(-1)).toMatch(/Could not parse request body into json/);
    expect(h.invoker.calls.length).toBe(before);
  });

  it.each([
    { rule: 'A25 / R2.5 NEVER, Content-Type application/xml, only a JSON template', type: 'application/xml', want: 415 },
    { rule: 'R2.4 NEVER, matching template', type: 'application/json', want: 200 },
  ])('$rule → $want', async ({ type, want }) => {
    const before = h.invoker.calls.length;
    const got = await h.send({ method: 'POST', path: '/test/custom/never', body: '<a/>', headers: [['Content-Type', type]] });
    expect(got.status).toBe(want);
    if (want === 415) {
      expect(got.json()).toEqual({ message: 'Unsupported Media Type' });
      expect(h.invoker.calls.length).toBe(before);
    }
  });
});

describe('R2.6 / R2.7 / R2.8 integration response selection for Lambda', () => {
  it('R2.6 a successful invocation selects default; a "200" pattern is not matched', async () => {
    const got = await h.send({ path: '/test/custom/errors?mode=echo' });
    expect(got.status).toBe(200);
    expect(received(got)).toMatchObject({ mode: 'echo' });
  });

  it('A24 / R2.7 error "Bad thing" with Bad.* → 400 and the Node.js runtime`s error document as the body', async () => {
    const got = await h.send({ path: '/test/custom/errors?mode=fail&message=Bad%20thing' });
    expect(got.status).toBe(400);
    const body = got.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(body).toMatchObject({ errorMessage: 'Bad thing', errorType: 'Error' });
    expect(Array.isArray(body.trace)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  it('R2.9 integration.response.body.<path> maps the error body into a header', async () => {
    const got = await h.send({ path: '/test/custom/errors?mode=fail&message=Bad%20thing' });
    expect(got.headers.get('x-error-type')).toBe('Error');
  });

  it.each([
    { message: 'Error: Raising four hundred now', want: 405, why: '[AMBIGUOUS] tie-break: first in document order (.*four hundred.* before .+)' },
    { message: 'something else', want: 502, why: '.+ catches the rest' },
    { message: 'a Bad thing', want: 502, why: 'full match: Bad.* does not match in the middle' },
  ])('R2.6 errorMessage "$message" → $want ($why)', async ({ message, want }) => {
    const got = await h.send({ path: `/test/custom/errors?mode=fail&message=${encodeURIComponent(message)}` });
    expect(got.status).toBe(want);
    expect((got.json() as { errorMessage: string }).errorMessage).toBe(message);
  });

  it('R2.6 `.*` matches a successful (null errorMessage) invocation, i.e. behaves as the default', async () => {
    expect((await h.send({ path: '/test/custom/match-empty?mode=echo' })).status).toBe(203);
    expect((await h.send({ path: '/test/custom/match-empty?mode=fail&message=x' })).status).toBe(203);
  });

  it('R2.8 a JSON errorMessage: integration.response.body.errorMessage.code is deserialised into a header', async () => {
    const got = await h.send({ path: '/test/custom/errors?mode=failJson&problem=E42' });
    expect(got.status).toBe(409);
    expect(got.headers.get('x-problem-code')).toBe('E42');
    expect(got.json()).toEqual({ code: 'E42', status: 409 });
  });

  it('R2.6 no pattern matches and no default → 500 Internal server error', async () => {
    const got = await h.send({ path: '/test/custom/no-default?mode=echo' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(got.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(h.logs.at(-1)).toMatch(/no integration response matches "" and there is no default/);
  });

  it('R2.6 the same route with a matching error still answers its pattern', async () => {
    expect((await h.send({ path: '/test/custom/no-default?mode=fail&message=Bad' })).status).toBe(400);
  });

  it('R2.6 [AMBIGUOUS] selected status not declared in the operation responses → 500', async () => {
    const got = await h.send({ path: '/test/custom/undeclared' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(h.logs.at(-1)).toMatch(/statusCode "202", which is not a method response/);
  });
});

describe('R2.3 / R2.9 / R2.12 method response mapping', () => {
  it('R2.9 responseParameters: static, context, stageVariables and integration.response.body paths', async () => {
    const got = await h.send({ path: '/test/custom/mapped?mode=plain' });
    expect(got.status).toBe(200);
    expect(got.headers.get('x-static')).toBe('static-value');
    expect(got.headers.get('x-request-id')).toBe(got.headers.get('x-amzn-requestid'));
    expect(got.headers.get('x-color')).toBe('blue');
    expect(got.headers.get('x-mode')).toBe('plain');
    expect(got.headers.has('x-missing')).toBe(false);
  });

  it.each([
    { accept: undefined, type: 'application/json', want: (t: string) => expect(JSON.parse(t)).toEqual({ mode: 'plain', n: 2 }) },
    { accept: 'text/plain', type: 'text/plain', want: (t: string) => expect(t).toBe('mode=plain') },
    { accept: 'application/xml', type: 'application/json', want: (t: string) => expect(JSON.parse(t)).toEqual({ mode: 'plain', n: 2 }) },
  ])('R2.3 Accept $accept selects the response template → $type', async ({ accept, type, want }) => {
    const got = await h.send({ path: '/test/custom/mapped?mode=plain', headers: accept ? [['Accept', accept]] : [] });
    expect(got.headers.get('content-type')).toBe(type);
    want(got.text);
  });

  it('R2.11 an Accept among the binaryMediaTypes (image/png here) asks for the JSON answer base64-decoded: it is no base64, 500', async () => {
    const got = await h.send({ path: '/test/custom/mapped?mode=plain', headers: [['Accept', 'image/png']] });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });

  it.each([
    { given: 'an empty template (stored as null by API Gateway)', accept: undefined, type: 'application/json', body: '{"received":{"mode":"echo"}}' },
    { given: 'the neighbour template of the same response, chosen by Accept', accept: 'text/plain', type: 'text/plain', body: 'mode=echo' },
  ])('R2.3 $given → $type $body', async ({ accept, type, body }) => {
    const got = await h.send({ path: '/test/custom/empty-response-template?mode=echo', headers: accept ? [['Accept', accept]] : [] });

    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe(type);
    expect(got.text).toBe(body);
  });

  it('R2.3 no response templates → the integration body passes through, Content-Type application/json', async () => {
    const got = await h.send({ path: '/test/custom/passthrough-response?mode=echo' });
    expect(got.json()).toEqual({ received: { mode: 'echo' } });
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  it('R2.12 $context.responseOverride.status and hyphenated .header.<Name> win', async () => {
    const got = await h.send({ path: '/test/custom/mapped?mode=override' });
    expect(got.status).toBe(202);
    expect(got.headers.get('content-type')).toBe('application/problem+json');
    expect(got.headers.get('access-control-expose-headers')).toBe('ETag,Location');
    expect(got.json()).toEqual({ mode: 'override', n: 2 });
  });

  it('R2.12 $context.requestOverride in a request template does not break the integration request', async () => {
    const got = await h.send({ path: '/test/custom/mapped?mode=plain' });
    expect(h.invoker.calls.at(-1)?.event).toEqual({ mode: 'plain', n: 2 });
    expect(got.status).toBe(200);
  });
});

describe('support report', () => {
  it('R2 a Lambda custom integration route is emulated and names its function', () => {
    const route = h.gateway.routes.find((r) => r.method === 'GET' && r.path === '/custom/errors');
    expect(route).toMatchObject({ integration: 'aws', functionLogicalId: 'CustomFunction', emulated: true });
  });

  it.each([
    { subject: 'x-amazon-apigateway-integration.requestTemplates', status: 'emulated' },
    { subject: 'x-amazon-apigateway-integration.responses', status: 'emulated' },
  ])('R2 support report: $subject of an aws Lambda integration is $status', ({ subject, status }) => {
    const item = h.gateway.support.find((i) => i.subject === subject && i.location === 'paths./custom/errors.get.x-amazon-apigateway-integration');
    expect(item?.status).toBe(status);
  });
});
