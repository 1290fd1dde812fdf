/**
 * What an EventBridge rule's, an SNS subscription's or a schedule's Lambda target ARN names (services/eventbridge/
 * targets.ts targetKind): the template's function of that name, also when the name holds a parameter without a value
 * (FunctionName !Sub "${Env}-worker"), whose placeholder has the ':' and '/' no function name may.
 */
import { describe, expect, it } from 'vitest';
import { targetKind } from '../../../../emulator/services/eventbridge/targets.js';

const placeholderName = 'emulator-unresolved:Parameter/Env-worker';
const fn = (name: string, logicalId: string) => ({ name, logicalId, invoke: () => Promise.reject(new Error('not invoked here')) });
const resolver = { functions: [fn('plain-worker', 'Plain'), fn(placeholderName, 'Worker')], queues: [] };

describe('targetKind: Lambda function targets', () => {
  it.each([
    { given: 'a plain function ARN', arn: 'arn:aws:lambda:us-east-1:123456789012:function:plain-worker', want: { kind: 'lambda', name: 'Plain' } },
    { given: 'a qualified one', arn: 'arn:aws:lambda:us-east-1:123456789012:function:plain-worker:live', want: { kind: 'lambda', name: 'Plain' } },
    { given: 'a name holding a parameter without value', arn: `arn:aws:lambda:us-east-1:123456789012:function:${placeholderName}`, want: { kind: 'lambda', name: 'Worker' } },
    { given: "a function that is not the template's", arn: 'arn:aws:lambda:us-east-1:123456789012:function:other', want: { kind: 'not-emulated', why: "a function that is not one of the template's" } },
    { given: 'another placeholder name', arn: 'arn:aws:lambda:us-east-1:123456789012:function:emulator-unresolved:Parameter/Env-other', want: { kind: 'not-emulated', why: "a function that is not one of the template's" } },
  ])('$given → $want.kind', ({ arn, want }) => {
    // Act
    const got = targetKind(arn, resolver);

    // Assess
    expect(got).toEqual(want);
  });
});
