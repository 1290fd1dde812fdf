/**
 * Conformance R5.4: body validation against models that reference other models, as AWS answered LocalStack's recorded
 * test_api_gateway_request_validator_with_ref_models and _with_ref_one_ofmodels. The recordings built the models
 * with the API (refs as https://apigateway.amazonaws.com/restapis/<id>/models/<Name>); here they are a Swagger
 * document's definitions and CloudFormation Model resources. Requests and answers are the recordings'.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { sendRequest } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'validator-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STATUS = { type: 'object', properties: { Status: { type: 'string' }, Order: { type: 'integer' } }, required: ['Status', 'Order'] };
const testModel = (ref: unknown) => ({ type: 'object', properties: { status: { oneOf: [{ type: 'null' }, { $ref: ref }] } }, required: ['status'] });
const MOCK = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"data": "ok"}' } } } };

// Swagger: the refs are the document's definitions.
const swaggerWith = (definitions: Record<string, unknown>) => ({
  Resources: {
    Api: {
      Type: 'AWS::Serverless::Api',
      Properties: {
        StageName: 'local',
        DefinitionBody: {
          swagger: '2.0',
          info: { title: 'ref-models', version: '1' },
          'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
          definitions,
          paths: {
            '/path': {
              post: {
                'x-amazon-apigateway-request-validator': 'all',
                consumes: ['application/json'],
                parameters: [{ in: 'body', name: 'TestModel', required: true, schema: { $ref: '#/definitions/TestModel' } }],
                responses: { '200': { description: 'ok' } },
                'x-amazon-apigateway-integration': MOCK,
              },
            },
          },
        },
      },
    },
  },
  Transform: 'AWS::Serverless-2016-10-31',
});
const SWAGGER = swaggerWith({ StatusModel: STATUS, TestModel: testModel('#/definitions/StatusModel') });

// CloudFormation: the refs are the model URLs the recordings used, built with Fn::Sub.
const modelUrl = (name: string) => ({ 'Fn::Sub': `https://apigateway.amazonaws.com/restapis/\${Api}/models/\${${name}}` });
const CFN = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'ref-models' } },
    Resource: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'path' } },
    Validator: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: { Ref: 'Api' }, ValidateRequestBody: true, ValidateRequestParameters: true } },
    StatusModel: { Type: 'AWS::ApiGateway::Model', Properties: { RestApiId: { Ref: 'Api' }, Name: 'StatusModel', ContentType: 'application/json', Schema: STATUS } },
    TestModel: { Type: 'AWS::ApiGateway::Model', DependsOn: 'StatusModel', Properties: { RestApiId: { Ref: 'Api' }, Name: 'TestModel', ContentType: 'application/json', Schema: testModel(modelUrl('StatusModel')) } },
    Method: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Resource' },
        HttpMethod: 'POST',
        AuthorizationType: 'NONE',
        RequestValidatorId: { Ref: 'Validator' },
        RequestModels: { 'application/json': { Ref: 'TestModel' } },
        MethodResponses: [{ StatusCode: '200' }],
        Integration: { Type: 'MOCK', RequestTemplates: MOCK.requestTemplates, IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: MOCK.responses.default.responseTemplates }] },
      },
    },
    Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: 'Method', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'local' } },
  },
};

const gatewayOf = async (name: string, template: unknown) => {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(template));
  const loaded = await loadTemplate(join(dir, `${name}.json`));
  return createGateway({ api: loaded.apis[0]!, template: loaded, invoker: new FakeInProcessInvoker(loaded), log: () => undefined });
};
// test_import_with_circular_models_and_request_validation: Person has a House that contains Persons; the validator
// is named at the root for every method.
const PERSON = { type: 'object', properties: { name: { type: 'string' }, b: { type: 'number' }, house: { $ref: '#/components/schemas/House' } }, required: ['name', 'b'] };
const HOUSE = { type: 'object', properties: { randomProperty: { type: 'string', format: 'byte' }, contains: { type: 'array', items: { $ref: '#/components/schemas/Person' }, minItems: 1 } } };
const CIRCULAR = {
  Transform: 'AWS::Serverless-2016-10-31',
  Resources: {
    Api: {
      Type: 'AWS::Serverless::Api',
      Properties: {
        StageName: 'dev',
        DefinitionBody: {
          openapi: '3.0.2',
          info: { title: 'circular', version: '1' },
          'x-amazon-apigateway-request-validators': { basic: { validateRequestBody: true, validateRequestParameters: true } },
          'x-amazon-apigateway-request-validator': 'basic',
          components: { schemas: { Person: PERSON, House: HOUSE } },
          paths: {
            '/person': {
              post: {
                requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } },
                responses: { '200': { description: 'ok' } },
                'x-amazon-apigateway-integration': { ...MOCK, passthroughBehavior: 'when_no_templates' },
              },
            },
          },
        },
      },
    },
  },
};

// test_api_gateway_request_validator_with_ref_models: the body model is a list of another model.
const LIST = swaggerWith({
  StatusModel: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'testSchema', type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  TestModel: { type: 'array', items: { $ref: '#/definitions/StatusModel' } },
});

const gateways = { swagger: await gatewayOf('swagger', SWAGGER), cloudformation: await gatewayOf('cfn', CFN), circular: await gatewayOf('circular', CIRCULAR), list: await gatewayOf('list', LIST) };

describe.each(['swagger', 'cloudformation'] as const)('LS-rec test_api_gateway_request_validator_with_ref_one_ofmodels (%s)', (kind) => {
  it.each([
    { given: 'successful', body: '{"status": null}', status: 200, want: { data: 'ok' } },
    { given: 'successful-with-data', body: '{"status": {"Status": "works", "Order": 1}}', status: 200, want: { data: 'ok' } },
    { given: 'failed-validation-no-data', body: undefined, status: 400, want: { message: 'Invalid request body' } },
    { given: 'failed-validation-bad-data', body: '{"badFormat": "bla"}', status: 400, want: { message: 'Invalid request body' } },
  ])('R5.4 R5.6 $given: $status', async ({ body, status, want }) => {
    const got = await sendRequest(gateways[kind], { method: 'POST', path: '/local/path', ...(body === undefined ? {} : { body, headers: [['Content-Type', 'application/json']] }) });
    expect([got.status, got.json()]).toEqual([status, want]);
  });
});

describe('LS-rec test_import_with_circular_models_and_request_validation (validated, asserted in code)', () => {
  it.each([
    { given: 'a person in a house of persons', body: { name: 'Person1', b: 2, house: { randomProperty: 'this is random', contains: [{ name: 'Person2', b: 3 }] } }, status: 200, want: { data: 'ok' } },
    { given: 'no person at all', body: { random: 'blabla' }, status: 400, want: { message: 'Invalid request body' } },
    { given: 'a house containing no person', body: { name: 'Person1', b: 2, house: { randomProperty: 'x', contains: [{ randomObject: 'I am not following Person schema' }] } }, status: 400, want: { message: 'Invalid request body' } },
  ])('R5.4 R5.5 $given: $status', async ({ body, status, want }) => {
    const got = await sendRequest(gateways.circular, { method: 'POST', path: '/dev/person', body: JSON.stringify(body), headers: [['Content-Type', 'application/json']] });
    expect([got.status, got.json()]).toEqual([status, want]);
  });
});

describe('LS-rec test_api_gateway_request_validator_with_ref_models: a list of a referenced model', () => {
  it.each([
    { given: 'successful', body: '[{"a": 1, "b": 2}]', status: 200, want: { data: 'ok' } },
    { given: 'failed-validation (no body)', body: undefined, status: 400, want: { message: 'Invalid request body' } },
  ])('R5.4 R5.6 $given: $status', async ({ body, status, want }) => {
    const got = await sendRequest(gateways.list, { method: 'POST', path: '/local/path', ...(body === undefined ? {} : { body, headers: [['Content-Type', 'application/json']] }) });
    expect([got.status, got.json()]).toEqual([status, want]);
  });
});
