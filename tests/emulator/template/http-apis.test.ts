/** Loading HTTP APIs as SAM and API Gateway's import make them (H1, H2), through the real template loader. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIntegrationUris, loadTemplate } from '../../../emulator/template/load.js';
import type { HttpApiSpec } from '../../../emulator/template/model.js';
import { ApiRefused, throwIfRefused } from './api-refusal.js';

const SRC = resolve('tests/emulator/fixtures/http-api/functions');
const HEADER = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';

function fnWithEvents(events: string, id = 'Fn'): string {
  return `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: echo.handler\n      Runtime: nodejs22.x\n${events ? `      Events:\n${events}` : ''}`;
}

async function load(resources: string, globals = ''): Promise<HttpApiSpec[]> {
  const dir = mkdtempSync(join(tmpdir(), 'http-tpl-'));
  writeFileSync(join(dir, 'template.yaml'), `${globals}${HEADER}${resources}`);
  return throwIfRefused(await loadTemplate(join(dir, 'template.yaml'))).httpApis;
}

const api = (apis: HttpApiSpec[], id: string): HttpApiSpec => {
  const found = apis.find((a) => a.logicalId === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

const DOC = (paths: string) => `      DefinitionBody:\n        openapi: '3.0.1'\n        info: {title: t, version: '1'}\n        paths:\n${paths}`;

/** An HttpApi `Api` with these Properties lines and one event GET /a on it with this Auth (flow YAML). */
const loadEventAuth = (props: string, auth: string) =>
  load(`  Api:\n    Type: AWS::Serverless::HttpApi\n${props ? `    Properties:\n${props}` : ''}${fnWithEvents(`        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: GET, Auth: ${auth}}\n`)}`);

describe('H1 SAM HttpApi', () => {
  it('H1.4 / H1.5 implicit ServerlessHttpApi: an event without Path/Method is the $default route, Method lower/ANY handled', async () => {
    const apis = await load(fnWithEvents("        Any:\n          Type: HttpApi\n        Get:\n          Type: HttpApi\n          Properties: {Path: /a, Method: get}\n        All:\n          Type: HttpApi\n          Properties: {Path: /b, Method: any}\n"));
    const implicit = api(apis, 'ServerlessHttpApi');
    expect(implicit.routes.map((r) => r.routeKey)).toEqual(['$default', 'GET /a', 'ANY /b']);
    expect(implicit.stages.map((s) => s.name)).toEqual(['$default']);
    expect(implicit.routes[0]?.integration).toMatchObject({ type: 'aws_proxy', payloadFormatVersion: '2.0', timeoutInMillis: 30_000 });
  });

  it('H1.6 the same method and path twice on the implicit API is refused', async () => {
    const events = '        A:\n          Type: HttpApi\n          Properties: {Path: /a, Method: GET}\n        B:\n          Type: HttpApi\n          Properties: {Path: /a, Method: get}\n';
    await expect(load(fnWithEvents(events))).rejects.toThrow("API method 'get' defined multiple times for path '/a'");
  });

  it('H1.6 an event on a path+method the DefinitionBody already integrates leaves the document\'s integration', async () => {
    const doc = DOC("          /a:\n            get:\n              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, payloadFormatVersion: '1.0', uri: !Sub 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}\n");
    const apis = await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${doc}${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: GET}\n')}`);
    expect(api(apis, 'Api').routes.map((r) => [r.routeKey, r.integration?.payloadFormatVersion])).toEqual([['GET /a', '1.0']]);
  });

  it('H1.3 StageName, StageVariables and RouteSettings (event RouteSettings merged under its route key)', async () => {
    const props = '      StageName: prod\n      StageVariables: {a: b}\n      DefaultRouteSettings: {ThrottlingBurstLimit: 5}\n      RouteSettings:\n        "GET /x": {ThrottlingRateLimit: 3}\n';
    const events = '        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /y, Method: POST, RouteSettings: {ThrottlingBurstLimit: 1}}\n';
    const stage = api(await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${props}${fnWithEvents(events)}`), 'Api').stages[0];
    expect(stage).toEqual({ name: 'prod', stageVariables: { a: 'b' }, defaultThrottle: { burstLimit: 5 }, routeThrottle: { 'GET /x': { rateLimit: 3 }, 'POST /y': { burstLimit: 1 } } });
  });

  it('H1.10 DefaultAuthorizer goes on every integrated method except OPTIONS; NONE opts out; event scopes override the authorizer\'s', async () => {
    const props = "      Auth:\n        DefaultAuthorizer: J\n        Authorizers:\n          J:\n            AuthorizationScopes: [s1]\n            JwtConfiguration: {issuer: 'https://issuer.example', audience: [a]}\n            IdentitySource: $request.header.Authorization\n";
    const events = [
      '        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: GET}\n',
      '        B:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: OPTIONS}\n',
      '        C:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /c, Method: GET, Auth: {Authorizer: NONE}}\n',
      '        D:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /d, Method: GET, Auth: {AuthorizationScopes: [s2]}}\n',
    ].join('');
    const routes = api(await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${props}${fnWithEvents(events)}`), 'Api').routes;
    expect(routes.map((r) => [r.routeKey, r.authorizationType, r.authorizationScopes])).toEqual([
      ['GET /a', 'JWT', ['s1']],
      ['OPTIONS /a', 'NONE', []],
      ['GET /c', 'NONE', []],
      ['GET /d', 'JWT', ['s2']],
    ]);
  });

  const jwtAuth = "      Auth:\n        Authorizers:\n          J: {JwtConfiguration: {issuer: 'https://i.example', audience: [a]}, IdentitySource: $request.header.Authorization}\n";
  /** Why → [the API's Properties lines, the event's Auth, SAM's message]. */
  const refusedEventAuth: Record<string, [string, string, string]> = {
    'an authorizer on an API without Auth': ['', '{Authorizer: AppAuth}', 'Unable to set Authorizer [AppAuth] on API method [get] for path [/a] because the related API does not define any Authorizers.'],
    'an authorizer the API does not define': [jwtAuth, '{Authorizer: K}', "Unable to set Authorizer [K] on API method [get] for path [/a] because it wasn't defined in the API's Authorizers."],
    'an authorizer on an API whose Auth has no Authorizers': ['      Auth:\n        EnableIamAuthorizer: false\n', '{Authorizer: K}', 'Unable to set Authorizer [K] on API method [get] for path [/a]. The method authorizer must be a string with a corresponding dict entry in the api authorizer.'],
    'NONE without a DefaultAuthorizer': ['', '{Authorizer: NONE}', "Unable to set Authorizer on API method [get] for path [/a] because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified."],
    'scopes with neither an Authorizer nor a DefaultAuthorizer': ['', '{AuthorizationScopes: [s]}', "'Auth' section requires either an explicit 'Authorizer' set or a 'DefaultAuthorizer' configured on the HttpApi."],
    'scopes that are not a list': [jwtAuth, '{Authorizer: J, AuthorizationScopes: s}', "Unable to set Authorizer on API method [get] for path [/a] because 'AuthorizationScopes' must be a list of strings."],
  };
  it.each(Object.entries(refusedEventAuth))('H1.10 an event naming %s is refused with SAM\'s message, the API not served', async (_why, [props, auth, message]) => {
    const error = await loadEventAuth(props, auth).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRefused);
    expect((error as Error).message).toContain('Resources.Fn.Properties.Events.A.Properties.Auth');
    expect((error as Error).message).toContain(message);
  });

  it.each([
    { why: 'AWS_IAM with EnableIamAuthorizer', props: '      Auth:\n        EnableIamAuthorizer: true\n', auth: '{Authorizer: AWS_IAM}', type: 'AWS_IAM' },
    { why: 'NONE with a DefaultAuthorizer', props: '      Auth:\n        EnableIamAuthorizer: true\n        DefaultAuthorizer: AWS_IAM\n', auth: '{Authorizer: NONE}', type: 'NONE' },
    { why: 'an empty Auth', props: '', auth: '{}', type: 'NONE' },
  ])('H1.10 an event with $why is served', async ({ props, auth, type }) => {
    const routes = api(await loadEventAuth(props, auth), 'Api').routes;
    expect(routes.map((r) => [r.routeKey, r.authorizationType])).toEqual([['GET /a', type]]);
  });

  it('H1.9 EnableIamAuthorizer makes AWS_IAM routes', async () => {
    const props = '      Auth:\n        EnableIamAuthorizer: true\n        DefaultAuthorizer: AWS_IAM\n';
    const routes = api(await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${props}${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: GET}\n')}`), 'Api').routes;
    expect(routes[0]?.authorizationType).toBe('AWS_IAM');
  });

  it.each([
    { rule: 'H1.12 true', value: 'true', origins: ['*'] },
    { rule: 'H1.12 a string', value: "'https://a.example'", origins: ['https://a.example'] },
  ])('$rule CorsConfiguration → allowOrigins $origins', async ({ value, origins }) => {
    const cors = api(await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration: ${value}\n${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api}\n')}`), 'Api').cors;
    expect(cors?.allowOrigins).toEqual(origins);
  });

  it.each([
    { rule: 'H1.12 AllowCredentials with origin *', props: '      CorsConfiguration: {AllowOrigins: ["*"], AllowCredentials: true}\n', message: "allow-credentials is not supported if 'allow-origin' is *" },
    { rule: 'H1.12 an unknown CORS key', props: '      CorsConfiguration: {AllowOrigin: ["x"]}\n', message: 'unknown key(s) AllowOrigin' },
    { rule: 'H1.1 DefinitionBody and DefinitionUri together', props: "      DefinitionUri: ./x.yaml\n      DefinitionBody: {openapi: '3.0.1', paths: {}}\n", message: "Specify either 'DefinitionUri' or 'DefinitionBody'" },
    { rule: 'H2.1 a swagger 2.0 document', props: "      DefinitionBody: {swagger: '2.0', paths: {}}\n", message: 'OpenAPI 3.0 documents only' },
    { rule: 'H1.9 a Lambda authorizer without AuthorizerPayloadFormatVersion', props: '      Auth:\n        Authorizers:\n          L: {FunctionArn: !GetAtt Fn.Arn}\n', message: 'AuthorizerPayloadFormatVersion: is required' },
  ])('$rule is refused', async ({ props, message }) => {
    const error = await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${props}${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api}\n')}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRefused);
    expect((error as Error).message).toContain(message);
  });

  // [H1.1 vs samtranslator 1.110] the translator writes an empty skeleton rather than refusing; followed here.
  it('H1.1 an HttpApi with no definition and no events is SAM\'s empty API with its $default stage', async () => {
    const apis = await load('  Api:\n    Type: AWS::Serverless::HttpApi\n');

    expect(api(apis, 'Api')).toMatchObject({ routes: [], stages: [{ name: '$default' }] });
  });

  it('H1.2 Route, Integration and Authorizer resources naming a SAM HttpApi add their routes to it; its Stage resources are reported', async () => {
    const lambdaUri = "'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Fn/invocations'";
    const apis = await load(
      '  Api:\n    Type: AWS::Serverless::HttpApi\n' +
        `  Integ:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: ${lambdaUri}, PayloadFormatVersion: '2.0'}\n` +
        '  Jwt:\n    Type: AWS::ApiGatewayV2::Authorizer\n    Properties: {ApiId: !Ref Api, AuthorizerType: JWT, Name: j, IdentitySource: [$request.header.Authorization], JwtConfiguration: {Issuer: "https://issuer.example", Audience: [a]}}\n' +
        '  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties: {ApiId: !Ref Api, RouteKey: GET /x, Target: !Sub "integrations/${Integ}", AuthorizationType: JWT, AuthorizerId: !Ref Jwt}\n' +
        '  Extra:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties: {ApiId: !Ref Api, StageName: other}\n' +
        fnWithEvents(''),
    );
    const served = api(apis, 'Api');

    expect(served.routes).toMatchObject([{ routeKey: 'GET /x', authorizationType: 'JWT', integration: { type: 'aws_proxy', payloadFormatVersion: '2.0' } }]);
    expect(Object.keys(served.authorizers)).toHaveLength(1);
    expect(served.stages.map((st) => st.name)).toEqual(['$default']);
    expect(served.notes).toContainEqual(expect.objectContaining({ location: 'Resources.Extra', status: 'ignored' }));
  });

  it('R11.4 an API mapping is reported on the API it maps, with its key; the domain name and another API`s mapping are not', async () => {
    const apis = await load(
      '  Api:\n    Type: AWS::Serverless::HttpApi\n' +
        '  Rest:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: Prod}\n' +
        '  Domain:\n    Type: AWS::ApiGatewayV2::DomainName\n    Properties: {DomainName: api.example.com}\n' +
        '  HttpMapping:\n    Type: AWS::ApiGatewayV2::ApiMapping\n    Properties: {ApiId: !Ref Api, DomainName: !Ref Domain, Stage: $default, ApiMappingKey: http}\n' +
        '  RestMapping:\n    Type: AWS::ApiGatewayV2::ApiMapping\n    Properties: {ApiId: !Ref Rest, DomainName: !Ref Domain, Stage: Prod, ApiMappingKey: rest}\n' +
        fnWithEvents('        E: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /, Method: GET}}\n'),
    );

    const notes = api(apis, 'Api').notes.filter((n) => n.location !== 'Resources.Api');

    expect(notes).toEqual([{ subject: 'AWS::ApiGatewayV2::ApiMapping', location: 'Resources.HttpMapping', status: 'not-emulated', detail: 'custom domain mapping /http: not served; the API answers on its own local port (R11.4)' }]);
  });

  it('DisableExecuteApiEndpoint on an AWS::ApiGatewayV2::Api is reported IGNORED: the local endpoint is what serves it', async () => {
    const apis = await load('  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: a, ProtocolType: HTTP, DisableExecuteApiEndpoint: true}\n  Stage:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties: {ApiId: !Ref Api, StageName: $default}\n');

    expect(api(apis, 'Api').notes).toContainEqual({ subject: 'DisableExecuteApiEndpoint', location: 'Resources.Api.Properties', status: 'ignored', detail: 'the local endpoint is always served' });
  });

  it('Globals.HttpApi applies to the implicit API too', async () => {
    const implicit = api(await load(fnWithEvents('        A:\n          Type: HttpApi\n'), 'Globals:\n  HttpApi:\n    StageVariables: {g: "1"}\n'), 'ServerlessHttpApi');
    expect(implicit.stages[0]?.stageVariables).toEqual({ g: '1' });
  });
});

describe('H2 OpenAPI import for HTTP APIs', () => {
  const withDoc = (paths: string, extra = '') => load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${DOC(paths)}${extra}${fnWithEvents('')}`);
  const INTEGRATION = "x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Fn/invocations'";

  it.each([
    { rule: 'H2.4 timeoutInMillis above 30 000', paths: `          /a:\n            get:\n              ${INTEGRATION}, payloadFormatVersion: '2.0', timeoutInMillis: 30001}\n`, message: 'timeoutInMillis: must be 50-30000' },
    { rule: 'H2.4 timeoutInMillis below 50', paths: `          /a:\n            get:\n              ${INTEGRATION}, payloadFormatVersion: '2.0', timeoutInMillis: 49}\n`, message: 'timeoutInMillis: must be 50-30000' },
    { rule: 'H2.2 two security requirements on one operation', paths: `          /a:\n            get:\n              security: [{A: []}, {B: []}]\n              ${INTEGRATION}, payloadFormatVersion: '2.0'}\n`, message: 'one authorization only' },
  ])('$rule is refused', async ({ paths, message }) => {
    const error = await withDoc(paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRefused);
    expect((error as Error).message).toContain(message);
  });

  // YAML reads an unquoted 2.0 as the number 2; SAM passes it through and API Gateway takes it as "2.0".
  it.each([
    { given: '2.0 unquoted', value: '2.0', want: '2.0' },
    { given: '1.0 unquoted', value: '1.0', want: '1.0' },
    { given: "'2.0' quoted", value: "'2.0'", want: '2.0' },
  ])('H2.3 payloadFormatVersion $given is read as "$want"', async ({ value, want }) => {
    const apis = await withDoc(`          /a:\n            get:\n              ${INTEGRATION}, payloadFormatVersion: ${value}}\n`);
    expect(api(apis, 'Api').routes[0]?.integration?.payloadFormatVersion).toBe(want);
  });

  it.each(['2.5', '3', "'2'"])('H2.3 payloadFormatVersion %s is still refused', async (value) => {
    const error = await withDoc(`          /a:\n            get:\n              ${INTEGRATION}, payloadFormatVersion: ${value}}\n`).catch((e: unknown) => e);
    expect((error as Error).message).toContain('payloadFormatVersion: must be "1.0" or "2.0"');
  });

  it('H8.1 a SAM Lambda authorizer with AuthorizerPayloadFormatVersion: 2.0 unquoted (a number) is a 2.0 authorizer', async () => {
    const apis = await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      Auth:\n        DefaultAuthorizer: L\n        Authorizers:\n          L: {FunctionArn: !GetAtt Fn.Arn, AuthorizerPayloadFormatVersion: 2.0, EnableSimpleResponses: true}\n${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: get}\n')}`);
    expect(api(apis, 'Api').authorizers).toMatchObject({ L: { payloadFormatVersion: '2.0', enableSimpleResponses: true } });
  });

  it.each([
    { given: 'FunctionInvokeRole: a role ARN', role: 'arn:aws:iam::123456789012:role/InvokeRole', want: { credentials: 'arn:aws:iam::123456789012:role/InvokeRole' } },
    { given: 'no FunctionInvokeRole', role: undefined, want: { credentials: undefined } },
  ])('H1.11 a SAM Lambda authorizer with $given: API Gateway invokes it with that role', async ({ role, want }) => {
    // Prepare
    const invokeRole = role ? `, FunctionInvokeRole: '${role}'` : '';

    // Act
    const apis = await load(`  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      Auth:\n        DefaultAuthorizer: L\n        Authorizers:\n          L: {FunctionArn: !GetAtt Fn.Arn, AuthorizerPayloadFormatVersion: 2.0${invokeRole}}\n${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: /a, Method: get}\n')}`);

    // Assess
    expect(api(apis, 'Api').authorizers.L?.credentials).toBe(want.credentials);
  });

  it('H2.4 timeoutInMillis at the limits 50 and 30 000 is accepted', async () => {
    const apis = await withDoc(`          /a:\n            get:\n              ${INTEGRATION}, payloadFormatVersion: '2.0', timeoutInMillis: 50}\n            put:\n              ${INTEGRATION}, payloadFormatVersion: '2.0', timeoutInMillis: 30000}\n`);
    expect(api(apis, 'Api').routes.map((r) => r.integration?.timeoutInMillis)).toEqual([50, 30_000]);
  });

  it('H2.2 requestBody is reported as ignored (no request validation)', async () => {
    const apis = await withDoc(`          /a:\n            post:\n              requestBody: {content: {}}\n              ${INTEGRATION}, payloadFormatVersion: '2.0'}\n`);
    expect(api(apis, 'Api').notes.map((n) => `${n.status} ${n.subject}`)).toContain('ignored requestBody');
  });

  it('H11.6 requestParameters and responseParameters are read as mappings', async () => {
    // Act
    const apis = await withDoc(
      `          /a:\n            post:\n              ${INTEGRATION}, payloadFormatVersion: '2.0', requestParameters: {'overwrite:path': /x, 'append:header.X-User': '$context.authorizer.claims.sub', 'remove:querystring.debug': "''"}, responseParameters: {'404': {'overwrite:statuscode': '204', 'overwrite:header.Cache-Control': no-store}}}\n`,
    );

    // Assess
    const integration = api(apis, 'Api').routes[0]?.integration;
    expect(integration?.requestParameters).toEqual([
      { action: 'overwrite', target: 'path', name: '', value: '/x' },
      { action: 'append', target: 'header', name: 'X-User', value: '$context.authorizer.claims.sub' },
      { action: 'remove', target: 'querystring', name: 'debug', value: "''" },
    ]);
    expect(integration?.responseParameters).toEqual({
      '404': [
        { action: 'overwrite', target: 'statuscode', name: '', value: '204' },
        { action: 'overwrite', target: 'header', name: 'Cache-Control', value: 'no-store' },
      ],
    });
  });

  it.each([
    { given: 'a reserved header', mapping: "requestParameters: {'overwrite:header.Authorization': x}", message: 'header Authorization is reserved' },
    { given: 'a reserved header prefix', mapping: "requestParameters: {'append:header.x-amzn-thing': x}", message: 'header x-amzn-thing is reserved' },
    { given: 'a header name with a space', mapping: "requestParameters: {'overwrite:header.bad name': x}", message: '"bad name" is not a header name' },
    { given: 'a path append', mapping: "requestParameters: {'append:path': /x}", message: 'keys are append|overwrite|remove:header' },
    { given: 'a status code in a request mapping', mapping: "requestParameters: {'overwrite:statuscode': '200'}", message: 'keys are append|overwrite|remove:header' },
    { given: 'a query string in a response mapping', mapping: "responseParameters: {'200': {'append:querystring.a': b}}", message: 'keys are append|overwrite|remove:header.<name> or overwrite:statuscode' },
    { given: 'a response mapping keyed by no status code', mapping: "responseParameters: {'2XX': {'overwrite:statuscode': '200'}}", message: 'keyed by a status code' },
  ])('H11.6 $given is refused as API Gateway refuses it', async ({ mapping, message }) => {
    const error = await withDoc(`          /a:\n            get:\n              ${INTEGRATION}, payloadFormatVersion: '2.0', ${mapping}}\n`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRefused);
    expect((error as Error).message).toContain(message);
  });

  const SERVICE = "x-amazon-apigateway-integration: {type: aws_proxy, payloadFormatVersion: '1.0', integrationSubtype";
  it('AWS service integrations: the subtype and its parameters (written values, evaluated per request) are read', async () => {
    const apis = await withDoc(`          /a:\n            post:\n              ${SERVICE}: SQS-SendMessage, requestParameters: {QueueUrl: 'https://q', MessageBody: $request.body, DelaySeconds: 5, Region: eu-west-1}}\n`);

    const integration = api(apis, 'Api').routes[0]?.integration;
    expect(integration).toMatchObject({ subtype: 'SQS-SendMessage', serviceParameters: { QueueUrl: 'https://q', MessageBody: '$request.body', DelaySeconds: '5', Region: 'eu-west-1' } });
    // The action's parameters are no H11.6 mappings.
    expect(integration?.requestParameters).toBeUndefined();
  });

  it.each([
    { given: 'an unknown subtype', integration: `${SERVICE}: SQS-SendMessageBatch, requestParameters: {QueueUrl: q}}`, message: 'integrationSubtype: API Gateway supports no integration subtype "SQS-SendMessageBatch"' },
    { given: 'a parameter the subtype does not have', integration: `${SERVICE}: SQS-PurgeQueue, requestParameters: {QueueUrl: q, MessageBody: b}}`, message: 'requestParameters.MessageBody: is no parameter of SQS-PurgeQueue (QueueUrl, Region)' },
    { given: 'a required parameter missing', integration: `${SERVICE}: EventBridge-PutEvents, requestParameters: {Detail: d}}`, message: 'EventBridge-PutEvents requires DetailType, Source' },
    { given: 'no parameters at all', integration: `${SERVICE}: StepFunctions-StartExecution}`, message: 'StepFunctions-StartExecution requires StateMachineArn' },
    { given: 'a map for a value', integration: `${SERVICE}: SQS-PurgeQueue, requestParameters: {QueueUrl: {a: 1}}}`, message: 'requestParameters.QueueUrl: must be a text value' },
    { given: 'payload format 2.0', integration: "x-amazon-apigateway-integration: {type: aws_proxy, payloadFormatVersion: '2.0', integrationSubtype: SQS-PurgeQueue, requestParameters: {QueueUrl: q}}", message: 'accept only "1.0"' },
  ])('AWS service integrations: $given is refused as API Gateway refuses it', async ({ integration, message }) => {
    const error = await withDoc(`          /a:\n            get:\n              ${integration}\n`).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiRefused);
    expect((error as Error).message).toContain(message);
  });

  it('Ref of an HttpApi is its API id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-tpl-'));
    const text = `${HEADER}  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      StageVariables: {self: !Ref Api}\n${fnWithEvents('        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api}\n')}`;
    writeFileSync(join(dir, 'template.yaml'), text);
    const loaded = api((await loadTemplate(join(dir, 'template.yaml'))).httpApis, 'Api');
    expect(loaded.stages[0]?.stageVariables).toEqual({ self: loaded.apiId });
  });
});

describe('checkIntegrationUris on HTTP APIs', () => {
  it('R13.4 an HTTP API integration naming no Lambda function ARN is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-tpl-'));
    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/function:Missing/invocations';
    const text = `${HEADER}  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n${DOC(`          /a:\n            get:\n              x-amazon-apigateway-integration: {type: aws_proxy, payloadFormatVersion: '2.0', uri: '${uri}'}\n`)}${fnWithEvents('')}`;
    writeFileSync(join(dir, 'template.yaml'), text);
    const errors = checkIntegrationUris(await loadTemplate(join(dir, 'template.yaml')));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('function:Missing/invocations names no AWS::Serverless::Function or AWS::Lambda::Function')]);
  });
});

describe('H1.8 permissions SAM writes for HttpApi events', () => {
  it.each([
    { fn: 'Fn', sourcePath: 'Api/$default/GET/items/5', allowed: true, why: 'the event route, a variable as *' },
    { fn: 'Fn', sourcePath: 'Api/prod/GET/items/5', allowed: true, why: 'any stage' },
    { fn: 'Fn', sourcePath: 'Api/$default/POST/items/5', allowed: false, why: 'another method' },
    { fn: 'Fn', sourcePath: 'Api/$default/GET/other', allowed: false, why: 'another path' },
    { fn: 'Fn', sourcePath: 'Other/$default/GET/items/5', allowed: false, why: 'another API' },
    { fn: 'Fn2', sourcePath: 'Other/$default/DELETE/any/thing', allowed: true, why: 'the $default event of the implicit API covers all of it' },
  ])('$fn for $sourcePath → $allowed ($why)', async ({ fn, sourcePath, allowed }) => {
    const dir = mkdtempSync(join(tmpdir(), 'http-tpl-'));
    const events = "        A:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Api, Path: '/items/{id}', Method: GET}\n";
    const implicit = '        B:\n          Type: HttpApi\n';
    writeFileSync(join(dir, 'template.yaml'), `${HEADER}  Api:\n    Type: AWS::Serverless::HttpApi\n${fnWithEvents(events)}${fnWithEvents(implicit, 'Fn2')}`);
    const template = await loadTemplate(join(dir, 'template.yaml'));
    const ids: Record<string, string> = { Api: api(template.httpApis, 'Api').apiId, Other: api(template.httpApis, 'ServerlessHttpApi').apiId };
    const [name, ...rest] = sourcePath.split('/');
    const arn = `arn:aws:execute-api:us-east-1:123456789012:${ids[name!]}/${rest.join('/')}`;
    expect(template.apiGatewayMayInvoke(fn, arn)).toBe(allowed);
  });
});

describe('AWS::ApiGatewayV2::Api of another protocol', () => {
  it('a WEBSOCKET API is read as a WebSocket API, not as an HTTP API, and nothing warns about its protocol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-tpl-'));
    writeFileSync(join(dir, 'template.yaml'), `${HEADER}  Ws:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}\n`);
    const template = await loadTemplate(join(dir, 'template.yaml'));
    expect(template.httpApis).toEqual([]);
    expect(template.websocketApis?.map((a) => a.logicalId)).toEqual(['Ws']);
    expect(template.warnings?.filter((w) => w.includes('ProtocolType'))).toEqual([]);
  });
});