/**
 * SSM's query protocol (Action=GetParameter&Name=..., no X-Amz-Target), which AWS still answers: XML by default, the
 * same document in JSON when JSON is accepted, as AWS answered LocalStack's validated test_get_parameter_query_protocol;
 * and a REST API's `ssm:action/GetParameter` integration reaching the embedded Parameter Store, answering the
 * GetParameterResponse AWS's test_ssm_aws_integration recorded.
 */
import { describe, expect, it } from 'vitest';
import { SsmParameters } from '../../../../emulator/services/ssm/parameters.js';
import { startSsm } from '../../../../emulator/services/ssm/server.js';
import { signRequest } from '../../../../emulator/services/sigv4.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { eventAppForSuite } from '../../support/event-app.js';

const MODIFIED = Date.UTC(2026, 11, 5, 12, 0, 0);
const store = new SsmParameters([{ logicalId: 'Param', name: 'param-test-123', type: 'String', value: '123' }], { region: 'us-east-1', accountId: '123456789012', now: () => MODIFIED });

/** A signed query-protocol POST to an SSM endpoint: the parameters in the query string, as API Gateway sends them. */
function queryCall(url: string, params: Record<string, string>, accept?: string): Promise<Response> {
  const target = new URL(`${url}/?${new URLSearchParams(params).toString()}`);
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: target, headers: accept ? { accept } : {}, body: '', region: 'us-east-1', service: 'ssm' });
  return fetch(target, { method: 'POST', headers });
}

describe('LS-rec test_get_parameter_query_protocol: GetParameter over the query protocol', () => {
  it('answers XML by default: GetParameterResponse in SSM`s namespace, no null members, the date in ISO 8601', async () => {
    const server = await startSsm(store, { credentials: TEST_CREDENTIALS, log: () => undefined });
    try {
      const res = await queryCall(server.url, { Action: 'GetParameter', Name: 'param-test-123' });
      const text = await res.text();

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/xml');
      expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<GetParameterResponse xmlns="http:\/\/ssm\.amazonaws\.com\/doc\/2014-11-06\/"><GetParameterResult><Parameter>/);
      expect(text).toContain(
        '<Parameter><ARN>arn:aws:ssm:us-east-1:123456789012:parameter/param-test-123</ARN><DataType>text</DataType><LastModifiedDate>2026-12-05T12:00:00.000Z</LastModifiedDate><Name>param-test-123</Name><Type>String</Type><Value>123</Value><Version>1</Version></Parameter>',
      );
      expect(text).toMatch(/<ResponseMetadata><RequestId>[\w-]+<\/RequestId><\/ResponseMetadata><\/GetParameterResponse>$/);
    } finally {
      await server.close();
    }
  });

  it('answers JSON when JSON is accepted: every member of Parameter, Selector and SourceResult null, Version a number', async () => {
    const server = await startSsm(store, { credentials: TEST_CREDENTIALS, log: () => undefined });
    try {
      const res = await queryCall(server.url, { Action: 'GetParameter', Name: 'param-test-123' }, 'application/json');
      const body = (await res.json()) as { GetParameterResponse: { GetParameterResult: unknown; ResponseMetadata: { RequestId: string } } };

      expect(res.status).toBe(200);
      expect(body.GetParameterResponse.GetParameterResult).toEqual({
        Parameter: { ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/param-test-123', DataType: 'text', LastModifiedDate: MODIFIED / 1000, Name: 'param-test-123', Selector: null, SourceResult: null, Type: 'String', Value: '123', Version: 1 },
      });
      expect(Object.keys((body.GetParameterResponse.GetParameterResult as { Parameter: object }).Parameter)).toEqual(['ARN', 'DataType', 'LastModifiedDate', 'Name', 'Selector', 'SourceResult', 'Type', 'Value', 'Version']);
      expect(body.GetParameterResponse.ResponseMetadata.RequestId).toBe(res.headers.get('x-amzn-requestid'));
    } finally {
      await server.close();
    }
  });

  it('a parameter that does not exist: 400 ParameterNotFound in the query error format; another Action is refused, named', async () => {
    const logged: string[] = [];
    const server = await startSsm(store, { credentials: TEST_CREDENTIALS, log: (line) => logged.push(line) });
    try {
      const missing = await queryCall(server.url, { Action: 'GetParameter', Name: 'nope' });
      const other = await queryCall(server.url, { Action: 'PutParameter', Name: 'x', Value: 'y' }, 'application/json');

      expect([missing.status, await missing.text()]).toEqual([400, expect.stringMatching(/<ErrorResponse xmlns="http:\/\/ssm\.amazonaws\.com\/doc\/2014-11-06\/"><Error><Type>Sender<\/Type><Code>ParameterNotFound<\/Code>/)]);
      expect([other.status, await other.json()]).toEqual([400, { Error: { Code: 'InvalidAction', Message: expect.stringContaining('PutParameter is not served') as string, Type: 'Sender' }, RequestId: expect.any(String) as string }]);
      expect(logged).toEqual([expect.stringContaining('SSM PutParameter was called with the query protocol')]);
    } finally {
      await server.close();
    }
  });
});

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties: { Name: param-test-123, Type: String, Value: '123' }
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: test
      DefinitionBody:
        openapi: 3.0.1
        info: { title: ssm-api, version: '1' }
        paths:
          /ssm:
            get:
              responses: { '200': { description: the parameter } }
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:ssm:action/GetParameter
                credentials: arn:aws:iam::123456789012:role/apigw-ssm
                passthroughBehavior: when_no_templates
                requestParameters:
                  integration.request.querystring.Name: "'param-test-123'"
                responses:
                  default: { statusCode: '200' }
`;
const emulator = eventAppForSuite('ssm-query-', { 'template.yaml': TEMPLATE });

describe('LS-rec test_ssm_aws_integration: a REST API`s ssm:action/GetParameter integration', () => {
  it('reaches the embedded Parameter Store and answers its JSON GetParameterResponse', async () => {
    const res = await fetch(`${emulator().apis[0]!.url}/ssm`);
    const body = (await res.json()) as { GetParameterResponse: { GetParameterResult: { Parameter: Record<string, unknown> } } };

    expect(res.status).toBe(200);
    expect(body.GetParameterResponse.GetParameterResult.Parameter).toMatchObject({ ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/param-test-123', DataType: 'text', Name: 'param-test-123', Selector: null, SourceResult: null, Type: 'String', Value: '123', Version: 1 });
  });
});
