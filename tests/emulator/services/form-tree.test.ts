/**
 * A query-protocol form's dotted names (SQS and SNS) are built into a tree: a name that walks into `__proto__` or
 * `constructor.prototype` must stay a key of the request, never reach Object.prototype of the gateway's process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { unflatten } from '../../../emulator/services/sqs/protocol.js';
import { snsInput } from '../../../emulator/services/sns/server.js';

const PARSERS = [
  { service: 'SQS', parse: (form: string) => unflatten(new URLSearchParams(form)) },
  { service: 'SNS', parse: (form: string) => snsInput(new URLSearchParams(form)) },
];

const FORMS = [
  { given: '__proto__.polluted=yes', key: '__proto__', want: { polluted: 'yes' } },
  { given: 'constructor.prototype.polluted=yes', key: 'constructor', want: { prototype: { polluted: 'yes' } } },
];

afterEach(() => {
  // Only if a test failed: the next tests must not see what it left.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe.each(PARSERS)('$service query form', ({ parse }) => {
  it.each(FORMS)('$given stays in the request as its own parameter: Object.prototype is untouched', ({ given, key, want }) => {
    const input = parse(`Action=X&${given}`);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(input, key)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(input, key)?.value).toEqual(want);
  });

  it('a form that named __proto__ before still reads its other parameters as before', () => {
    const input = parse('Action=X&__proto__.polluted=yes&TopicArn=t&QueueUrl=q');

    expect(input).toMatchObject({ TopicArn: 't', QueueUrl: 'q' });
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
  });
});

describe('a message attribute named __proto__ (a valid SQS and SNS name) is kept as one', () => {
  it.each([
    { service: 'SQS', input: unflatten(new URLSearchParams('Action=SendMessage&MessageAttribute.1.Name=__proto__&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v')) },
    { service: 'SNS', input: snsInput(new URLSearchParams('Action=Publish&MessageAttributes.entry.1.Name=__proto__&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v')) },
  ])('$service', ({ input }) => {
    const attributes = input.MessageAttributes as Record<string, unknown>;

    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
  });
});

describe.each(PARSERS)('$service query form: a parameter name of thousands of dotted parts', ({ parse }) => {
  it('is refused as a 400 parameter error (its tree overflowed the stack: a 500)', () => {
    const error = (() => {
      try {
        parse(`Action=X&${Array(200_000).fill('a').join('.')}=1`);
        return undefined;
      } catch (e) {
        return e;
      }
    })();

    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/has 200000 dot-separated parts; no (SQS|SNS) parameter has more than 16/) as string });
  });

  it('six parts, the deepest a real parameter has, are read', () => {
    expect(() => parse('Action=X&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v')).not.toThrow();
  });
});
