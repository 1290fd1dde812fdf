/** What the node:http adapter writes as a header value: node refuses controls and characters above U+00FF. */
import { describe, expect, it } from 'vitest';
import { parseRawRequestHead, rawTargetPath, safeHeaderValue } from '../../emulator/wire.js';

describe('safeHeaderValue', () => {
  it.each([
    { given: 'printable ASCII', value: 'application/json; charset=utf-8', want: 'application/json; charset=utf-8' },
    { given: 'a tab (allowed in a field value)', value: 'a\tb', want: 'a\tb' },
    { given: 'Latin-1 text (sent as is)', value: 'café', want: 'café' },
    { given: 'a line feed and a carriage return', value: 'a\r\nb', want: 'ab' },
    { given: 'a NUL and DEL', value: 'a\u0000b\u007fc', want: 'abc' },
    { given: 'text beyond Latin-1 (its UTF-8 bytes)', value: 'ü€', want: Buffer.from('ü€', 'utf8').toString('latin1') },
    { given: 'an emoji (a surrogate pair)', value: 'x😀', want: `x${Buffer.from('😀', 'utf8').toString('latin1')}` },
    { given: 'beyond Latin-1 and a control together', value: '€\n', want: Buffer.from('€', 'utf8').toString('latin1') },
  ])('$given', ({ value, want }) => {
    // Act
    const got = safeHeaderValue(value);

    // Assess
    expect(got).toBe(want);
    expect(() => new Headers({ 'x-test': got })).not.toThrow();
  });
});

describe('rawTargetPath (R1.11: the path as sent)', () => {
  it.each([
    { given: 'a plain path', target: '/v1/items/7?x=1', want: '/v1/items/7' },
    { given: 'dot segments, kept', target: '/v1/../v1/items', want: '/v1/../v1/items' },
    { given: 'encoded dots, kept encoded', target: '/v1/a/%2e%2e/b', want: '/v1/a/%2e%2e/b' },
    { given: 'a backslash, not read as a slash', target: '/v1/a\\b', want: '/v1/a\\b' },
    { given: 'a fragment', target: '/v1/a#frag', want: '/v1/a' },
    { given: 'UTF-8 bytes (node reads them as Latin-1)', target: `/v1/${Buffer.from('café').toString('latin1')}`, want: '/v1/caf%C3%A9' },
    { given: 'an absolute-form target (its URL gives the path)', target: 'http://h/v1/a', want: undefined },
    { given: 'the asterisk form', target: '*', want: undefined },
  ])('$given: $target → $want', ({ target, want }) => {
    expect(rawTargetPath(target)).toBe(want);
  });
});

describe('parseRawRequestHead (a head whose method node refused: `get`, `Post`)', () => {
  const head = (text: string) => parseRawRequestHead(Buffer.from(text, 'latin1'));

  it.each([
    { given: 'a CR, DEL and LF inside a header value (one line split by a bare LF)', text: 'Post /a HTTP/1.1\r\nHost: h\r\nContent-Type: a\r\x7f\nTransfer-Encoding: chunked\r\n\r\n' },
    { given: 'a NUL in a header value', text: 'get /a HTTP/1.1\r\nHost: h\r\nX-A: a\x00b\r\n\r\n' },
    { given: 'a control character in the target', text: 'get /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n' },
    { given: 'a byte over 0x7e in the target', text: 'get /caf\xe9 HTTP/1.1\r\nHost: h\r\n\r\n' },
  ])('$given: no head (the request is refused as node refuses one it parses)', ({ text }) => {
    expect(head(text)).toBeUndefined();
  });

  it('neighbour: a tab and bytes over 0x7f in a value (obs-text) are a value', () => {
    expect(head('get /a HTTP/1.1\r\nHost: h\r\nX-A: a\tcaf\xe9\r\n\r\n')).toEqual({ method: 'get', target: '/a', rawHeaders: ['Host', 'h', 'X-A', 'a\tcaf\xe9'] });
  });
});
