/**
 * Shared REST/HTTP conformance: the event a Lambda proxy function gets (REST payload 1.0, R1.10-R1.20; HTTP payload
 * 2.0, H4), each behaviour stated once with the fields each API type's event documents for it.
 */
import { describe, expect, it } from 'vitest';
import { echoedEvent, sharedApis, type Given, type PerType } from './adapter.js';

const apis = await sharedApis();

/** Stands for a key the event does not have (HTTP payload 2.0 omits empty fields, REST 1.0 sends null). */
const ABSENT = '(absent)';

/** The named fields of an event, ABSENT for a key it lacks. */
function fields(event: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, k in event ? event[k] : ABSENT]));
}

interface Row {
  rule: string;
  request: Given;
  want: PerType<Record<string, unknown>>;
}

const ROWS: Row[] = [
  {
    rule: 'A4 / R1.15 / R1.16 / B4 / H4.4 / H4.7 a repeated query key: REST last value + all values, HTTP comma-joined; values decoded',
    request: { path: '/items/7?x=1&x=2&s=a%20b' },
    want: {
      rest: { queryStringParameters: { x: '2', s: 'a b' }, multiValueQueryStringParameters: { x: ['1', '2'], s: ['a b'] } },
      http: { queryStringParameters: { x: '1,2', s: 'a b' }, rawQueryString: 'x=1&x=2&s=a%20b', multiValueQueryStringParameters: ABSENT },
    },
  },
  {
    rule: 'R1.15 / H4.7 [AMBIGUOUS] query escapes: one that is no UTF-8 is U+FFFD, an invalid one (%zz, a lone %) stays as sent, %00 is a NUL, + a space',
    request: { path: '/items/7?q=%FF&r=%zz&p=%&s=a+b%2B&t=%00' },
    want: {
      rest: { queryStringParameters: { q: '\uFFFD', r: '%zz', p: '%', s: 'a b+', t: '\u0000' } },
      http: { queryStringParameters: { q: '\uFFFD', r: '%zz', p: '%', s: 'a b+', t: '\u0000' }, rawQueryString: 'q=%FF&r=%zz&p=%&s=a+b%2B&t=%00' },
    },
  },
  {
    rule: 'A5 / R1.15 / R1.16 / B5 / H4.4 / H4.7 no query string: REST null, HTTP no key and an empty rawQueryString',
    request: { path: '/items/7' },
    want: {
      rest: { queryStringParameters: null, multiValueQueryStringParameters: null },
      http: { queryStringParameters: ABSENT, rawQueryString: '' },
    },
  },
  {
    rule: 'R1.10 / R1.17 / H4.2 / H4.9 a path variable: its value, with the route that matched',
    request: { path: '/items/7' },
    want: {
      rest: { pathParameters: { id: '7' }, resource: '/items/{id}' },
      http: { pathParameters: { id: '7' }, routeKey: 'GET /items/{id}' },
    },
  },
  {
    rule: 'A5 / R1.17 / H4.9 a route without path variables: REST null, HTTP no key',
    request: { path: '/items' },
    want: { rest: { pathParameters: null }, http: { pathParameters: ABSENT } },
  },
  {
    rule: 'R1.14 / B4 / H4.6 a repeated request header: REST all values in multiValueHeaders, HTTP comma-joined under a lower-cased name',
    request: { path: '/items/7', headers: [['X-A', '1'], ['X-A', '2']] },
    want: { rest: { multiValueHeaders: expect.objectContaining({ 'X-A': ['1', '2'] }) }, http: { headers: expect.objectContaining({ 'x-a': '1,2' }) } },
  },
  {
    // Object.prototype's names: the maps were plain objects, so `constructor` read as Object's function (REST: 500),
    // `__proto__` was dropped and an HTTP API's `toString` value began with "function toString()".
    rule: 'R1.14 / R1.15 / H4.6 / H4.7 header and query names that Object.prototype has (constructor, __proto__, toString) are names like any other',
    request: { path: '/items/7?constructor=1&__proto__=2&toString=3', headers: [['constructor', 'a'], ['__proto__', 'b'], ['toString', 'c']] },
    want: {
      rest: {
        queryStringParameters: { constructor: '1', ['__proto__']: '2', toString: '3' },
        multiValueQueryStringParameters: { constructor: ['1'], ['__proto__']: ['2'], toString: ['3'] },
        headers: expect.objectContaining({ constructor: 'a', ['__proto__']: 'b', toString: 'c' }),
        multiValueHeaders: expect.objectContaining({ constructor: ['a'], ['__proto__']: ['b'], toString: ['c'] }),
      },
      http: { queryStringParameters: { constructor: '1', ['__proto__']: '2', toString: '3' }, headers: expect.objectContaining({ constructor: 'a', ['__proto__']: 'b', tostring: 'c' }) },
    },
  },
  {
    rule: 'R1.13 / H4.5 a Cookie header: REST as a header, HTTP one cookies entry per cookie',
    request: { path: '/items/7', headers: [['Cookie', 'a=1; b=2']] },
    want: { rest: { headers: expect.objectContaining({ Cookie: 'a=1; b=2' }) }, http: { cookies: ['a=1', 'b=2'] } },
  },
  {
    rule: 'A5 / R1.19 / R1.20 / B5 / H4.10 / H4.11 no body: REST null, HTTP no key; isBase64Encoded false',
    request: { path: '/items/7' },
    want: { rest: { body: null, isBase64Encoded: false }, http: { body: ABSENT, isBase64Encoded: false } },
  },
  {
    rule: 'R1.19 / R1.20 / H4.10 / H4.11 a JSON body arrives as text',
    request: { method: 'POST', path: '/upload', headers: [['Content-Type', 'application/json']], body: '{"a":1}' },
    want: { rest: { body: '{"a":1}', isBase64Encoded: false }, http: { body: '{"a":1}', isBase64Encoded: false } },
  },
  {
    // REST: no binary media type matches text/plain, so the body is text and each invalid sequence U+FFFD, as users
    // report of binary uploads without binaryMediaTypes; HTTP: bytes that are no UTF-8 arrive base64, whole (H4.11).
    rule: 'R1.19 / R1.20 / H4.11 [AMBIGUOUS] a text/plain body that is no UTF-8: REST text with U+FFFD, HTTP base64',
    request: { method: 'POST', path: '/upload', headers: [['Content-Type', 'text/plain']], body: new Uint8Array([0x61, 0xff, 0x62]) },
    want: { rest: { body: 'a\uFFFDb', isBase64Encoded: false }, http: { body: 'Yf9i', isBase64Encoded: true } },
  },
  {
    // REST: application/octet-stream is the fixture's binaryMediaTypes entry; HTTP has none (H4.11 [AMBIGUOUS]: the
    // reference recommends base64 for every type that is not text).
    rule: 'R1.19 / R1.20 / H4.11 [AMBIGUOUS] a binary (application/octet-stream) body arrives base64-encoded',
    request: { method: 'POST', path: '/upload', headers: [['Content-Type', 'application/octet-stream']], body: new Uint8Array([0, 1, 2, 255]) },
    want: { rest: { body: 'AAEC/w==', isBase64Encoded: true }, http: { body: 'AAEC/w==', isBase64Encoded: true } },
  },
];

describe.each(apis)('$type API: the Lambda proxy event', (api) => {
  it.each(ROWS)('$rule', async ({ request, want }) => {
    const event = echoedEvent(await api.send(request));
    const wanted = want[api.type];
    expect(fields(event, Object.keys(wanted))).toEqual(wanted);
  });

  const VERB: PerType<(event: Record<string, unknown>) => unknown> = {
    rest: (event) => event.httpMethod, // R1.12
    http: (event) => (event.requestContext as { http: { method: string } }).http.method, // H4.13
  };

  it('R1.12 / H4.13 the event names the verb of the request', async () => {
    const event = echoedEvent(await api.send({ method: 'POST', path: '/upload', headers: [['Content-Type', 'application/json']], body: '{}' }));
    expect(VERB[api.type](event)).toBe('POST');
  });
});
