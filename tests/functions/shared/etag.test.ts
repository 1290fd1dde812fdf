import { describe, expect, it } from 'vitest';
import { etagOf, parseIfMatch } from '../../../functions/shared/etag.js';
import { ValidationError } from '../../../functions/shared/errors.js';

describe('If-Match parsing', () => {
  it.each([
    { given: undefined, want: undefined },
    { given: null, want: undefined },
    { given: '"3"', want: 3 },
    { given: 'W/"3"', want: 3 },
    { given: ' "42" ', want: 42 },
    { given: '*', want: 'any' },
  ])('If-Match $given → $want', ({ given, want }) => {
    expect(parseIfMatch(given)).toBe(want);
  });

  it.each(['', ' ', '3', '"abc"', '"0"', '"-1"', 'W/3', '"3", "4"', '"1234567890123456"'])('malformed If-Match %s is a 400 naming the header', (given) => {
    const act = () => parseIfMatch(given);
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ pointer: 'If-Match' })] }));
  });

  it('ETag is the quoted version and round-trips through If-Match', () => {
    expect(etagOf(7)).toBe('"7"');
    expect(parseIfMatch(etagOf(7))).toBe(7);
  });
});
