/**
 * R1.45 / H6.1 [AMBIGUOUS]: header values of a Lambda proxy result that are no string. AWS records strings and
 * booleans (LocalStack's recorded `invoke-api-with-headers`); a null, an object or a list is a result the gateway
 * cannot send (REST 502, R1.51; HTTP API 500, H6.7), and a number is sent as its text, as a boolean is.
 */
import { describe, expect, it } from 'vitest';
import { parseProxyResponse } from '../../../emulator/gateway/proxy-response.js';
import { responseV1, responseV2 } from '../../../emulator/gateway/http/response.js';

const READERS = [
  { api: 'REST (R1.45)', ok: (payload: unknown) => parseProxyResponse(payload).ok },
  { api: 'HTTP API payload 1.0 (H6.9)', ok: (payload: unknown) => responseV1(payload).ok },
  { api: 'HTTP API payload 2.0 (H6.1)', ok: (payload: unknown) => responseV2(payload).ok },
];

describe.each(READERS)('$api: result header values', ({ ok }) => {
  it.each([
    { given: 'null', value: null },
    { given: 'an object', value: { a: 1 } },
    { given: 'a list', value: ['a', 'b'] },
  ])('[AMBIGUOUS] a header value that is $given makes the result malformed', ({ value }) => {
    expect(ok({ statusCode: 200, headers: { 'x-value': value }, body: 'x' })).toBe(false);
  });

  it.each([5.5, 0, true, false, ''])('neighbour: a header value %j is sent', (value) => {
    expect(ok({ statusCode: 200, headers: { 'x-value': value }, body: 'x' })).toBe(true);
  });
});

describe('R1.45 multiValueHeaders (REST)', () => {
  it.each([
    { given: 'a null in the list', values: ['a', null] },
    { given: 'an object in the list', values: [{ a: 1 }] },
  ])('[AMBIGUOUS] $given makes the result malformed', ({ values }) => {
    expect(parseProxyResponse({ statusCode: 200, multiValueHeaders: { 'x-m': values } }).ok).toBe(false);
  });

  it('neighbour: numbers and booleans in the list are sent as their text, comma-joined', () => {
    const parsed = parseProxyResponse({ statusCode: 200, multiValueHeaders: { 'x-m': [1, true, 'a'] } });
    expect(parsed.ok && parsed.result.headers.find(([n]) => n === 'x-m')).toEqual(['x-m', '1, true, a']);
  });
});
