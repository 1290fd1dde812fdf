/**
 * The start report never says EMULATED of a function no request reaches: one whose only routes are not emulated (a
 * REST method behind an authorizer that cannot run, an HTTP route whose integration is not served), whose only API is
 * not served, or whose only event no local event source runs. A function another route or resource reaches stays
 * EMULATED. Nor of the resource that declares a route not emulated (an AWS::ApiGateway::Method, an
 * AWS::ApiGatewayV2::Route).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/app.js';
import { formatStartupReport } from '../../emulator/report.js';

const CODE = resolve('tests/emulator/fixtures/http-api/functions');
const dir = mkdtempSync(join(tmpdir(), 'unreached-resources-'));
const fn = (id: string, events: string, more = '') => `  ${id}: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${CODE}', Handler: echo.handler, Events: { ${events} }${more} } }`;
const get = (api: string, path: string) => `{ Type: Api, Properties: { RestApiId: !Ref ${api}, Path: ${path}, Method: get } }`;
let report: string[];

beforeAll(async () => {
  writeFileSync(
    join(dir, 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals: { Function: { Runtime: nodejs20.x } }',
      'Resources:',
      // A Cognito authorizer whose pool is another stack's: its methods are not emulated.
      "  Guarded: { Type: AWS::Serverless::Api, Properties: { StageName: dev, Auth: { DefaultAuthorizer: Pool, Authorizers: { Pool: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc' } } } } }",
      "  Open: { Type: AWS::Serverless::Api, Properties: { StageName: dev } }",
      '  OnS3: { Type: AWS::Serverless::Api, Properties: { StageName: dev, DefinitionUri: s3://bucket/api.yaml } }',
      '  Http: { Type: AWS::Serverless::HttpApi }',
      fn('Guard', `G: ${get('Guarded', '/g')}`),
      fn('GuardAndOpen', `G: ${get('Guarded', '/both')}, O: ${get('Open', '/both')}`),
      fn('Refused', `G: ${get('OnS3', '/x')}`),
      fn('Iot', `R: { Type: IoTRule, Properties: { Sql: "SELECT * FROM 'x'" } }`),
      fn('Called', `G: ${get('Guarded', '/called')}`),
      fn('Caller', '', ', Environment: { Variables: { TARGET: !Ref Called } }'),
      fn('Streamed', ''),
      "  StreamRoute: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Http, RouteKey: 'GET /s', Target: !Sub 'integrations/${StreamInt}' } }",
      '  Cfn: { Type: AWS::ApiGateway::RestApi, Properties: { Name: cfn } }',
      "  Private: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Cfn, ResourceId: !GetAtt Cfn.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: HTTP_PROXY, IntegrationHttpMethod: GET, Uri: 'http://internal.example', ConnectionType: VPC_LINK, ConnectionId: abc } } }",
      "  Mocked: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Cfn, ResourceId: !GetAtt Cfn.RootResourceId, HttpMethod: POST, AuthorizationType: NONE, Integration: { Type: MOCK } } }",
      '  CfnDeployment: { Type: AWS::ApiGateway::Deployment, DependsOn: [Private, Mocked], Properties: { RestApiId: !Ref Cfn, StageName: dev } }',
      "  StreamInt: { Type: AWS::ApiGatewayV2::Integration, Properties: { ApiId: !Ref Http, IntegrationType: AWS_PROXY, PayloadFormatVersion: '2.0', IntegrationUri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Streamed.Arn}/response-streaming-invocations' } }",
      '',
    ].join('\n'),
  );
  const emulator: RunningEmulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: () => undefined, onRequest: () => undefined });
  try {
    report = formatStartupReport(emulator, 1).split('\n');
  } finally {
    await emulator.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the start report of functions no request reaches', () => {
  it('a REST method not emulated (its authorizer cannot run) is its function`s only route: NOT EMULATED, not reached', () => {
    expect(report).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED GET +\/g +aws_proxy -> Guard auth=Pool \(authorizer Pool: /));
    expect(report).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED AWS::Serverless::Function: Guard - not reached: only by route Guarded GET \/g \(not emulated\); it runs only when invoked/));
  });

  it('an HTTP route whose integration is not served (response streaming) is its function`s only route: NOT EMULATED, not reached', () => {
    expect(report).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED AWS::Serverless::Function: Streamed - not reached: only by route Http GET \/s \(not emulated\);/));
  });

  it('an API not served is its function`s only caller: NOT EMULATED, not reached', () => {
    expect(report).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED AWS::Serverless::Function: Refused - not reached: only by API OnS3 \(not served\);/));
  });

  it('an event no local event source runs is its function`s only caller: IGNORED as the event is, not reached', () => {
    expect(report).toContainEqual(expect.stringMatching(/^ {2}IGNORED {6}AWS::Serverless::Function: Iot - not reached: only by event Iot\.R \(IoTRule: no local event source runs it\);/));
  });

  it('a function an emulated route or another resource reaches stays EMULATED', () => {
    expect(report).toContainEqual('  EMULATED     AWS::Serverless::Function: GuardAndOpen, Called, Caller');
  });
});

describe('the start report of resources that declare a route not emulated', () => {
  it('an AWS::ApiGateway::Method whose method is not emulated (a VPC link) is NOT EMULATED; its emulated sibling stays EMULATED', () => {
    expect(report).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED GET +\/ +http_proxy \(integration http_proxy through a VPC link/));
    expect(report).toContainEqual('  NOT EMULATED AWS::ApiGateway::Method: Private - its route Cfn GET / is not emulated (why is listed with the route)');
    expect(report).toContainEqual('  EMULATED     AWS::ApiGateway::Method: Mocked');
  });

  it('an AWS::ApiGatewayV2::Route whose route is not emulated, and the Integration only it uses, are NOT EMULATED', () => {
    expect(report).toContainEqual('  NOT EMULATED AWS::ApiGatewayV2::Route: StreamRoute - its route Http GET /s is not emulated (why is listed with the route)');
    expect(report).toContainEqual('  NOT EMULATED AWS::ApiGatewayV2::Integration: StreamInt - its route Http GET /s is not emulated (why is listed with the route)');
  });
});
