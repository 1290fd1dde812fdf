/** H6.1 / H6.7: a structured 2.0 result whose body is no string, on an HTTP API and on a function URL. */
import { describe, expect, it } from 'vitest';
import { responseV2 } from '../../../emulator/gateway/http/response.js';

describe('a structured result`s body that is no string', () => {
  it.each([
    { given: 'an object', body: { message: '', status_code: 200 }, want: '{"message":"","status_code":200}' },
    { given: 'a list', body: [1, 'a'], want: '[1,"a"]' },
    { given: 'a number', body: 3, want: '3' },
    { given: 'a boolean', body: false, want: 'false' },
  ])('a function URL sends $given as JSON (as AWS answered LocalStack`s recorded tests)', async ({ body, want }) => {
    // Act
    const result = responseV2({ statusCode: 200, headers: { 'content-type': 'application/json' }, body }, true);

    // Assess
    expect(result.ok).toBe(true);
    if (result.ok) expect(await result.response.text()).toBe(want);
  });

  it('H6.7 an HTTP API refuses it: the integration answer is malformed', () => {
    expect(responseV2({ statusCode: 200, body: { message: 'x' } }, false)).toEqual({ ok: false, reason: 'body must be a string' });
  });

  it.each([
    { functionUrl: true, want: 'application/json' },
    { functionUrl: false, want: 'text/plain; charset=utf-8' },
  ])('H6.1 / H6.4 with no Content-Type: function URL $functionUrl sends $want', ({ functionUrl, want }) => {
    const result = responseV2({ statusCode: 200, body: 'x' }, functionUrl);
    expect(result.ok && result.response.headers.get('content-type')).toBe(want);
  });

  it.each([true, false])('neighbour: a string body is sent as it is (function URL: %s), null and absent as empty', async (functionUrl) => {
    const text = responseV2({ statusCode: 201, body: '{"a":1}' }, functionUrl);
    const none = responseV2({ statusCode: 200, body: null }, functionUrl);
    expect(text.ok && (await text.response.text())).toBe('{"a":1}');
    expect(none.ok && (await none.response.text())).toBe('');
  });
});
