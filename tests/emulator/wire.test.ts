/** What the node:http adapter writes as a header value: node refuses controls and characters above U+00FF. */
import { describe, expect, it } from 'vitest';
import { safeHeaderValue } from '../../emulator/wire.js';

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
