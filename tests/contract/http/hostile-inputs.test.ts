/**
 * Inputs an attacker or a broken client sends (malformed percent-encoding, oversized values, deeply nested JSON,
 * odd media types and entity tags): the answer is the contract's 4xx problem, never a 5xx, since no input alone
 * makes API Gateway or the functions fail. Requests node's HTTP parser refuses are in tests/emulator/server.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { useTarget } from './support/suite.js';
import { variant } from './support/variant.js';

const api = useTarget();
const ID = '01JD5ZQ3W8K2M4N6P8R0T2V4X6';
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const json = { 'content-type': 'application/json' };
const update = JSON.stringify({ title: 't', status: 'todo', priority: 'low', tags: [] });

interface Hostile {
  given: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  status: number;
  /** H4.3: an HTTP API refuses a path that does not percent-decode itself, `{"message":"Bad Request"}` (no API shapes it). */
  undecodablePath?: true;
}

describe('hostile inputs get a 4xx problem, never a 5xx', () => {
  it.each<Hostile>([
    { given: 'a lone % as task id', method: 'GET', path: `/tasks/%`, status: 400, undecodablePath: true },
    { given: 'invalid percent-encoding in the task id', method: 'GET', path: '/tasks/%ZZ', status: 400, undecodablePath: true },
    { given: 'an encoded NUL as task id', method: 'GET', path: '/tasks/%00', status: 400 },
    { given: 'an overlong UTF-8 sequence as task id', method: 'GET', path: '/tasks/%C0%AF', status: 400 },
    { given: 'a 5 000-character task id', method: 'GET', path: `/tasks/${'A'.repeat(5000)}`, status: 400 },
    { given: 'limit beyond any number', method: 'GET', path: '/tasks?limit=1e309', status: 400 },
    { given: 'limit that is not UTF-8', method: 'GET', path: '/tasks?limit=%FF', status: 400 },
    { given: 'a cursor that is not UTF-8', method: 'GET', path: '/tasks?cursor=%FF%FE', status: 400 },
    { given: 'a 3 000-character cursor', method: 'GET', path: `/tasks?cursor=${'A'.repeat(3000)}`, status: 400 },
    { given: 'a status filter of a lone %', method: 'GET', path: '/tasks?status=%', status: 400 },
    { given: 'a body nested 20 000 arrays deep', method: 'POST', path: '/tasks', headers: json, body: nested(20_000), status: 400 },
    { given: 'a title nested 5 000 arrays deep', method: 'POST', path: '/tasks', headers: json, body: `{"title":${nested(5000)}}`, status: 400 },
    { given: 'a __proto__ member in the body', method: 'POST', path: '/tasks', headers: json, body: '{"title":"x","__proto__":{"a":1}}', status: 400 },
    { given: 'an impossible dueDate', method: 'POST', path: '/tasks', headers: json, body: '{"title":"x","dueDate":"2026-02-30T00:00:00Z"}', status: 400 },
    { given: 'a line separator (U+2028) in the title', method: 'POST', path: '/tasks', headers: json, body: '{"title":"a\\u2028b"}', status: 400 },
    { given: 'a NUL in the title', method: 'POST', path: '/tasks', headers: json, body: '{"title":"a\\u0000b"}', status: 400 },
    { given: 'an ANSI escape in a description', method: 'POST', path: '/tasks', headers: json, body: '{"title":"x","description":"\\u001b[2J"}', status: 400 },
    { given: 'a NUL in an updated tag', method: 'PUT', path: `/tasks/${ID}`, headers: json, body: '{"title":"t","status":"todo","priority":"low","tags":["a\\u0000"]}', status: 400 },
    // Bytes that are no UTF-8: the HTTP API's functions see them (malformed-json), the REST API's as U+FFFD (validation).
    { given: 'a Latin-1 title (bytes that are no UTF-8)', method: 'POST', path: '/tasks', headers: json, body: new Uint8Array(Buffer.from('{"title":"caf\xe9"}', 'latin1')), status: 400 },
    { given: 'a Latin-1 update', method: 'PUT', path: `/tasks/${ID}`, headers: json, body: new Uint8Array(Buffer.from('{"title":"caf\xe9","status":"todo","priority":"low","tags":[]}', 'latin1')), status: 400 },
    { given: 'an empty Content-Type', method: 'POST', path: '/tasks', headers: { 'content-type': '' }, body: '{"title":"x"}', status: 415 },
    { given: 'a 3 000-character weak If-Match', method: 'PUT', path: `/tasks/${ID}`, headers: { ...json, 'if-match': `W/"${'x'.repeat(3000)}"` }, body: update, status: 400 },
    { given: 'an update nested 20 000 arrays deep', method: 'PUT', path: `/tasks/${ID}`, headers: json, body: nested(20_000), status: 400 },
    { given: 'a Latin-1 entity tag', method: 'DELETE', path: `/tasks/${ID}`, headers: { 'if-match': '"\u00ff"' }, status: 400 },
  ])('$given → $status', async ({ method, path, headers, body, status, undecodablePath }) => {
    const response = await fetch(`${api.target.baseUrl}${path}`, {
      method,
      headers: { authorization: api.target.userA.token, ...(api.target.apiKey ? { 'x-api-key': api.target.apiKey } : {}), ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(status);
    if (undecodablePath && variant.name === 'http') {
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(JSON.parse(text)).toEqual({ message: 'Bad Request' });
      return;
    }
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.parse(text)).toMatchObject({ status });
  });
});
