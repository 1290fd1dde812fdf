/** Choosing the contract suite's target (support/variant.ts): by name, and the logical ids CDK suffixes with a hash. */
import { describe, expect, it } from 'vitest';
import { logicalIdFor, selectedVariant } from './support/variant.js';

describe('selectedVariant', () => {
  it.each([
    [undefined, 'rest', /template\.yaml$/],
    ['', 'rest', /template\.yaml$/],
    [' HTTP ', 'http', /template\.yaml$/],
    ['cdk', 'cdk', /infra\/cdk\/cdk\.out\/TaskApi\.template\.json$/],
  ])('CONTRACT_API=%j is the %s target, serving %s', (name, expected, template) => {
    const variant = selectedVariant({ CONTRACT_API: name });
    expect(variant.name).toBe(expected);
    expect(variant.templatePath).toMatch(template);
  });

  it('CONTRACT_TEMPLATE names the synthesized template of the cdk target', () => {
    expect(selectedVariant({ CONTRACT_API: 'cdk', CONTRACT_TEMPLATE: '/tmp/out/Other.template.json' }).templatePath).toBe('/tmp/out/Other.template.json');
  });

  it('an unknown target fails fast, naming the choices', () => {
    expect(() => selectedVariant({ CONTRACT_API: 'graphql' })).toThrow(/expected rest, http or cdk/);
  });

  it('the cdk target expects what the REST API answers (same gateway responses), with no template parameters', () => {
    const cdk = selectedVariant({ CONTRACT_API: 'cdk' });
    expect(cdk.gatewayAnswer('UNAUTHORIZED')).toEqual(selectedVariant({ CONTRACT_API: 'rest' }).gatewayAnswer('UNAUTHORIZED'));
    expect(cdk.parameterOverrides).toEqual({});
  });
});

describe('logicalIdFor', () => {
  it.each([
    ['TaskApi', ['TaskApi', 'TaskHttpApi'], 'TaskApi'],
    ['TaskApi', ['TaskApiAF5FA34D', 'TaskApiDeploymentStagev10F7D538E'], 'TaskApiAF5FA34D'],
    ['BasicUsagePlan', ['PremiumUsagePlanF5B72DC6', 'BasicUsagePlan5071B7AB'], 'BasicUsagePlan5071B7AB'],
  ])('%s among %j is %s', (prefix, ids, expected) => {
    expect(logicalIdFor(prefix, ids, 'test')).toBe(expected);
  });

  it.each([
    ['none', ['Other']],
    ['two', ['TaskApiAF5FA34D', 'TaskApi0123ABCD']],
  ])('refuses %s matching, naming what it found', (_name, ids) => {
    expect(() => logicalIdFor('TaskApi', ids, 'the API')).toThrow(/the API: expected one logical id TaskApi/);
  });
});
