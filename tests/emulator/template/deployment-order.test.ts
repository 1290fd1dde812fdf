/**
 * template/deployment-order.ts: an AWS::ApiGateway::Deployment that CloudFormation may create before some of its REST
 * API's methods (the CloudFormation docs: the deployment must depend on the RestApi's methods) is said at start.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploymentsBeforeMethods } from '../../../emulator/template/deployment-order.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'shop' } };
const method = (verb: string, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, HttpMethod: verb, ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, ...extra } });
const deployment = (extra: Record<string, unknown> = {}) => ({ Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } }, ...extra });

describe('deploymentsBeforeMethods', () => {
  it.each([
    { given: 'DependsOn names every method', deployment: deployment({ DependsOn: ['Get', 'Post'] }), api, warned: undefined },
    { given: 'DependsOn names a permission that depends on the other method', deployment: deployment({ DependsOn: ['Get', 'Perm'] }), api, warned: undefined },
    { given: 'the API`s Body holds its methods', deployment: deployment(), api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Body: { openapi: '3.0.1', paths: {} } } }, warned: undefined },
    { given: 'DependsOn names one method of two', deployment: deployment({ DependsOn: 'Get' }), api, warned: /^Resources\.Deploy: does not depend on Post .*403 Missing Authentication Token until the API is deployed again/ },
    { given: 'no DependsOn', deployment: deployment(), api, warned: /^Resources\.Deploy: does not depend on Get, Post .*fails: "The REST API doesn't contain any methods"/ },
  ])('$given', ({ deployment: deploy, api: restApi, warned }) => {
    // Prepare
    const resources = { Api: restApi, Get: method('GET'), Post: method('POST'), Perm: { Type: 'AWS::Lambda::Permission', DependsOn: 'Post', Properties: {} }, Deploy: deploy };

    // Act
    const warnings = deploymentsBeforeMethods(resources);

    // Assess
    expect(warnings).toEqual(warned ? [expect.stringMatching(warned)] : []);
  });
});

describe('the start report', () => {
  it.each([
    { given: 'no Condition', condition: '', warned: true },
    { given: 'a Condition that is true', condition: 'Condition: Always, ', warned: true },
    { given: 'a Condition that is false (CloudFormation does not create it)', condition: 'Condition: Never, ', warned: false },
  ])('a deployment that waits for GET but not for POST with $given: warned $warned', async ({ condition, warned }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'deployment-order-'));
    const mock = 'Integration: { Type: MOCK, RequestTemplates: { application/json: \'{"statusCode": 200}\' }, IntegrationResponses: [{ StatusCode: 200 }] }, MethodResponses: [{ StatusCode: 200 }]';
    const conditions = 'Conditions:\n  Always: !Equals [a, a]\n  Never: !Equals [a, b]\n';
    writeFileSync(
      join(dir, 'template.yaml'),
      `${conditions}Resources:\n  Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: shop } }\n  Get: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, ${mock} } }\n  Post: { Type: AWS::ApiGateway::Method, ${condition}Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: POST, AuthorizationType: NONE, ${mock} } }\n  Deploy: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api, StageName: prod } }\n`,
    );

    // Act
    const template = await loadTemplate(join(dir, 'template.yaml'));

    // Assess
    expect((template.warnings ?? []).some((w) => /^Resources\.Deploy: does not depend on Post /.test(w))).toBe(warned);
  });
});
