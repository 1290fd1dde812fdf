/**
 * Conformance: an AWS::ApiGateway::GatewayResponse resource on an API served from a document (a SAM Api, generated or
 * with a DefinitionBody, or a RestApi's Body) customises that API's response of its type (R8.1, R8.5; reference A27:
 * MISSING_AUTHENTICATION_TOKEN as 404 with a CORS header), over the document's own (PutGatewayResponse after the
 * import). akshaypalekar/tasker-back-end's template.yml writes one on its AWS::Serverless::Api; it was listed EMULATED
 * and applied to nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { harness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-response-resources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'index.mjs'), "export const handler = async () => ({ statusCode: 200, body: 'ok' });\n");

const FUNCTION = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      { Runtime: nodejs20.x, Handler: index.handler, CodeUri: ., Events: { Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } } } }
`;
/** The resource of the tasker template's shape: unmatched routes answer 404 with CORS headers. */
const RESOURCE = `  NotFound:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref Api
      ResponseType: MISSING_AUTHENTICATION_TOKEN
      StatusCode: '404'
      ResponseParameters:
        gatewayresponse.header.Access-Control-Allow-Origin: "'*'"
`;
const DOCUMENT = `openapi: 3.0.1
        info: { title: t, version: '1' }
        paths:
          /items:
            get:
              x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
        x-amazon-apigateway-gateway-responses:
          MISSING_AUTHENTICATION_TOKEN: { statusCode: '410', responseParameters: { gatewayresponse.header.X-Document: "'yes'" } }`;

const CASES = [
  {
    given: 'a generated SAM Api (function events)',
    resources: `${FUNCTION}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Cors: "'*'"\n${RESOURCE}`,
  },
  {
    given: "a SAM Api whose GatewayResponses has the same type: the resource's replaces it",
    resources: `${FUNCTION}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      GatewayResponses:\n        MISSING_AUTHENTICATION_TOKEN: { StatusCode: '410', ResponseParameters: { Headers: { X-Document: "'yes'" } } }\n${RESOURCE}`,
  },
  {
    given: "a SAM Api's DefinitionBody with its own response of that type",
    resources: `  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        ${DOCUMENT}\n${RESOURCE}`,
  },
  {
    given: "a RestApi's Body with its own response of that type",
    resources: `  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n        ${DOCUMENT}\n  Deployment:\n    Type: AWS::ApiGateway::Deployment\n    Properties: { RestApiId: !Ref Api, StageName: prod }\n${RESOURCE}`,
  },
  {
    given: "a RestApi's Body whose Deployment DependsOn it (nothing to say)",
    resources: `  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n        ${DOCUMENT}\n  Deployment:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn: NotFound\n    Properties: { RestApiId: !Ref Api, StageName: prod }\n${RESOURCE}`,
    said: false,
  },
];

describe('A27 R8.5 an AWS::ApiGateway::GatewayResponse resource on an API served from its document', () => {
  it.each(CASES.map((c, i) => ({ said: true, ...c, i })))('$given: an unmatched route answers its 404 with its header', async ({ i, resources, said }) => {
    // Prepare
    const file = join(dir, `template-${i}.yaml`);
    writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
    const h = await harness('Api', {}, file);

    // Act
    const got = await h.send({ path: '/prod/nowhere' });

    // Assess: the resource's status and header, the default body, nothing of the document's response left
    expect({ status: got.status, origin: got.headers.get('access-control-allow-origin'), document: got.headers.get('x-document'), text: got.text }).toEqual({
      status: 404,
      origin: '*',
      document: null,
      text: '{"message":"Missing Authentication Token"}',
    });
    const loaded = await loadTemplate(file);
    // The deployment order is said unless every deployment of the API waits for the resource
    expect(loaded.warnings?.filter((w) => w.startsWith('Resources.NotFound:'))).toEqual(said ? [expect.stringMatching(/^Resources\.NotFound: no deployment of Api depends on it .*: on AWS a first deploy may make the stage before it, which then answers its MISSING_AUTHENTICATION_TOKEN without it until the API is deployed again; served here as if deployed after it$/)] : []);
  });
});
