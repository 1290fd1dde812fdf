import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../../functions/shared/duplicate-keys.js';
import { ContentTooLargeError, ValidationError } from '../../../functions/shared/errors.js';
import { checkBodyText, MAX_BODY_CHARS } from '../../../functions/shared/request.js';

describe('firstDuplicateKey (RFC 8259 §4: names SHOULD be unique, parsers differ when they are not)', () => {
  it.each([
    { given: 'a member named twice', text: '{"title":"a","title":"b"}', pointer: '/title' },
    { given: 'the same name spelled with an escape', text: '{"title":"a","\\u0074itle":"b"}', pointer: '/title' },
    { given: 'a name twice in an object in an array', text: '{"tags":[1,{"x":1,"y":2,"x":3}]}', pointer: '/tags/1/x' },
    { given: 'a name twice in a nested object, with whitespace', text: '{ "a" : { "b" : 1 , "b" : 2 } }', pointer: '/a/b' },
    { given: 'names with / and ~ (escaped as RFC 6901 says)', text: '{"a/b~":{"c":1,"c":2}}', pointer: '/a~1b~0/c' },
    { given: 'a 1 000-character name twice (cut to 64 in the pointer)', text: `{"${'n'.repeat(1000)}":1,"${'n'.repeat(1000)}":2}`, pointer: `/${'n'.repeat(64)}…` },
  ])('$given → $pointer', ({ text, pointer }) => {
    expect(firstDuplicateKey(text)).toBe(pointer);
  });

  it.each([
    { given: 'distinct names', text: '{"title":"a","description":"b"}' },
    { given: 'one name in two objects', text: '{"a":{"b":1},"b":2,"c":[{"b":3},{"b":4}]}' },
    { given: 'names only inside string values', text: '{"t":"{\\"t\\":1,\\"t\\":2}","u":"\\\\","v":"]}"}' },
    { given: 'a value equal to its name', text: '{"title":"title","x":["title","title"]}' },
    { given: 'no object at all', text: '["a","a"]' },
    { given: 'arrays nested 20 000 deep (no recursion)', text: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
  ])('neighbour: $given → none', ({ text }) => {
    expect(firstDuplicateKey(text)).toBeUndefined();
  });
});

describe('checkBodyText', () => {
  it('a member named twice is a 400 validation problem naming it', () => {
    const error = (() => {
      try {
        checkBodyText('{"title":"a","title":"b"}');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 400, errors: [{ pointer: '/title', message: 'is given more than once' }] });
  });

  it.each([
    { given: `${MAX_BODY_CHARS + 1} characters`, text: `{"title":"a"}${' '.repeat(MAX_BODY_CHARS)}` as string | null },
    { given: "the REST template's null (over the bound)", text: null },
  ])('$given → 413 content-too-large', ({ text }) => {
    expect(() => checkBodyText(text)).toThrow(ContentTooLargeError);
  });

  it.each([
    { given: `exactly ${MAX_BODY_CHARS} characters`, text: `{"title":"a"}${' '.repeat(MAX_BODY_CHARS - 13)}` as string | undefined },
    { given: 'no text (a direct invoke)', text: undefined },
  ])('neighbour: $given passes', ({ text }) => {
    expect(() => checkBodyText(text)).not.toThrow();
  });
});
