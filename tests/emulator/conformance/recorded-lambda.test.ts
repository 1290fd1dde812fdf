/**
 * Conformance: Lambda integrations replayed from what AWS answered LocalStack's recorded test_apigateway_lambda tests
 * (test_lambda_aws_integration, _with_request_template, _response_with_mapping_templates,
 * test_lambda_aws_proxy_integration_request_data_mapping). Templates and functions are our own.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { loadSamResources, yamlQuoted } from '../support/template-text.js';
import { sendRequest } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'recorded-lambda-'));
// echo: the event as the result (non-proxy); proxyEcho: the event as the proxy result's body;
// mapping: the recordings' function, {"statusCode": 200, "body": "customerror" | "noerror"} by the body's httpStatus.
writeFileSync(join(dir, 'fns.mjs'), [
  'export const echo = async (event) => event;',
  'export const proxyEcho = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });',
  'export const mapping = async (event) => ({ statusCode: 200, body: Number(event.body.httpStatus) >= 400 ? "customerror" : "noerror" });',
].join('\n'));

const fn = (id: string, handler: string) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ${dir}, Handler: fns.${handler}, Runtime: nodejs22.x}\n`;
const arn = (id: string) => `{'Fn::Sub': 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${id}.Arn}/invocations'}`;
const route = (path: string, method: string, type: string, fnId: string, extra = '', integrationMethod = 'POST') => `
          ${path}:
            ${method}:
              responses: {'200': {description: ok}, '400': {description: bad}}
              x-amazon-apigateway-integration:
                type: ${type}
                httpMethod: ${integrationMethod}
                uri: ${arn(fnId)}
                credentials: arn:aws:iam::123456789012:role/apigateway-invoke
${extra}`;

// The recording's request template gathered $input.params() and the body; its response template chose the status.
const REQUEST = [
  '#set($allParams = $input.params())',
  '{"apiContext": {"method": "$context.httpMethod", "stage": "$context.stage"},',
  '"querystring": {#foreach($k in $allParams.get(\'querystring\').keySet())"$k": "$util.escapeJavaScript($allParams.get(\'querystring\').get($k))"#if($foreach.hasNext),#end#end},',
  '"body": $input.json(\'$\')}',
].join('\n');
const RESPONSE = [
  "#set($inputRoot = $input.path('$'))",
  '$input.json("$")',
  '#if($inputRoot.toString().contains("customerror"))',
  '    #set($context.responseOverride.status = 400)',
  '#else',
  '    #set($context.responseOverride.status = 202)',
  '#end',
].join('\n');

const template = await loadSamResources(`${fn('Echo', 'echo')}${fn('ProxyEcho', 'proxyEcho')}${fn('Mapping', 'mapping')}  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: test
      DefinitionBody:
        swagger: '2.0'
        info: {title: recorded-lambda, version: '1'}
        paths:${[
          route('/echo', 'post', 'aws', 'Echo', "                responses: {default: {statusCode: '200'}}\n"),
          route('/params', 'get', 'aws', 'Echo', `                requestTemplates: {application/json: ${yamlQuoted('{"param1": "$input.params(\'param1\')"}')}}\n                responses: {default: {statusCode: '200'}}\n`),
          route('/mapping', 'post', 'aws', 'Mapping', `                requestTemplates: {application/json: ${yamlQuoted(REQUEST)}}\n                responses: {default: {statusCode: '200', responseTemplates: {application/json: ${yamlQuoted(RESPONSE)}}}}\n`),
          route('/proxy/{proxy+}', 'x-amazon-apigateway-any-method', 'aws_proxy', 'ProxyEcho'),
          route('/wait/{seconds}', 'x-amazon-apigateway-any-method', 'aws', 'Echo', [
            "                requestParameters: {integration.request.header.X-Amz-Invocation-Type: \"'Event'\"}",
            `                requestTemplates: {application/json: ${yamlQuoted('{"seconds": "$input.params(\'seconds\')"}')}}`,
            "                responses: {default: {statusCode: '200'}}",
            '',
          ].join('\n')),
          route('/get-proxy', 'x-amazon-apigateway-any-method', 'aws_proxy', 'ProxyEcho', '', 'GET'),
          route('/proxy/hardcoded', 'x-amazon-apigateway-any-method', 'aws_proxy', 'ProxyEcho'),
          route('/{pathVariable}', 'x-amazon-apigateway-any-method', 'aws_proxy', 'ProxyEcho', [
            '                requestParameters:',
            '                  integration.request.header.headerVar: method.request.header.foobar',
            '                  integration.request.path.qsVar: method.request.querystring.testVar',
            '                  integration.request.path.pathVar: method.request.path.pathVariable',
            '                  integration.request.querystring.queryString: method.request.querystring.testQueryString',
            '                  integration.request.querystring.testQs: method.request.querystring.testQueryString',
            '                  integration.request.querystring.testEmptyQs: method.request.header.emptyheader',
            '',
          ].join('\n')),
        ].join('')}
        x-amazon-apigateway-gateway-responses:
          INTEGRATION_FAILURE: {responseParameters: {}}
`);
const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
const json = [['Content-Type', 'application/json']] as [string, string][];

describe('LS-rec test_lambda_aws_integration / _with_request_template: a non-proxy Lambda integration', () => {
  it('R2.1 without a request template the body is the event, and the result is the answer: {"message": "hello world"}', async () => {
    const got = await sendRequest(gateway, { method: 'POST', path: '/test/echo', body: '{"message": "hello world"}', headers: json });
    expect([got.status, got.json()]).toEqual([200, { message: 'hello world' }]);
  });

  it.each(['?param1=foobar', '?param1=foobar&Signature=1'])('R3.1 GET %s with $input.params(\'param1\') in the template: {"param1": "foobar"}', async (query) => {
    const got = await sendRequest(gateway, { path: `/test/params${query}` });
    expect([got.status, got.json()]).toEqual([200, { param1: 'foobar' }]);
  });
});

describe('LS-rec test_lambda_aws_integration_response_with_mapping_templates: responseOverride.status from the result', () => {
  it.each([
    { given: { httpStatus: '200' }, status: 202, body: 'noerror' },
    { given: { httpStatus: '400', errorMessage: 'Test Bad request' }, status: 400, body: 'customerror' },
  ])('R2.12 body $given: $status with the result as JSON', async ({ given, status, body }) => {
    const got = await sendRequest(gateway, { method: 'POST', path: '/test/mapping', body: JSON.stringify(given), headers: json });
    expect([got.status, got.json()]).toEqual([status, { statusCode: 200, body }]);
  });
});

describe('LS-rec test_lambda_aws_proxy_integration_request_data_mapping: requestParameters do not reach a proxy event', () => {
  it('R1.4 the event has the client`s headers and query, none of the mapped ones', async () => {
    const got = await sendRequest(gateway, {
      method: 'POST',
      path: '/test/foobar?testQueryString=foo&testVar=bar',
      body: '{"message": "hello world"}',
      headers: [...json, ['Accept', 'application/json'], ['foobar', 'mapped-value'], ['User-Agent', 'test/integration'], ['headerVar', 'request-value']],
    });
    expect(got.status).toBe(200);
    const event = got.json() as APIGatewayProxyEvent;
    expect(event.headers).toMatchObject({ foobar: 'mapped-value', headerVar: 'request-value' });
    expect(event.multiValueHeaders.headerVar).toEqual(['request-value']);
    expect(event.queryStringParameters).toEqual({ testQueryString: 'foo', testVar: 'bar' });
    expect(event.multiValueQueryStringParameters).toEqual({ testQueryString: ['foo'], testVar: ['bar'] });
    expect([event.path, event.resource, event.pathParameters, event.stageVariables]).toEqual(['/foobar', '/{pathVariable}', { pathVariable: 'foobar' }, null]);
    expect([event.requestContext.path, event.requestContext.resourcePath, event.requestContext.identity.userAgent]).toEqual(['/test/foobar', '/{pathVariable}', 'test/integration']);
  });
});

describe('LS-rec test_lambda_aws_proxy_integration: the proxy event`s path, proxy parameter and query', () => {
  const client: [string, string][] = [['User-Agent', 'python-requests/testing'], ['tEsT-HEADeR', 'aValUE'], ['authorization', 'random-value']];
  const event = async (path: string, given: { method?: string; body?: string; headers?: [string, string][] } = {}) => {
    const got = await sendRequest(gateway, { path, headers: given.headers ?? client, ...(given.method ? { method: given.method } : {}), ...(given.body ? { body: given.body } : {}) });
    expect(got.status).toBe(200);
    return got.json() as APIGatewayProxyEvent;
  };
  const view = (e: APIGatewayProxyEvent) => ({ path: e.path, proxy: e.pathParameters?.proxy, contextPath: e.requestContext.path, query: e.queryStringParameters });

  it.each([
    { given: 'without-trailing-slash', url: '/test/proxy/proxy-value', path: '/proxy/proxy-value', proxy: 'proxy-value', contextPath: '/test/proxy/proxy-value', query: null },
    { given: 'with-trailing-slash', url: '/test/proxy/proxy-value/', path: '/proxy/proxy-value/', proxy: 'proxy-value', contextPath: '/test/proxy/proxy-value/', query: null },
    { given: 'with-double-slash', url: '/test/proxy/proxy-value//double-slash', path: '/proxy/proxy-value//double-slash', proxy: 'proxy-value//double-slash', contextPath: '/test/proxy/proxy-value//double-slash', query: null },
    { given: 'with-prepended-slash-to-stage', url: '//test/proxy/proxy-value', path: '/proxy/proxy-value', proxy: 'proxy-value', contextPath: '/test/proxy/proxy-value', query: null },
    { given: 'without-trailing-slash-and-query-params', url: '/test/proxy/proxy-value?urlparam=test', path: '/proxy/proxy-value', proxy: 'proxy-value', contextPath: '/test/proxy/proxy-value', query: { urlparam: 'test' } },
    { given: 'with-trailing-slash-and-query-params', url: '/test/proxy/proxy-value/?urlparam=test', path: '/proxy/proxy-value/', proxy: 'proxy-value', contextPath: '/test/proxy/proxy-value/', query: { urlparam: 'test' } },
    {
      given: 'with-path-encoded-email',
      url: '/test/proxy/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
      path: '/proxy/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
      proxy: 'proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
      contextPath: '/test/proxy/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com',
      query: null,
    },
    {
      given: 'with-params-encoding',
      url: '/test/proxy/proxy-value/api?dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar&zhash=abort/',
      path: '/proxy/proxy-value/api',
      proxy: 'proxy-value/api',
      contextPath: '/test/proxy/proxy-value/api',
      query: { dateTimeOffset: '2023-06-12T18:05:10.123456 00:00', email: 'test+alias@gmail.com', plus: 'test alias@gmail.com', url: 'https://www.google.com/', whitespace: 'foo bar', zhash: 'abort/' },
    },
  ])('R1.11 R1.17 invocation-payload-$given', async ({ url, given: _, ...want }) => {
    expect(view(await event(url))).toEqual(want);
  });

  it('R1.11 a slash doubled after the stage: the event`s path has one, $context.path keeps both', async () => {
    // Our resource lives under /proxy, so the doubled slash sits between the stage and it, as in the recording.
    expect(view(await event('/test//proxy/proxy-value'))).toEqual({ path: '/proxy/proxy-value', proxy: 'proxy-value', contextPath: '/test//proxy/proxy-value', query: null });
    const hardcoded = await event('/test//proxy/hardcoded');
    expect([hardcoded.path, hardcoded.resource, hardcoded.pathParameters, hardcoded.requestContext.path]).toEqual(['/proxy/hardcoded', '/proxy/hardcoded', null, '/test//proxy/hardcoded']);
  });

  it('R1.13 header names keep the client`s casing, except Authorization, which is capitalised', async () => {
    const e = await event('/test/proxy/proxy-value');
    expect(e.headers).toMatchObject({ 'tEsT-HEADeR': 'aValUE', Authorization: 'random-value', 'User-Agent': 'python-requests/testing' });
    expect(e.headers).not.toHaveProperty('authorization');
    expect(e.multiValueHeaders.Authorization).toEqual(['random-value']);
  });

  it('R1.15 R1.16 repeated query keys: the last value single, all of them multi (invocation-payload-with-params-encoding-multi)', async () => {
    const e = await event('/test/proxy/proxy-value?category=electronics&category=books&price=10&price=20&price=30', {
      method: 'POST',
      body: '{"message": "hello world"}',
      headers: [['Content-Type', 'application/json;charset=utf-8'], ['aUThorization', 'Bearer token123;API key456'], ['User-Agent', 'python-requests/testing']],
    });
    expect([e.queryStringParameters, e.multiValueQueryStringParameters]).toEqual([{ category: 'books', price: '30' }, { category: ['electronics', 'books'], price: ['10', '20', '30'] }]);
    expect([e.headers.Authorization, e.body, e.isBase64Encoded]).toEqual(['Bearer token123;API key456', '{"message": "hello world"}', false]);
  });
});

describe('LS-rec test_lambda_aws_proxy_integration_non_post_method: a Lambda proxy integration called with GET', () => {
  it('R1.1 Lambda refuses it: 500 {"message": "Internal server error"}, even with INTEGRATION_FAILURE customised without a status', async () => {
    const got = await sendRequest(gateway, { path: '/test/get-proxy', headers: [['User-Agent', 'python-requests/testing']] });
    expect([got.status, got.json()]).toEqual([500, { message: 'Internal server error' }]);
  });
});

describe('LS-rec test_api_gateway_lambda_asynchronous_invocation (validated, asserted in code)', () => {
  it('R2.10 X-Amz-Invocation-Type \'Event\' mapped on the integration: 200 with an empty body at once', async () => {
    const got = await sendRequest(gateway, { path: '/test/wait/3' });
    expect([got.status, got.text]).toEqual([200, '']);
  });
});
