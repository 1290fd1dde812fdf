import { describe, expect, it } from 'vitest';
import { keyFromSecretString } from '../../../functions/shared/secrets.js';

describe('key material from a secret string', () => {
  it.each([
    { name: 'template-generated JSON', given: '{"signingKey":"abc123"}', want: 'abc123' },
    { name: 'raw string', given: 'raw-key', want: 'raw-key' },
  ])('$name', ({ given, want }) => {
    expect(keyFromSecretString(given, 'S')).toBe(want);
  });

  it.each([
    { name: 'JSON without signingKey', given: '{"password":"x"}', want: /Secret S: JSON has no non-empty "signingKey"/ },
    { name: 'broken JSON', given: '{"signingKey":', want: /Secret S: looks like JSON but does not parse/ },
    { name: 'empty', given: '   ', want: /Secret S: empty/ },
  ])('$name fails naming the secret', ({ given, want }) => {
    expect(() => keyFromSecretString(given, 'S')).toThrow(want);
  });
});
