/**
 * R1.45 / H6.1 / H6.9 [AMBIGUOUS]: header values and cookies of a Lambda result with characters beyond ASCII. AWS
 * documents and records none; every such character goes out as its UTF-8 bytes on REST and HTTP APIs alike (see
 * emulator/README.md). Before, `é` alone went out as the Latin-1 byte E9 (and as UTF-8 beside a `日`), and on an
 * HTTP API a character beyond Latin-1 made the result malformed (500).
 */
import { describe, expect, it } from 'vitest';
import { parseProxyResponse, proxyResultToResponse } from '../../../emulator/gateway/proxy-response.js';
import { responseV1, responseV2 } from '../../../emulator/gateway/http/response.js';
import type { Reply } from '../../../emulator/gateway/reply.js';

/** The header's octets (a ByteString, as node writes it) read as UTF-8. */
const utf8 = (octets: string | null) => (octets === null ? null : Buffer.from(octets, 'latin1').toString('utf8'));

function rest(payload: unknown): Reply {
  const parsed = parseProxyResponse(payload);
  if (!parsed.ok) throw new Error(parsed.reason);
  return proxyResultToResponse(parsed.result, false, []);
}

function http(read: typeof responseV1, payload: unknown): Reply {
  const result = read(payload);
  if (!result.ok) throw new Error(result.reason);
  return result.response;
}

const READERS = [
  { api: 'REST (R1.45)', reply: rest },
  { api: 'HTTP API payload 1.0 (H6.9)', reply: (p: unknown) => http(responseV1, p) },
  { api: 'HTTP API payload 2.0 (H6.1)', reply: (p: unknown) => http(responseV2, p) },
];

describe.each(READERS)('$api: header text beyond ASCII', ({ reply }) => {
  it.each(['café', '日本', 'café 日本', 'x😀'])('[AMBIGUOUS] %s goes out as its UTF-8 bytes', (value) => {
    const headers = reply({ statusCode: 200, headers: { 'x-text': value }, body: 'x' }).headers;

    expect(headers.get('x-text')).toBe(Buffer.from(value, 'utf8').toString('latin1'));
    expect(utf8(headers.get('x-text'))).toBe(value);
  });

  it('neighbour: ASCII text goes out as sent', () => {
    expect(reply({ statusCode: 200, headers: { 'x-text': 'plain' }, body: 'x' }).headers.get('x-text')).toBe('plain');
  });
});

describe('multiValueHeaders beyond ASCII (payload 1.0)', () => {
  it.each([
    { api: 'REST (R1.46)', reply: rest },
    { api: 'HTTP API (H6.9)', reply: (p: unknown) => http(responseV1, p) },
  ])('$api [AMBIGUOUS] each value goes out as UTF-8 whatever its neighbours (ü beside 日 and alone)', ({ reply }) => {
    const headers = reply({ statusCode: 200, multiValueHeaders: { 'x-m': ['ü', '日'], 'x-n': ['ü'] }, body: 'x' }).headers;

    expect(utf8(headers.get('x-m'))).toBe('ü, 日');
    expect(utf8(headers.get('x-n'))).toBe('ü');
  });
});

describe('cookies beyond ASCII', () => {
  it('H6.1 [AMBIGUOUS] each payload 2.0 cookie is a Set-Cookie of its UTF-8 bytes', () => {
    const headers = http(responseV2, { statusCode: 200, cookies: ['n=café', 'm=日本; Path=/'], body: 'x' }).headers;

    expect(headers.getSetCookie().map(utf8)).toEqual(['n=café', 'm=日本; Path=/']);
  });

  it('R1.46 [AMBIGUOUS] a REST Set-Cookie value is sent as its UTF-8 bytes, each on its own line', () => {
    const headers = rest({ statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['n=café', 'm=日本'] }, body: 'x' }).headers;

    expect(headers.getSetCookie().map(utf8)).toEqual(['n=café', 'm=日本']);
  });
});
