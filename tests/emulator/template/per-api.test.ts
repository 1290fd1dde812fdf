/** emulator/template/per-api.ts: an API AWS would refuse costs that API; the template's other APIs are served. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { TemplateError } from '../../../emulator/template/model.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'per-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FN = `  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ${resolve('tests/emulator/fixtures/sam-shapes/src')}, Handler: app.handler, Runtime: nodejs22.x, Events: {Get: {Type: Api, Properties: {RestApiId: !Ref Good, Path: /a, Method: get}}}}\n`;
const GOOD = '  Good:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: dev}\n';
const ON_S3 = '  OnS3:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: dev, DefinitionUri: s3://bucket/api.yaml}\n';
const SWAGGER_HTTP = "  Http:\n    Type: AWS::Serverless::HttpApi\n    Properties: {DefinitionBody: {swagger: '2.0', paths: {}}}\n";

function template(name: string, resources: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
  return file;
}

describe('a template with one API AWS would refuse and one it would deploy', () => {
  const file = template('mixed', GOOD + ON_S3 + SWAGGER_HTTP + FN);

  it('serves the good API and reports each refused one NOT EMULATED with why', async () => {
    // Act
    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'mixed'), log: () => undefined });
    try {
      const res = await fetch(`${emulator.apis[0]?.url}/a`);
      const report = formatStartupReport(emulator, 1);

      // Assess
      expect(emulator.apis.map((a) => a.logicalId)).toEqual(['Good']);
      expect(res.status).toBe(200);
      expect(report).toMatch(/NOT EMULATED .*Resources\.OnS3\.Properties\.DefinitionUri: only a local file path is supported \(not S3\); API OnS3 is not served/);
      expect(report).toMatch(/NOT EMULATED .*Resources\/Http\/Properties\/DefinitionBody: openapi: HTTP APIs import OpenAPI 3\.0 documents only \(H2\.1\); API Http is not served/);
      expect(report).toContain('NOT EMULATED AWS::Serverless::Api: OnS3 - not served (why is listed under the settings not emulated)');
    } finally {
      await emulator.close();
    }
  });

  it('--strict refuses to start, naming them', async () => {
    const started = startEmulator({ templatePath: file, port: 0, strict: true, localDir: join(dir, 'strict') });

    await expect(started).rejects.toThrow(StrictModeError);
    await expect(started).rejects.toThrow(/API OnS3 is not served/);
  });
});

describe('a template whose only API AWS would refuse', () => {
  it('does not start: no API to serve, and why', async () => {
    const started = startEmulator({ templatePath: template('only-bad', ON_S3), port: 0, localDir: join(dir, 'only') });

    await expect(started).rejects.toThrow(TemplateError);
    await expect(started).rejects.toThrow(/no API to serve:\n {2}.*Resources\.OnS3\.Properties\.DefinitionUri: only a local file path is supported \(not S3\); API OnS3 is not served/);
  });
});

// SAM's SwaggerEditor/OpenApiEditor words for a path item that is no map; a gateway that read past it threw a TypeError.
describe.each([
  { given: 'a SAM REST API whose DefinitionBody has an empty path item', resources: "  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: dev, DefinitionBody: {swagger: '2.0', paths: {/foo: null}}}\n", path: '/foo' },
  { given: 'a SAM REST API whose path item is a string', resources: "  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: dev, DefinitionBody: {openapi: '3.0.1', paths: {/: text}}}\n", path: '/' },
  { given: 'an AWS::ApiGateway::RestApi Body with a list for a path item', resources: "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Body: {swagger: '2.0', paths: {/items: []}}}\n  Dep:\n    Type: AWS::ApiGateway::Deployment\n    Properties: {RestApiId: !Ref Api, StageName: v1}\n", path: '/items' },
  { given: 'an HTTP API whose DefinitionBody has an empty path item', resources: "  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties: {DefinitionBody: {openapi: '3.0.1', paths: {/foo: null}}}\n", path: '/foo' },
])('$given', ({ resources, path }) => {
  it('costs that API, named with SAM\'s words, and the good API is still served', async () => {
    // Prepare
    const file = template(`bad-path-${Math.random().toString(36).slice(2)}`, GOOD + resources + FN);

    // Act
    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'bad-path'), log: () => undefined });
    try {
      const report = formatStartupReport(emulator, 1);

      // Assess
      expect(emulator.apis.map((a) => a.logicalId)).toEqual(['Good']);
      expect(report).toContain(`paths.${path}: Value of '${path}' path must be a dictionary according to Swagger spec.; API Api is not served`);
    } finally {
      await emulator.close();
    }
  });
});

describe('a path item that is an empty map', () => {
  it('is a resource with no methods, not a refusal', async () => {
    const file = template('empty-item', `${GOOD}  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Body: {swagger: '2.0', paths: {/foo: {}}}}\n  Dep:\n    Type: AWS::ApiGateway::Deployment\n    Properties: {RestApiId: !Ref Api, StageName: v1}\n${FN}`);

    const emulator = await startEmulator({ templatePath: file, port: 0, localDir: join(dir, 'empty-item'), log: () => undefined });
    try {
      expect(emulator.apis.map((a) => a.logicalId).sort()).toEqual(['Api', 'Good']);
      expect(formatStartupReport(emulator, 1)).not.toContain('must be a dictionary');
    } finally {
      await emulator.close();
    }
  });
});

describe('a resource tree API Gateway refuses to import (R11.8: /{proxy+} and /{proxy++} side by side)', () => {
  it('is the template\'s error, said plainly, not a crash', async () => {
    // Prepare
    const fn = `  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ${resolve('tests/emulator/fixtures/sam-shapes/src')}, Handler: app.handler, Runtime: nodejs22.x, Events: {A: {Type: Api, Properties: {Path: '/{proxy+}', Method: any}}, B: {Type: Api, Properties: {Path: '/{proxy++}', Method: any}}}}\n`;

    // Act
    const started = startEmulator({ templatePath: template('greedy-twice', fn), port: 0, localDir: join(dir, 'greedy-twice') });

    // Assess
    await expect(started).rejects.toThrow(TemplateError);
    await expect(started).rejects.toThrow(/paths\.\/\{proxy\+\+\}\.x-amazon-apigateway-any-method: \/\{proxy\+\+\}: Resource's path part only allow/);
  });
});

describe('the resources of an API refused on its own (a CloudFormation RestApi with two GET methods on /x)', () => {
  it('are NOT EMULATED as part of it, not listed EMULATED beside it; the other API`s stay EMULATED', async () => {
    const mock = "Integration: { Type: MOCK, RequestTemplates: { application/json: '{\"statusCode\": 200}' } }";
    const file = template(
      'refused-children',
      [
        '  Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: a } }',
        '  Res: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: x } }',
        `  Get1: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !Ref Res, HttpMethod: GET, AuthorizationType: NONE, ${mock} } }`,
        `  Get2: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !Ref Res, HttpMethod: GET, AuthorizationType: NONE, ${mock} } }`,
        '  Dep: { Type: AWS::ApiGateway::Deployment, DependsOn: [Get1, Get2], Properties: { RestApiId: !Ref Api, StageName: dev } }',
        '  Other: { Type: AWS::ApiGateway::RestApi, Properties: { Name: b } }',
        "  OtherGet: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Other, ResourceId: !GetAtt Other.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK } } }",
        '  OtherDep: { Type: AWS::ApiGateway::Deployment, DependsOn: [OtherGet], Properties: { RestApiId: !Ref Other, StageName: dev } }',
        '',
      ].join('\n'),
    );

    const loaded = await loadTemplate(file);

    expect(loaded.resources?.map((g) => `${g.status} ${g.type} ${g.logicalIds.join(',')}`)).toEqual([
      'not-emulated AWS::ApiGateway::Deployment Dep',
      'not-emulated AWS::ApiGateway::Method Get1,Get2',
      'not-emulated AWS::ApiGateway::Resource Res',
      'not-emulated AWS::ApiGateway::RestApi Api',
      'emulated AWS::ApiGateway::Deployment OtherDep',
      'emulated AWS::ApiGateway::Method OtherGet',
      'emulated AWS::ApiGateway::RestApi Other',
    ]);
    expect(loaded.resources?.[1]?.detail).toBe('part of API Api, which is not served (why is listed under the settings not emulated)');
  });
});
