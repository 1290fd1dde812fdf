/** emulator/template/definition-body.ts: an integration uri that does not resolve costs its route, not the template. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError, type RunningEmulator } from '../../../emulator/app.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'definition-body-'));
const integration = (fn: string) => `{type: aws_proxy, httpMethod: POST, uri: !Sub "arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fn}.Arn}/invocations"}`;
const file = join(dir, 'template.yaml');
writeFileSync(
  file,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Api:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      StageName: dev',
    '      DefinitionBody:',
    '        openapi: 3.0.1',
    '        info: {title: t, version: "1"}',
    '        paths:',
    `          /ok: {get: {x-amazon-apigateway-integration: ${integration('Fn')}}}`,
    `          /gone: {get: {x-amazon-apigateway-integration: ${integration('WhatFunction')}}}`,
    '  Fn:',
    '    Type: AWS::Serverless::Function',
    `    Properties: {CodeUri: ${resolve('tests/emulator/fixtures/sam-shapes/src')}, Handler: app.handler, Runtime: nodejs22.x, Events: {Ok: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /ok, Method: get}}}}`,
    '',
  ].join('\n'),
);

describe('a DefinitionBody whose integration names a function the template lacks (CloudFormation would refuse it)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'local'), log: () => undefined });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the other routes', async () => {
    const res = await fetch(`${emulator.apis[0]?.url}/ok`);

    expect(res.status).toBe(200);
  });

  it('answers 500 on that route (R1.54: no function to invoke), reports it not emulated and warns why', async () => {
    // Act
    const res = await fetch(`${emulator.apis[0]?.url}/gone`);

    // Assess
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
    expect(emulator.apis[0]?.routes.find((r) => r.path === '/gone')?.emulated).toBe(false);
    expect(emulator.template.warnings).toContainEqual(
      expect.stringMatching(/^Resources\.Api\.Properties\.DefinitionBody\.paths\.\/gone\.get\.x-amazon-apigateway-integration\.uri\.Fn::Sub: Fn::GetAtt names "WhatFunction", which is not a resource .*\(CloudFormation would refuse the template\); locally this route answers 500 and the others are served$/),
    );
  });

  it('--strict refuses it', async () => {
    await expect(startEmulator({ templatePath: file, port: 0, strict: true, localDir: join(dir, 'strict') })).rejects.toThrow(StrictModeError);
  });
});

describe('an AWS::ApiGateway::RestApi Body whose integration names a function the template lacks', () => {
  it('costs that route only, as a DefinitionBody does: the API is served with a warning naming the uri', async () => {
    // Prepare
    const restDir = mkdtempSync(join(tmpdir(), 'rest-body-'));
    const restFile = join(restDir, 'template.yaml');
    writeFileSync(
      restFile,
      [
        'Resources:',
        '  Rest:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Properties:',
        '      Body:',
        '        openapi: 3.0.1',
        '        info: {title: t, version: "1"}',
        '        paths:',
        "          /ok: {get: {x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{\"statusCode\": 200}'}, responses: {default: {statusCode: '200'}}}}}",
        `          /gone: {get: {x-amazon-apigateway-integration: ${integration('WhatFunction')}}}`,
        '  Deployment:',
        '    Type: AWS::ApiGateway::Deployment',
        '    Properties: {RestApiId: !Ref Rest, StageName: prod}',
        '',
      ].join('\n'),
    );

    // Act
    const loaded = await loadTemplate(restFile);
    rmSync(restDir, { recursive: true, force: true });

    // Assess
    expect(loaded.apis.map((a) => [a.logicalId, Object.keys(a.openapi.paths ?? {})])).toEqual([['Rest', ['/ok', '/gone']]]);
    expect(loaded.warnings).toContainEqual(expect.stringMatching(/^Resources\.Rest\.Properties\.Body\.paths\.\/gone\.get\.x-amazon-apigateway-integration\.uri\.Fn::Sub: Fn::GetAtt names "WhatFunction"/));
  });
});
