import { describe, expect, it } from 'vitest';
import { actionCoversInvoke, evaluatePolicy, parseAuthorizerOutput, resourceMatches } from '../../../emulator/identity/authorizer-policy.js';

const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/tasks/123';

describe('R7.12 IAM resource wildcards, per colon segment, anchored', () => {
  it.each([
    { pattern: '*', want: true },
    { pattern: ARN, want: true },
    { pattern: 'arn:aws:execute-api:*', want: true },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/*', want: true },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/*', want: true },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/*/GET/tasks/*', want: true },
    { pattern: 'arn:aws:execute-api:*:*:abc123/v1/*/tasks/12?', want: true },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/tasks', want: false },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/tasks/1', want: false },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/POST/*', want: false },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:other/*', want: false },
    { pattern: 'arn:aws:execute-api:eu-*:123456789012:abc123/*', want: true },
    { pattern: 'arn:aws:execute-api:*-west-1:123456789012:abc123/*', want: true },
    { pattern: 'arn:aws:execute-api:eu-west-1:*', want: true },
    { pattern: 'arn:aws:execute-api:eu-west-1*:abc123/*', want: false },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/tasks/123/', want: false },
    { pattern: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/tasks.123', want: false },
  ])('$pattern ⇒ $want', ({ pattern, want }) => {
    expect(resourceMatches(pattern, ARN)).toBe(want);
  });
});

describe('R7.12 Action must cover execute-api:Invoke', () => {
  it.each([
    { action: 'execute-api:Invoke', want: true },
    { action: 'execute-api:invoke', want: true },
    { action: 'execute-api:*', want: true },
    { action: '*', want: true },
    { action: 'execute-api:Inv*', want: true },
    { action: 'execute-api:ManageConnections', want: false },
    { action: 's3:*', want: false },
  ])('$action ⇒ $want', ({ action, want }) => {
    expect(actionCoversInvoke(action)).toBe(want);
  });
});

describe('R7.11 policy evaluation', () => {
  const allow = { effect: 'Allow' as const, actions: ['execute-api:Invoke'], resources: ['*'] };
  const deny = { effect: 'Deny' as const, actions: ['execute-api:Invoke'], resources: [ARN] };
  const denyElsewhere = { ...deny, resources: [`${ARN}/x`] };
  it.each([
    { name: 'Allow only', given: [allow], want: 'allow' },
    { name: 'Allow and matching Deny', given: [allow, deny], want: 'explicit-deny' },
    { name: 'Deny then Allow (order irrelevant)', given: [deny, allow], want: 'explicit-deny' },
    { name: 'Allow and a Deny for another ARN', given: [allow, denyElsewhere], want: 'allow' },
    { name: 'no statements', given: [], want: 'implicit-deny' },
    { name: 'Deny for another ARN only', given: [denyElsewhere], want: 'implicit-deny' },
  ])('$name ⇒ $want', ({ given, want }) => {
    expect(evaluatePolicy(given, ARN)).toBe(want);
  });

  it('R7.10 accepts a single Statement object as well as a list', () => {
    const parsed = parseAuthorizerOutput({ principalId: 7, policyDocument: { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } } });
    expect(parsed).toEqual({ ok: true, result: { principalId: '7', statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'] }], context: {} } });
  });

  it.each([
    { name: 'Effect other than Allow/Deny', given: { policyDocument: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] } } },
    { name: 'Resource missing', given: { policyDocument: { Statement: [{ Effect: 'Allow', Action: '*' }] } } },
    { name: 'policyDocument a string', given: { policyDocument: '{}' } },
    { name: 'principalId an object', given: { principalId: {}, policyDocument: { Statement: [] } } },
  ])('R7.14 rejects malformed output: $name', ({ given }) => {
    expect(parseAuthorizerOutput(given).ok).toBe(false);
  });
});
