/** Conformance: VTL mapping templates (reference section 3, A28, A29) rendered by a Lambda custom integration. */
import { describe, expect, it } from 'vitest';
import type { IdentityStage } from '../../../emulator/gateway/identity.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { harness, type Got } from './harness.js';

/** FAKE identity stage: puts the authorizer context part 2 would produce (chosen by the x-test-auth header). */
const fakeIdentity: IdentityStage = {
  supports: () => true,
  run: (state) => {
    const kind = state.headers.find(([n]) => n.toLowerCase() === 'x-test-auth')?.[1];
    state.authorizer = kind === 'lambda' ? { principalId: 'p-1', tier: 'gold' } : { claims: { sub: 'sub-1', 'custom:role': 'admin' } };
    return Promise.resolve({ ok: true });
  },
};

/** The gateway's clock: request times are the time it says, not the test's wall clock. */
const ARRIVAL = Date.UTC(2026, 2, 5, 7, 8, 9, 456);
const h = await harness('ConformanceApi', { identity: fakeIdentity, clock: new ManualClock(ARRIVAL) });

const BODY = {
  name: 'it\'s "me" {x}',
  plain: 'plain',
  obj: { a: 1, b: 'x' },
  list: [{ k: 'v1' }, { k: 'v2' }],
  nest: { foo: [{ nested: 'bar' }] },
};

function received(got: Got): Record<string, unknown> {
  if (got.status !== 200) throw new Error(`expected 200 from the echo, got ${got.status}: ${got.text} (${h.logs.at(-1) ?? 'no log'})`);
  return (got.json() as { received: Record<string, unknown> }).received;
}

async function render(headers: [string, string][] = []): Promise<{ event: Record<string, unknown>; got: Got }> {
  const got = await h.send({
    method: 'POST',
    path: '/test/custom/vtl/p-7?q=qv&id=from-query',
    body: JSON.stringify(BODY),
    headers: [['Content-Type', 'application/json'], ['x-custom', 'hv'], ['id', 'from-header'], ...headers],
  });
  return { event: received(got), got };
}

describe('3.1 $input', () => {
  it.each([
    { rule: 'R3.1 $input.body is the raw payload', key: 'body', want: JSON.stringify(BODY) },
    { rule: 'R3.2 $input.json of an object is JSON', key: 'jsonObject', want: { a: 1, b: 'x' } },
    { rule: 'R3.2 $input.json of a string is a quoted JSON string', key: 'jsonString', want: BODY.name },
    { rule: 'R3.3 $input.path gives a List with .size()', key: 'pathSize', want: '2' },
    { rule: 'R3.3 $input.path gives index access [1]', key: 'pathIndex', want: 'v2' },
    { rule: 'R3.3 $input.path(\'$\') gives a Map with dot access', key: 'pathRoot', want: 'plain' },
    { rule: 'R3.4 a Map renders Java-style', key: 'mapRendered', want: '{a=1, b=x}' },
    { rule: 'R3.4 a List renders as compact JSON', key: 'listRendered', want: '[{"k":"v1"},{"k":"v2"}]' },
    { rule: 'R3.4 a Map holding a list renders {foo=[...]}', key: 'nestedRendered', want: '{foo=[{"nested":"bar"}]}' },
    { rule: 'R3.5 / A28 a missing path renders empty', key: 'missing', want: '[]' },
    { rule: 'R3.5 a missing value is falsy, equals "" and equals $null', key: 'missingTests', want: 'noteqnull' },
    { rule: 'R3.6 $input.params() has path, querystring and header maps', key: 'paramsMapKeys', want: 'path,querystring,header' },
    { rule: 'R3.6 $input.params().path.<name>', key: 'paramsMapPath', want: 'p-7' },
    { rule: 'R3.6 $input.params().querystring.<name>', key: 'paramsMapQuery', want: 'qv' },
    { rule: 'R3.7 $input.params(x) looks in path first', key: 'paramPath', want: 'p-7' },
    { rule: 'R3.7 then in the query string', key: 'paramQuery', want: 'qv' },
    { rule: 'R3.7 then in the headers', key: 'paramHeader', want: 'hv' },
    { rule: 'R3.7 [AMBIGUOUS] header lookup is case-insensitive', key: 'paramHeaderCase', want: 'hv' },
    { rule: 'R3.7 not found → empty string', key: 'paramNone', want: '[]' },
  ])('$rule', async ({ key, want }) => {
    const { event } = await render();
    expect(event[key]).toEqual(want);
  });

  it('A29 / R3.1 $input.body of an empty request is {}; A28 a missing path is empty', async () => {
    const got = await h.send({ method: 'POST', path: '/test/custom/vtl-body' });
    expect(received(got)).toEqual({ mode: 'echo', body: '{}', missing: '' });
  });

  it('R3.5 [AMBIGUOUS] #set with a null right-hand side keeps the previous value (Velocity 1.x)', async () => {
    expect((await render()).event.setNull).toBe('kept');
  });
});

describe('3.2 $util', () => {
  it.each([
    { rule: 'R3.10 escapeJavaScript + .replaceAll("\\\\\'","\'") yields valid JSON with single quotes kept', key: 'escaped', want: BODY.name },
    { rule: 'R3.11 parseJson gives dot access', key: 'parsed', want: '1' },
    { rule: 'R3.12 urlEncode is form encoding', key: 'urlEncoded', want: 'it%27s+%22me%22+%7Bx%7D' },
    { rule: 'R3.12 urlDecode', key: 'urlDecoded', want: 'a b/c{}' },
    { rule: 'R3.13 base64Encode is UTF-8 base64', key: 'b64', want: Buffer.from(BODY.name).toString('base64') },
    { rule: 'R3.13 base64Decode inverts it', key: 'b64back', want: BODY.name },
  ])('$rule', async ({ key, want }) => {
    const { event } = await render();
    expect(event[key]).toBe(want);
  });
});

describe('3.3 $context and $stageVariables', () => {
  it('R3.20 Cognito claims: $context.authorizer.claims.sub and claims[\'custom:role\']', async () => {
    const { event } = await render();
    expect(event).toMatchObject({ sub: 'sub-1', role: 'admin', principalId: '' });
  });

  it('R3.20 Lambda authorizer context: principalId and flat keys', async () => {
    const { event } = await render([['x-test-auth', 'lambda']]);
    expect(event).toMatchObject({ principalId: 'p-1', tier: 'gold', sub: '', claims: '[]' });
  });

  it('R3.20 request variables: requestTime (CLF), requestTimeEpoch, requestId, httpMethod, resourcePath, path, stage', async () => {
    const { event, got } = await render();
    expect(event.requestTime).toBe('05/Mar/2026:07:08:09 +0000');
    expect(Number(event.requestTimeEpoch)).toBe(ARRIVAL);
    expect(event).toMatchObject({ requestId: got.headers.get('x-amzn-requestid'), httpMethod: 'POST', resourcePath: '/custom/vtl/{id}', path: '/test/custom/vtl/p-7', stage: 'test' });
  });

  it('R3.22 $stageVariables.x, $stageVariables[\'x\'] and ${stageVariables[\'x\']}', async () => {
    expect((await render()).event.stageVars).toBe('blue|blue|blue');
  });

  it('R3.23 #foreach with $foreach.hasNext', async () => {
    expect((await render()).event.hasNext).toBe('v1,v2');
  });

  it.each([
    { items: 1000, want: 200 },
    { items: 1001, want: 500 },
  ])('R3.23 #foreach over $items items → $want (limit 1000 iterations)', async ({ items, want }) => {
    const got = await h.send({ method: 'POST', path: '/test/custom/vtl-foreach', body: JSON.stringify({ many: Array.from({ length: items }, (_, i) => i) }) });
    expect(got.status).toBe(want);
    if (want === 200) expect(received(got)).toEqual({ mode: 'echo', n: items });
    else expect(h.logs.at(-1)).toMatch(/#foreach exceeds 1000 iterations/);
  });
});
