/**
 * Shared REST/HTTP conformance: the answers API Gateway makes itself (REST R0.1, R1.25, R1.53, R8, R11; HTTP H0.1,
 * H3, H10) and the request id on every answer, each behaviour stated once with each API type's documented answer.
 */
import { describe, expect, it } from 'vitest';
import { echoedEvent, sharedApis, type Given, type PerType } from './adapter.js';

const apis = await sharedApis();

interface Refusal {
  status: number;
  body: unknown;
  errorType: string | null;
}

/** No route for the request: REST R0.1 / R8.9 (A1, A2), HTTP H0.1 / H3.4 / H10.1 (B1). */
const NO_ROUTE: PerType<Refusal> = {
  rest: { status: 403, body: { message: 'Missing Authentication Token' }, errorType: 'MissingAuthenticationTokenException' },
  http: { status: 404, body: { message: 'Not Found' }, errorType: null },
};

describe.each(apis)('$type API: answers of the gateway itself', (api) => {
  const REQUEST_ID: PerType<{ id: string; absent: string[] }> = {
    // R1.25: requestContext.requestId is returned as x-amzn-RequestId, extendedRequestId as x-amz-apigw-id.
    rest: { id: 'x-amzn-requestid', absent: [] },
    // H4.15 / H10.8: apigw-requestid on every answer, none of the REST headers [AMBIGUOUS: one capture].
    http: { id: 'apigw-requestid', absent: ['x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-errortype'] },
  };

  it('R1.25 / H4.15 the request id header of an answer is the requestContext.requestId the function got', async () => {
    const got = await api.send({ path: '/items/1' });
    const { requestContext } = echoedEvent(got) as { requestContext: { requestId: string; extendedRequestId?: string } };
    expect(got.headers.get(REQUEST_ID[api.type].id)).toBe(requestContext.requestId);
    if (api.type === 'rest') expect(got.headers.get('x-amz-apigw-id')).toBe(requestContext.extendedRequestId);
  });

  it.each([
    { given: 'a function answer', request: { path: '/items/1' } },
    { given: 'no route', request: { path: '/nowhere' } },
    { given: 'a function error', request: { path: '/boom' } },
  ])("R1.25 / H10.8 $given carries its type's request id header, and an HTTP API none of the REST ones", async ({ request }) => {
    const want = REQUEST_ID[api.type];
    const got = await api.send(request);
    expect(got.headers.get(want.id)).toMatch(/\S/);
    for (const name of want.absent) expect(got.headers.get(name)).toBeNull();
  });

  it.each<{ rule: string; request: Given }>([
    { rule: 'A1 / R0.1 / R8.9 / B1 / H3.4 / H10.1 a path no route has', request: { path: '/nowhere' } },
    { rule: 'A2 / R8.9 / H3.4 a method the route lacks (DELETE on GET /items/{id})', request: { method: 'DELETE', path: '/items/1' } },
  ])('$rule: REST 403 Missing Authentication Token, HTTP 404 Not Found, no function runs', async ({ request }) => {
    const want = NO_ROUTE[api.type];
    const before = api.invoker.calls.length;
    const got = await api.send(request);
    expect(got.status).toBe(want.status);
    expect(got.json()).toEqual(want.body);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('x-amzn-errortype')).toBe(want.errorType);
    expect(api.invoker.calls.length).toBe(before);
  });

  it('R11.12 [AMBIGUOUS] / H3.8 [AMBIGUOUS] HEAD is not served by a GET route: the no-route answer, no function runs', async () => {
    const before = api.invoker.calls.length;
    const got = await api.send({ method: 'HEAD', path: '/items/1' });
    expect(got.status).toBe(NO_ROUTE[api.type].status);
    // The gateway's answer; the node server (server.ts) sends a HEAD answer's head only.
    expect(got.json()).toEqual(NO_ROUTE[api.type].body);
    expect(api.invoker.calls.length).toBe(before);
  });

  const TOO_LARGE: PerType<{ status: number; contentType: string; text: string }> = {
    // R8.8 / R11.14: 413, plain text, not customisable.
    rest: { status: 413, contentType: 'text; charset=utf-8', text: 'HTTP content length exceeded 10485760 bytes.' },
    // H10.7: the 10 MB limit is documented, the answer is not [AMBIGUOUS]: the emulator's choice.
    http: { status: 413, contentType: 'application/json', text: '{"message":"Request Entity Too Large"}' },
  };

  it('R11.14 / R8.8 / H10.7 [AMBIGUOUS answer] a body over the 10 MB payload limit is refused before any function runs', async () => {
    const before = api.invoker.calls.length;
    const got = await api.send({ method: 'POST', path: '/upload', headers: [['Content-Type', 'application/json']], body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect({ status: got.status, contentType: got.headers.get('content-type'), text: got.text }).toEqual(TOO_LARGE[api.type]);
    expect(api.invoker.calls.length).toBe(before);
  });

  const TIMED_OUT: PerType<{ status: number; text: string }> = {
    rest: { status: 504, text: '{"message": "Endpoint request timed out"}' }, // R1.53, A10, R8.2
    http: { status: 503, text: '{"message":"Service Unavailable"}' }, // H10.5 [AMBIGUOUS] (KC:504 says 504)
  };

  it("R1.53 / R11.16 / H10.5 / H2.4 the integration deadline (the route's timeoutInMillis, 1000) passing: REST 504, HTTP 503", async () => {
    // The fake invoker reports the deadline as passed at once, as the runtime does for a handler slower than it.
    api.invoker.deadlineExceeded.add('SlowFunction');
    const got = await api.send({ path: '/slow' });
    expect({ status: got.status, text: got.text }).toEqual(TIMED_OUT[api.type]);
    expect(api.invoker.calls.at(-1)).toMatchObject({ functionLogicalId: 'SlowFunction', deadlineMs: 1000 });
  });

  const DEFAULT_TIMEOUT_MS: PerType<number> = { rest: 29_000, http: 30_000 }; // R1.5 / R11.16; H2.4 [AMBIGUOUS]

  it('R1.5 / R11.16 / H2.4 [AMBIGUOUS] a route without timeoutInMillis: REST 29 000 ms, HTTP 30 000 ms', async () => {
    await api.send({ path: '/items/1' });
    expect(api.invoker.calls.at(-1)).toMatchObject({ functionLogicalId: 'EchoFunction', deadlineMs: DEFAULT_TIMEOUT_MS[api.type] });
  });
});
