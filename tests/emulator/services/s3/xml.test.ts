/** The XML S3 reads (services/s3/xml.ts): the elements of a request document, in one pass whatever the client sends. */
import { describe, expect, it } from 'vitest';
import { elements, elementText } from '../../../../emulator/services/s3/xml.js';

describe('elements', () => {
  it.each([
    { given: 'closed elements, with and without attributes', xml: '<a><Part><N>1</N></Part><Part x="1"><N>2</N></Part></a>', want: ['<N>1</N>', '<N>2</N>'] },
    { given: 'an element left open after closed ones: the closed ones', xml: '<a><Part>1</Part><Part>2', want: ['1'] },
    { given: 'only open tags (a hostile body): none', xml: `<CompleteMultipartUpload>${'<Part>'.repeat(10_000)}`, want: [] },
    { given: 'open tags with endless attributes: none', xml: '<Part '.repeat(10_000), want: [] },
    { given: 'a longer name that starts with the same letters is not the element', xml: '<Parts>x</Parts><Part>y</Part>', want: ['y'] },
  ])('$given', ({ xml, want }) => {
    expect(elements(xml, 'Part')).toEqual(want);
  });

  it('elementText unescapes the first element`s text', () => {
    expect(elementText('<Key>a&amp;b</Key><Key>c</Key>', 'Key')).toBe('a&b');
  });
});
