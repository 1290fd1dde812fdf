/**
 * H6.8 [choice]: the SourceArn an HTTP API invokes a function with names the matched route's path (`{id}` and
 * `{proxy+}` as written), as `$default` names the route: CDK's HttpLambdaIntegration permissions (`*\/*<route path>`) work.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { httpSourceArn } from '../../../emulator/gateway/http/report.js';

const TEMPLATE = { region: 'eu-west-1', accountId: '123456789012' };

describe('httpSourceArn', () => {
  it.each([
    { given: { routeKey: 'GET /items/{id}', method: 'GET' }, want: 'arn:aws:execute-api:eu-west-1:123456789012:abc/prod/GET/items/{id}' },
    { given: { routeKey: 'ANY /p/{proxy+}', method: 'DELETE' }, want: 'arn:aws:execute-api:eu-west-1:123456789012:abc/prod/DELETE/p/{proxy+}' },
    { given: { routeKey: '$default', method: 'POST' }, want: 'arn:aws:execute-api:eu-west-1:123456789012:abc/prod/$default' },
  ])('$given.routeKey, $given.method → $want', ({ given, want }) => {
    expect(httpSourceArn(TEMPLATE, 'abc', 'prod', given.routeKey, given.method)).toBe(want);
  });
});

describe('permissions written for the route, or for one request path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'http-source-arn-'));
  let emulator: RunningEmulator;
  const route = (id: string, key: string, fn: string): string =>
    [
      `  ${id}Integration:`,
      '    Type: AWS::ApiGatewayV2::Integration',
      `    Properties: { ApiId: !Ref Api, IntegrationType: AWS_PROXY, PayloadFormatVersion: "2.0", IntegrationUri: !GetAtt ${fn}.Arn }`,
      `  ${id}Route:`,
      '    Type: AWS::ApiGatewayV2::Route',
      `    Properties: { ApiId: !Ref Api, RouteKey: "${key}", Target: !Sub "integrations/\${${id}Integration}" }`,
    ].join('\n');
  const fn = (id: string, sourceArn: string): string =>
    [
      `  ${id}:`,
      '    Type: AWS::Lambda::Function',
      `    Properties: { Code: ${resolve('tests/emulator/fixtures/sam-shapes/src')}, Handler: app.handler, Runtime: nodejs22.x, Role: arn:aws:iam::123456789012:role/r }`,
      `  ${id}Permission:`,
      '    Type: AWS::Lambda::Permission',
      `    Properties: { Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: !Ref ${id}, SourceArn: !Sub "arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}${sourceArn}" }`,
    ].join('\n');

  beforeAll(async () => {
    const file = join(dir, 'template.yaml');
    writeFileSync(
      file,
      [
        'Resources:',
        '  Api:',
        '    Type: AWS::ApiGatewayV2::Api',
        '    Properties: { Name: api, ProtocolType: HTTP }',
        '  Stage:',
        '    Type: AWS::ApiGatewayV2::Stage',
        '    Properties: { ApiId: !Ref Api, StageName: $default, AutoDeploy: true }',
        fn('CdkStyle', '/*/*/items/{id}'),
        fn('ProxyStyle', '/*/*/files/{proxy+}'),
        fn('OnePath', '/*/GET/things/7'),
        route('Items', 'GET /items/{id}', 'CdkStyle'),
        route('Files', 'ANY /files/{proxy+}', 'ProxyStyle'),
        route('Things', 'GET /things/{id}', 'OnePath'),
        '',
      ].join('\n'),
    );
    emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'local'), log: () => undefined });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { given: 'a permission on the route path with {id} (as CDK writes it)', path: '/items/7', want: 200 },
    { given: 'a permission on the route path with {proxy+}', path: '/files/a/b.txt', want: 200 },
    { given: 'a permission on one request path, not the route', path: '/things/7', want: 500 },
  ])('H6.8 $given: $path answers $want', async ({ path, want }) => {
    // Act
    const res = await fetch(`${emulator.apis[0]?.url.replace(/\/$/, '')}${path}`);

    // Assess
    expect(res.status).toBe(want);
  });
});
