/** Conformance: integration requestParameters (R2.10) on Lambda integrations, and X-Amz-Invocation-Type. */
import { describe, expect, it } from 'vitest';
import { FIDELITY_TEMPLATE, echoed, harness } from './harness.js';

const h = await harness('FidelityApi', {}, FIDELITY_TEMPLATE);
const ISE = { message: 'Internal server error' };
const calls = () => h.invoker.calls.filter((c) => c.functionLogicalId === 'ReplyFunction').length;

describe('R2.10 X-Amz-Invocation-Type on a Lambda custom integration', () => {
  it("'Event' (static mapping): an empty 200 at once, and the function is still invoked with the mapped event", async () => {
    const before = calls();
    const got = await h.send({ path: '/v1/params/event?q=async' });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ accepted: true, body: '{}' }); // R3.1: an empty body renders {}
    expect(calls()).toBe(before + 1);
    expect(h.invoker.calls.at(-1)?.event).toEqual({ q: 'async' });
    expect(h.entries.at(-1)?.functionLogicalId).toBe('ReplyFunction');
  });

  it.each([
    { label: 'mapped from a header: Event', headers: [['X-Mode', 'Event']] as [string, string][], query: '', body: '', invoked: 1 },
    { label: 'set by the request template’s requestOverride: Event', headers: [], query: '&override=Event', body: '', invoked: 1 },
    { label: 'DryRun: nothing runs', headers: [['X-Mode', 'DryRun']] as [string, string][], query: '', body: '', invoked: 0 },
  ])('$label → empty 200', async ({ headers, query, body, invoked }) => {
    const before = calls();
    const got = await h.send({ path: `/v1/params/invoke?q=x${query}`, headers });
    expect(got.status).toBe(200);
    expect(got.text).toBe(body);
    expect(calls()).toBe(before + invoked);
  });

  it.each([
    { label: 'no header: the source maps nothing, so a synchronous call', headers: [] as [string, string][] },
    { label: 'RequestResponse', headers: [['X-Mode', 'RequestResponse']] as [string, string][] },
  ])('neighbour: $label → the function’s answer', async ({ headers }) => {
    const got = await h.send({ path: '/v1/params/invoke?q=sync', headers });
    expect(got.status).toBe(200);
    expect(JSON.parse((got.json() as { body: string }).body)).toEqual({ q: 'sync' });
  });

  it.each(['event', 'Bogus'])('a value Lambda refuses (%s) → 500, nothing invoked', async (mode) => {
    const before = calls();
    const got = await h.send({ path: '/v1/params/invoke', headers: [['X-Mode', mode]] });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual(ISE);
    expect(calls()).toBe(before);
    expect(h.logs.at(-1)).toContain('X-Amz-Invocation-Type');
  });
});

describe('R2.10 mappings on a Lambda proxy integration', () => {
  it('static, header and context mappings are accepted and change nothing in the event', async () => {
    const event = echoed(await h.send({ path: '/v1/params/proxy', headers: [['X-In', 'v']] }));
    expect(event.headers['X-Static']).toBeUndefined();
    expect(event.queryStringParameters).toBeNull();
  });

  it.each([
    { label: 'Authorization mapped for a Lambda integration', path: '/v1/params/proxy', headers: [['Authorization', 'Bearer t']] as [string, string][] },
    { label: 'Content-Length mapped', path: '/v1/params/refused?len=3', headers: [] as [string, string][] },
  ])('a header API Gateway refuses to set ($label) → 500 at run time, the function not invoked', async ({ path, headers }) => {
    const before = calls();
    const got = await h.send({ path, headers });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual(ISE);
    expect(calls()).toBe(before);
    expect(h.logs.at(-1)).toMatch(/header already present/);
  });

  it('neighbour: the refused header is only refused when its source has a value', async () => {
    expect((await h.send({ path: '/v1/params/refused' })).status).toBe(200);
  });

  it('an expression that is not a mapping source → 500 with the expression logged', async () => {
    const got = await h.send({ path: '/v1/params/bad-expression' });
    expect(got.status).toBe(500);
    expect(h.logs.at(-1)).toContain('method.request.nowhere.x');
  });

  it('the startup report lists requestParameters as emulated', () => {
    const items = h.gateway.support.filter((i) => i.subject === 'x-amazon-apigateway-integration.requestParameters');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.status === 'emulated')).toBe(true);
  });
});
