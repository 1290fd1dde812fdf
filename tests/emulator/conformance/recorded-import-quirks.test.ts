/**
 * Conformance: document spellings API Gateway's import takes, as AWS answered LocalStack's recorded
 * test_import_with_integer_http_status_code (YAML integers as the method response key and as an integration
 * response's statusCode; the import made method response and integration response "200").
 */
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { loadSamResources } from '../support/template-text.js';
import { sendRequest } from './harness.js';

const template = await loadSamResources(`  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionBody:
        openapi: 3.0.1
        info: {title: integer-status, version: '1'}
        paths:
          /test:
            get:
              responses:
                200:
                  description: ok
                  headers: {Access-Control-Allow-Origin: {schema: {type: string}}}
              x-amazon-apigateway-integration:
                type: mock
                passthroughBehavior: when_no_match
                requestTemplates: {application/json: '{"statusCode": 200}'}
                requestParameters: {integration.request.header.X-Amz-Invocation-Type: "'Event'"}
                responses:
                  default:
                    statusCode: 200
                    responseParameters: {method.response.header.Access-Control-Allow-Origin: "'*'"}
`);
const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });

describe('LS-rec test_import_with_integer_http_status_code', () => {
  it('R2.6 integer status codes are the strings they spell: 200 with the mapped header', async () => {
    const got = await sendRequest(gateway, { path: '/dev/test' });
    expect([got.status, got.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
  });
});
