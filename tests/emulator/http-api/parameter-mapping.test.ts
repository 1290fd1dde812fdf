/**
 * Conformance: HTTP APIs' parameter mapping (H11.6) on Lambda proxy and HTTP proxy integrations: requestParameters
 * change the headers, query string and path the integration gets; responseParameters change the status and headers
 * of its answer, per status code; values read the request, the response, $context and stage variables.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mappedValue } from '../../../emulator/gateway/http/parameter-mapping.js';
import { headerPairs, whenReceived, type Seen } from '../support/echo-backend.js';
import { echoedV2, httpHarness } from './harness.js';

const server = createServer((req, res) => whenReceived(req, (seen) => res.writeHead(201, ['Content-Type', 'application/json', 'X-Backend', 'b1']).end(JSON.stringify(seen))));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const dir = mkdtempSync(join(tmpdir(), 'parameter-mapping-'));
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const FUNCTIONS = resolve('tests/emulator/fixtures/http-api/functions');
/** A Lambda proxy integration's keys (at the integration's indent), invoked with a role so no permission is needed (H6.8). */
const lambda = (fn: string) =>
  ['type: aws_proxy', 'httpMethod: POST', "payloadFormatVersion: '2.0'", "credentials: 'arn:aws:iam::123456789012:role/invoke'", `uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fn}.Arn}/invocations'`]
    .map((line) => `                ${line}`)
    .join('\n');
const template = join(dir, 'template.yaml');
writeFileSync(
  template,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Echo: { Type: AWS::Serverless::Function, Properties: { CodeUri: FUNCTIONS, Handler: echo.handler, Runtime: nodejs22.x } }'.replace('FUNCTIONS', FUNCTIONS),
    '  Shape: { Type: AWS::Serverless::Function, Properties: { CodeUri: FUNCTIONS, Handler: shape.handler, Runtime: nodejs22.x } }'.replace('FUNCTIONS', FUNCTIONS),
    '  Api:',
    '    Type: AWS::Serverless::HttpApi',
    '    Properties:',
    '      StageVariables: { tier: gold }',
    '      DefinitionBody:',
    '        openapi: 3.0.1',
    '        info: { title: mapping, version: "1" }',
    '        paths:',
    '          /echo/{id}:',
    '            post:',
    '              x-amazon-apigateway-integration:',
    lambda('Echo'),
    '                requestParameters:',
    "                  'overwrite:header.x-id': $request.path.id",
    "                  'overwrite:header.x-path': $request.path",
    "                  'overwrite:header.x-context-path': $context.path",
    "                  'append:header.x-multi': second",
    "                  'remove:header.x-secret': \"''\"",
    "                  'overwrite:querystring.page': '${request.querystring.p}-${stageVariables.tier}'",
    "                  'remove:querystring.debug': \"''\"",
    "                  'overwrite:header.x-name': $request.body.user.name",
    "                  'overwrite:header.x-route': $context.routeKey",
    "                  'overwrite:header.x-missing': $request.header.x-absent",
    "                  'overwrite:header.x-injected': $request.body.evil",
    '          /moved/{id}:',
    '            get:',
    '              x-amazon-apigateway-integration:',
    lambda('Echo'),
    "                requestParameters: { 'overwrite:path': '/new/${request.path.id}' }",
    '          /shape:',
    '            get:',
    '              x-amazon-apigateway-integration:',
    lambda('Shape'),
    '                responseParameters:',
    "                  '200': { 'overwrite:statuscode': '202', 'append:header.x-message': $response.body.message, 'overwrite:header.x-type': $response.header.content-type, 'overwrite:header.x-req': $context.requestId }",
    "                  '418': { 'overwrite:statuscode': '503', 'remove:header.content-type': \"''\" }",
    "                  '201': { 'overwrite:statuscode': '101', 'overwrite:header.x-body': $response.body }",
    '          /strip/{proxy+}:',
    '            x-amazon-apigateway-any-method:',
    '              x-amazon-apigateway-integration:',
    '                type: http_proxy',
    '                httpMethod: ANY',
    "                payloadFormatVersion: '1.0'",
    `                uri: '${origin}/ignored'`,
    "                requestParameters: { 'overwrite:path': $request.path.proxy, 'overwrite:header.x-request-id': $context.requestId }",
    "                responseParameters: { '201': { 'overwrite:statuscode': '200', 'remove:header.x-backend': \"''\" } }",
    '  Plain:',
    '    Type: AWS::ApiGatewayV2::Api',
    '    Properties: { Name: plain, ProtocolType: HTTP }',
    '  PlainIntegration:',
    '    Type: AWS::ApiGatewayV2::Integration',
    '    Properties:',
    '      ApiId: !Ref Plain',
    '      IntegrationType: HTTP_PROXY',
    '      IntegrationMethod: ANY',
    `      IntegrationUri: '${origin}/plain'`,
    "      PayloadFormatVersion: '1.0'",
    "      RequestParameters: { 'append:querystring.from': cfn }",
    "      ResponseParameters: { '201': { ResponseParameters: [{ Destination: 'overwrite:statuscode', Source: '299' }, { Destination: 'append:header.x-mapped', Source: 'yes' }] } }",
    '  PlainRoute: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Plain, RouteKey: GET /p, Target: !Sub "integrations/${PlainIntegration}" } }',
    '  PlainStage: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref Plain, StageName: $default } }',
  ].join('\n'),
);

const h = await httpHarness('Api', template);
const header = (s: Seen, name: string) => headerPairs(s.headers).filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

describe('H11.6 mapping values', () => {
  const values: Record<string, string> = { 'request.header.a': 'A', 'request.path.id': '7', 'context.requestId': 'r1', 'request.path.source': 'mysource' };
  it.each([
    { given: 'one variable', value: '$request.header.a', want: 'A' },
    { given: 'a variable with no value', value: '$request.header.none', want: undefined },
    { given: '${...} parts in text', value: 'id-${request.path.id}/${context.requestId}', want: 'id-7/r1' },
    { given: 'a missing ${...} part', value: 'x${request.header.none}y', want: 'xy' },
    { given: 'static text', value: 'plain', want: 'plain' },
    { given: 'a dollar that names no source', value: '$5.00', want: '$5.00' },
    { given: '[AMBIGUOUS] a variable after text, without braces (apigw-eventbridge)', value: 'com.mycompany.$request.path.source', want: 'com.mycompany.mysource' },
    { given: '[AMBIGUOUS] a variable before text with no name character between', value: '$request.path.id/items', want: '7/items' },
    { given: '[AMBIGUOUS] an embedded variable with no value is empty', value: 'x-$request.header.none', want: 'x-' },
  ])('$given: $value -> $want', ({ value, want }) => {
    expect(mappedValue(value, (ref) => values[ref])).toBe(want);
  });
});

describe('H11.6 requestParameters on a Lambda proxy integration', () => {
  it('overwrite, append and remove headers and query strings from the path, query, body, context and stage variables', async () => {
    // Act
    const event = echoedV2(
      await h.send({ method: 'POST', path: '/echo/7?p=3&debug=1', headers: [['x-multi', 'first'], ['x-secret', 's'], ['content-type', 'application/json']], body: JSON.stringify({ user: { name: 'ann' }, evil: 'a\r\nx-forged: 1' }) }),
    );

    // Assess
    expect(event.headers).toMatchObject({ 'x-id': '7', 'x-multi': 'first,second', 'x-name': 'ann', 'x-route': 'POST /echo/{id}' });
    expect(event.headers['x-secret']).toBeUndefined();
    expect(event.headers['x-missing']).toBeUndefined();
    expect(event.headers['x-injected']).toBeUndefined();
    expect(event.queryStringParameters).toEqual({ p: '3', page: '3-gold' });
    expect(event.rawQueryString).toBe('p=3&page=3-gold');
  });

  it('H4.3 $request.path and $request.path.<name> are decoded alike, twice, as the event`s path and variables are', async () => {
    const event = echoedV2(await h.send({ method: 'POST', path: '/echo/a%2520b', headers: [['content-type', 'application/json']], body: '{}' }));
    expect(event.headers).toMatchObject({ 'x-id': 'a b', 'x-path': '/echo/a b' });
    expect(event.pathParameters).toEqual({ id: 'a b' });
  });

  it('[AMBIGUOUS] H11.5 $context.path is the path the event has (decoded twice), not the path as sent', async () => {
    const event = echoedV2(await h.send({ method: 'POST', path: '/echo/a%2520b', headers: [['content-type', 'application/json']], body: '{}' }));
    expect(event.headers['x-context-path']).toBe('/echo/a b');
    expect(event.headers['x-context-path']).toBe(event.requestContext.http.path);
  });

  it('overwrite:path gives the function the mapped path', async () => {
    const event = echoedV2(await h.send({ path: '/moved/9' }));
    expect(event.rawPath).toBe('/new/9');
    expect(event.pathParameters).toEqual({ id: '9' });
  });
});

describe('H11.6 responseParameters on a Lambda proxy integration', () => {
  it('the mappings of the answer`s status read its headers and body, then change status and headers', async () => {
    // Act
    const got = await h.send({ path: '/shape', headers: [['x-shape', 'object']] });

    // Assess
    expect(got.status).toBe(202);
    expect(got.headers.get('x-message')).toBe('hi');
    expect(got.headers.get('x-type')).toBe('application/json');
    expect(got.headers.get('x-req')).toBe(got.headers.get('apigw-requestid'));
    expect(got.json()).toEqual({ message: 'hi' });
  });

  it('another status has its own mappings; a 1xx is no final status and is not applied', async () => {
    const teapot = await h.send({ path: '/shape', headers: [['x-shape', 'numeric-string']] });
    expect(teapot.status).toBe(503);
    expect(teapot.headers.get('content-type')).toBeNull();
    const created = await h.send({ path: '/shape', headers: [['x-shape', 'cookies']] });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-body')).toBe('x');
  });
});

describe('H11.6 on an HTTP proxy integration', () => {
  it('overwrite:path replaces the uri`s path (a prefix stripped by $request.path.proxy); the 201 answer is mapped to 200', async () => {
    // Act
    const got = await h.send({ path: '/strip/a/b?q=1' });

    // Assess
    const seen = JSON.parse(got.text) as Seen;
    expect(seen.url).toBe('/a/b?q=1');
    expect(header(seen, 'x-request-id')).toEqual([got.headers.get('apigw-requestid')]);
    expect(got.status).toBe(200);
    expect(got.headers.get('x-backend')).toBeNull();
  });

  it('CloudFormation`s RequestParameters and ResponseParameters (Destination/Source lists)', async () => {
    // Prepare
    const plain = await httpHarness('Plain', template);

    // Act
    const got = await plain.send({ path: '/p?a=1' });

    // Assess
    expect((JSON.parse(got.text) as Seen).url).toBe('/plain?a=1&from=cfn');
    expect(got.status).toBe(299);
    expect(got.headers.get('x-mapped')).toBe('yes');
  });
});
