/**
 * HTTP API edges found on real templates: a `$default` route's Lambda permission (H6.8: the console writes its
 * SourceArn as `<api>/*` + `/$default`, aws-sam issue 1860), and a route whose function cannot run locally (its code on
 * S3): reported not emulated and answered 500 with a one-line reason, the function never invoked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpGateway } from '../../../emulator/gateway/http/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { sendRequest } from '../conformance/harness.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';

const uri = (fn: string) => `!Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fn}.Arn}/invocations'`;
const api = (id: string, fn: string, sourceArn: string) => `  ${id}:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: ${id}, ProtocolType: HTTP}
  ${id}Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref ${id}, IntegrationType: AWS_PROXY, PayloadFormatVersion: '2.0', IntegrationUri: ${uri(fn)}}
  ${id}Default:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref ${id}, RouteKey: $default, Target: !Sub 'integrations/\${${id}Integration}'}
  ${id}Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref ${id}, StageName: $default, AutoDeploy: true}
  ${id}Permission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref ${fn}, Principal: apigateway.amazonaws.com, SourceArn: !Sub '${sourceArn}'}
`;
const fn = (id: string, code: string, handler = 'app.handler') => `  ${id}:
    Type: AWS::Lambda::Function
    Properties: {Runtime: nodejs20.x, Handler: ${handler}, Role: arn:aws:iam::123456789012:role/r, Code: ${code}}
`;

const dir = mkdtempSync(join(tmpdir(), 'http-default-'));
writeFileSync(join(dir, 'app.mjs'), 'export const handler = async (event) => ({ statusCode: 200, body: event.routeKey });\n');
writeFileSync(join(dir, 'auth.mjs'), "export const handler = async (event) => ({ isAuthorized: event.headers.authorization === 'ok' });\n");
// An API whose route has a Lambda authorizer (simple responses) and a function on S3 (as serverless-patterns'
// apigw-sqs-lambda-ddb has one and an SQS integration).
const authorized = `  AuthorizedApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: AuthorizedApi, ProtocolType: HTTP}
  AuthorizedApiAuthorizer:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties: {ApiId: !Ref AuthorizedApi, Name: Simple, AuthorizerType: REQUEST, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: [$request.header.Authorization], AuthorizerUri: ${uri('Authorizer')}}
  AuthorizedApiIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref AuthorizedApi, IntegrationType: AWS_PROXY, PayloadFormatVersion: '2.0', IntegrationUri: ${uri('OnS3')}}
  AuthorizedApiRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref AuthorizedApi, RouteKey: 'POST /submit', AuthorizationType: CUSTOM, AuthorizerId: !Ref AuthorizedApiAuthorizer, Target: !Sub 'integrations/\${AuthorizedApiIntegration}'}
  AuthorizedApiStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref AuthorizedApi, StageName: $default, AutoDeploy: true}
  AuthorizedApiPermission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Authorizer, Principal: apigateway.amazonaws.com}
`;
// The same with the roles swapped: the route's function runs here, its authorizer's code is on S3.
const s3Authorizer = authorized.replaceAll('AuthorizedApi', 'S3AuthApi').replace(uri('Authorizer'), uri('AuthOnS3')).replace(uri('OnS3'), uri('Local')).replace('!Ref Authorizer', '!Ref AuthOnS3');
writeFileSync(
  join(dir, 'template.yaml'),
  `Resources:
${fn('AuthOnS3', '{S3Bucket: artifacts, S3Key: auth.zip}', 'auth.handler')}${s3Authorizer}${fn('Local', '.')}${fn('OnS3', '{S3Bucket: artifacts, S3Key: fn.zip}')}${fn('NoHandlerFile', '.', 'missing.handler')}${fn('Authorizer', '.', 'auth.handler')}${authorized}${api('ConsoleApi', 'Local', 'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ConsoleApi}/*/$default')}${api('OtherRouteApi', 'Local', 'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${OtherRouteApi}/*/GET/only')}${api('S3Api', 'OnS3', 'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${S3Api}/*')}${api('BrokenApi', 'NoHandlerFile', 'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${BrokenApi}/*')}`,
);
const template = await loadTemplate(join(dir, 'template.yaml'));

function gatewayOf(id: string) {
  const invoker = new FakeInProcessInvoker(template);
  const logs: string[] = [];
  const gateway = createHttpGateway({ api: template.httpApis.find((a) => a.logicalId === id)!, template, invoker, log: (l) => logs.push(l) });
  return { gateway, invoker, logs, send: (path: string, request: Omit<Parameters<typeof sendRequest>[1], 'path'> = {}) => sendRequest(gateway, { path, ...request }) };
}

describe('the $default route and its Lambda permission (H6.8)', () => {
  it.each([
    { given: 'a permission for <api>/*/$default (as the console writes it)', id: 'ConsoleApi', want: 200 },
    { given: 'a permission for another route only', id: 'OtherRouteApi', want: 500 },
  ])('$given: any request through the default route answers $want', async ({ id, want }) => {
    const h = gatewayOf(id);

    const got = await h.send('/anything/at/all');

    expect(got.status).toBe(want);
    expect(h.gateway.routes[0]?.detail ?? '').toMatch(want === 200 ? /^payload 2\.0/ : /no permission for API Gateway to invoke Local \(H6\.8\)/);
  });
});

describe('a route whose function cannot run here', () => {
  it('is reported not emulated, answers 500 with a one-line reason, and never invokes the function', async () => {
    const h = gatewayOf('S3Api');

    const got = await h.send('/x');

    expect(h.gateway.routes[0]).toMatchObject({ emulated: false, detail: expect.stringMatching(/^function OnS3: its code is on S3 \(s3:\/\/artifacts\/fn\.zip\) and cannot run locally$/) });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(h.invoker.calls).toEqual([]);
    expect(h.logs).toEqual([expect.stringMatching(/^\[[^\]]+\] \$default: not emulated: function OnS3: its code is on S3 \(s3:\/\/artifacts\/fn\.zip\) and cannot run locally$/)]);
  });

  it.each([
    { given: 'a request the authorizer refuses', headers: [['authorization', 'no']] as [string, string][], want: 403, body: { message: 'Forbidden' }, authorizerCalls: 1 },
    { given: 'a request without the identity source', headers: [] as [string, string][], want: 401, body: { message: 'Unauthorized' }, authorizerCalls: 0 },
    { given: 'an authorized request', headers: [['authorization', 'ok']] as [string, string][], want: 500, body: { message: 'Internal Server Error' }, authorizerCalls: 1 },
  ])('H0.3 $given still meets the route`s Lambda authorizer first: $want', async ({ headers, want, body, authorizerCalls }) => {
    const h = gatewayOf('AuthorizedApi');

    const got = await h.send('/submit', { method: 'POST', headers, body: '{}' });

    expect(got.status).toBe(want);
    expect(got.json()).toEqual(body);
    expect(h.invoker.calls.map((c) => c.functionLogicalId)).toEqual(Array(authorizerCalls).fill('Authorizer'));
  });

  it('whose Lambda authorizer`s function cannot run here is reported not emulated, the authorizer too, as a REST API`s; it answers 500 and invokes nothing', async () => {
    const h = gatewayOf('S3AuthApi');

    const got = await h.send('/submit', { method: 'POST', headers: [['authorization', 'ok']], body: '{}' });

    const why = 'function AuthOnS3: its code is on S3 (s3://artifacts/auth.zip) and cannot run locally';
    expect(h.gateway.routes[0]).toMatchObject({ emulated: false, detail: why });
    expect(h.gateway.support.find((i) => i.subject === 'authorizer S3AuthApiAuthorizer')).toMatchObject({ status: 'not-emulated', detail: expect.stringContaining(why) });
    expect(got.status).toBe(500);
    expect(h.invoker.calls).toEqual([]);
  });

  it('H6.7 a function the local Lambda service cannot load (no handler file) answers 500, logged in one line, no stack trace', async () => {
    const h = gatewayOf('BrokenApi');

    const got = await h.send('/x');

    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(h.logs).toEqual([expect.stringMatching(/^\[[^\]]+\] NoHandlerFile: the local Lambda service failed: .* \(H6\.7\)$/)]);
  });
});
