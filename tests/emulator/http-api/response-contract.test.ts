/**
 * H6.7 / H6.9: which Lambda results an HTTP API can read, as AWS answered LocalStack's recorded HTTP API tests
 * (test_aws_proxy_response_payload_format_validation_v1/_v2), and the choices where nothing is recorded.
 */
import { describe, expect, it } from 'vitest';
import { responseV1, responseV2 } from '../../../emulator/gateway/http/response.js';
import { parseProxyResponse } from '../../../emulator/gateway/proxy-response.js';
import { startStreamedProxy } from '../../../emulator/gateway/proxy-stream.js';

describe('H6.9 payload 1.0 results on an HTTP API', () => {
  it('H6.9 a key outside the contract is ignored, not a malformed result (REST refuses it, R1.40)', async () => {
    const result = responseV1({ statusCode: 200, wrongValue: 'value', body: 'kept' });

    expect(result.ok).toBe(true);
    if (result.ok) expect([result.response.status, await result.response.text()]).toEqual([200, 'kept']);
  });

  it.each([
    { given: 'an empty object', payload: {} },
    { given: 'headers only', payload: { headers: { 'test-header': 'value' } } },
    { given: 'a null statusCode', payload: { statusCode: null, body: 'x' } },
  ])('H6.9 $given: statusCode is required (500), where REST defaults it to 200 (R1.41)', ({ payload }) => {
    expect(responseV1(payload)).toEqual({ ok: false, reason: 'Malformed Lambda proxy response: statusCode is missing' });
  });

  it('H6.9 neighbour: statusCode alone is a 200 with an empty body', async () => {
    const result = responseV1({ statusCode: 200 });

    expect(result.ok && [result.response.status, await result.response.text()]).toEqual([200, '']);
  });
});

describe('H6.7 payload 2.0 results an HTTP API cannot read', () => {
  it('H6.7 an object shaped as a Lambda error (errorMessage) is the failed integration, not an inferred body', () => {
    expect(responseV2({ errorMessage: 'test fake error message' }).ok).toBe(false);
    expect(responseV2({ errorMessage: 'boom', errorType: 'Error', trace: [] }).ok).toBe(false);
  });

  it.each([
    { given: 'the string "errorMessage"', payload: 'errorMessage', body: 'errorMessage' },
    { given: 'an object with other keys', payload: { message: 'errorMessage' }, body: '{"message":"errorMessage"}' },
    { given: 'null', payload: null, body: 'null' },
  ])('H6.2 neighbour: $given is still inferred as the body', async ({ payload, body }) => {
    const result = responseV2(payload);

    expect(result.ok && [result.response.status, await result.response.text()]).toEqual([200, body]);
  });

  it('H6.4 a function URL keeps inferring it (nothing recorded for function URLs)', async () => {
    const result = responseV2({ errorMessage: 'x' }, true);

    expect(result.ok && (await result.response.text())).toBe('{"errorMessage":"x"}');
  });

  it.each(['yes', 'true', 1, {}])('H6.7 [AMBIGUOUS] isBase64Encoded %j, no boolean, is a result API Gateway cannot read (500)', (flag) => {
    expect(responseV2({ statusCode: 200, body: 'eA==', isBase64Encoded: flag })).toEqual({ ok: false, reason: `isBase64Encoded ${JSON.stringify(flag)} is not a boolean` });
  });

  it.each([
    { flag: true, body: 'x' },
    { flag: false, body: 'eA==' },
    { flag: null, body: 'eA==' },
  ])('H6.6 neighbour: isBase64Encoded $flag sends $body', async ({ flag, body }) => {
    const result = responseV2({ statusCode: 200, body: 'eA==', isBase64Encoded: flag });

    expect(result.ok && (await result.response.text())).toBe(body);
  });
});

/** Headers of `total` bytes (names and values): one `x-a` header whose value makes up the rest. */
const headersOf = (total: number) => ({ 'x-a': 'v'.repeat(total - 3) });
const OVER = 'its headers (names and values) exceed 10240 bytes';

describe('H10.7 / R11.15 [AMBIGUOUS] an answer`s headers are bounded as a request`s are (10,240 bytes; AWS documents none for answers)', () => {
  it.each([
    { given: '10,240 bytes', total: 10_240, ok: true },
    { given: '10,241 bytes', total: 10_241, ok: false },
  ])('R11.15 REST proxy result with headers of $given: sent unless over (then malformed, 502)', ({ total, ok }) => {
    const parsed = parseProxyResponse({ statusCode: 200, headers: headersOf(total), body: 'x' });

    expect(parsed.ok ? 'sent' : parsed.reason).toBe(ok ? 'sent' : `Malformed Lambda proxy response: ${OVER}`);
  });

  it.each([
    { given: 'payload 2.0, 100,000 headers', result: () => responseV2({ statusCode: 200, headers: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`x-h${i}`, 'v'])), body: 'x' }), reason: OVER },
    { given: 'payload 2.0, 1 MB of cookies', result: () => responseV2({ statusCode: 200, cookies: ['a='.padEnd(1024 * 1024, 'x')], body: 'x' }), reason: OVER },
    { given: 'payload 1.0, a 1 MB value', result: () => responseV1({ statusCode: 200, multiValueHeaders: { 'x-big': ['x'.repeat(1024 * 1024)] }, body: 'x' }), reason: `Malformed Lambda proxy response: ${OVER}` },
  ])('H10.7 $given: a result the HTTP API cannot send (500)', ({ result, reason }) => {
    expect(result()).toEqual({ ok: false, reason });
  });

  it.each([
    { given: 'REST (responseTransferMode STREAM)', preludeOptional: false },
    { given: 'a function URL (RESPONSE_STREAM)', preludeOptional: true },
  ])('R11.15 a streamed answer ($given): a prelude whose headers and cookies exceed 10,240 bytes together is malformed', async ({ preludeOptional }) => {
    const stream = (prelude: Record<string, unknown>) =>
      startStreamedProxy(
        (onChunk) => {
          onChunk(Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8), Buffer.from('body')]));
          return Promise.resolve({ kind: 'ok', payload: undefined, cold: false, durationMs: 1 });
        },
        [],
        { preludeOptional },
      );
    // 5,000 bytes of headers and 5,240 of cookies are the bound; one byte more is over.
    const prelude = (cookie: number) => ({ statusCode: 200, headers: headersOf(5_000), cookies: [`c=${'x'.repeat(cookie - 'Set-Cookie'.length - 2)}`] });

    const within = await stream(prelude(5_240));
    const over = await stream(prelude(5_241));

    expect([within.kind, over]).toEqual(['reply', { kind: 'malformed', reason: `Malformed Lambda proxy response: ${OVER}` }]);
  });

  it('H10.7 neighbour: payload 2.0 headers of 10,240 bytes (non-ASCII counted as its UTF-8 bytes) are sent', () => {
    // 'é' is 2 bytes: 3 + 2 * 5,118 + 1 = 10,240.
    expect(responseV2({ statusCode: 200, headers: { 'x-a': `${'é'.repeat(5_118)}v` }, body: 'x' }).ok).toBe(true);
    expect(responseV2({ statusCode: 200, headers: { 'x-a': `${'é'.repeat(5_118)}vv` }, body: 'x' })).toEqual({ ok: false, reason: OVER });
  });
});
