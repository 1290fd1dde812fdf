/**
 * R10.2, R10.3, R10.5-R10.7: CORS on REST APIs. Without an OPTIONS method a preflight is an unmatched request;
 * SAM's `Cors` adds a mock OPTIONS per path (not over one the document has), on which SAM also puts the default
 * authorizer unless `AddDefaultAuthorizerToCorsPreflight: false`; a proxy integration's answers carry only the
 * CORS headers the function returns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-preflight-'));
const SRC = resolve('tests/emulator/fixtures/sam-shapes/src');
const PREFLIGHT = { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' };

/** A function that answers with its own CORS header (R10.2). */
const CORS_HANDLER = "export const handler = async () => ({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': 'https://fn.example.com' }, body: '{}' });\n";

/** An inline document with its own OPTIONS on /own (origin https://doc.example.com) and none on /gen (R10.7). */
const MERGED_BODY = `      DefinitionBody:
        openapi: 3.0.1
        info: {title: merged, version: '1'}
        paths:
          /own:
            get:
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}, responses: {default: {statusCode: '200'}}}
            options:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses:
                  default:
                    statusCode: '200'
                    responseParameters: {method.response.header.Access-Control-Allow-Origin: "'https://doc.example.com'"}
              responses:
                '200':
                  headers: {Access-Control-Allow-Origin: {schema: {type: string}}}
          /gen:
            get:
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}, responses: {default: {statusCode: '200'}}}
`;

/**
 * On one function: no Cors, Cors with the default authorizer on preflights, Cors with it kept off; Proxied (Cors,
 * Lambda proxy methods with and without their own CORS header); Merged (Cors over a document with its own OPTIONS).
 */
function template(): string {
  const api = (id: string, props: string) => `  ${id}:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: dev\n${props}`;
  const auth = (onPreflight: boolean) =>
    `      Auth:\n        DefaultAuthorizer: Pool\n        AddDefaultAuthorizerToCorsPreflight: ${onPreflight}\n        Authorizers:\n          Pool: {UserPoolArn: !GetAtt Pool.Arn}\n`;
  const cors = '      Cors: {AllowOrigin: "\'https://app.example.com\'", AllowHeaders: "\'Authorization\'"}\n';
  const event = (id: string) => `        ${id}:\n          Type: Api\n          Properties: {RestApiId: !Ref ${id}, Path: /items, Method: get}\n`;
  const file = join(dir, 'template.yaml');
  writeFileSync(join(dir, 'cors.mjs'), CORS_HANDLER);
  const proxied = (path: string) => `          Type: Api\n          Properties: {RestApiId: !Ref Proxied, Path: ${path}, Method: get}\n`;
  writeFileSync(
    file,
    'Transform: AWS::Serverless-2016-10-31\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n  Client:\n    Type: AWS::Cognito::UserPoolClient\n    Properties: {UserPoolId: !Ref Pool}\n' +
      api('Plain', '') +
      api('Guarded', cors + auth(true)) +
      api('Open', cors + auth(false)) +
      api('Proxied', '      Cors: "\'*\'"\n') +
      api('Merged', `      Cors: {AllowOrigin: "'https://prop.example.com'"}\n${MERGED_BODY}`) +
      `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: app.handler\n      Runtime: nodejs22.x\n      Events:\n${event('Plain')}${event('Guarded')}${event('Open')}        Plain2:\n${proxied('/plain')}` +
      `  CorsFn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${dir}\n      Handler: cors.handler\n      Runtime: nodejs22.x\n      Events:\n        Own:\n${proxied('/own-cors')}`,
  );
  return file;
}

describe('CORS preflights on REST APIs', () => {
  let emulator: RunningEmulator;
  const url = (api: string, path = '/items') => `${emulator.apis.find((a) => a.logicalId === api)?.url}${path}`;
  beforeAll(async () => {
    emulator = await startEmulator({ templatePath: template(), port: 0, localDir: join(dir, 'local'), log: () => undefined });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('R10.3 without an OPTIONS method a preflight is 403 Missing Authentication Token, with no CORS headers', async () => {
    // Act
    const res = await fetch(url('Plain'), { method: 'OPTIONS', headers: PREFLIGHT });

    // Assess
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('R10.6 with DefaultAuthorizer and Cors, the generated OPTIONS needs the token (AddDefaultAuthorizerToCorsPreflight defaults to true)', async () => {
    const anonymous = await fetch(url('Guarded'), { method: 'OPTIONS', headers: PREFLIGHT });
    const withToken = await fetch(url('Guarded'), { method: 'OPTIONS', headers: { ...PREFLIGHT, Authorization: emulator.issueToken({ sub: 'u1' }) } });

    expect(anonymous.status).toBe(401);
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('R10.5 / R10.6 with AddDefaultAuthorizerToCorsPreflight: false, the mock OPTIONS answers anyone: 200, the body of SAM\'s response template ({} and a newline), the configured headers, methods computed from the path', async () => {
    // Act
    const res = await fetch(url('Open'), { method: 'OPTIONS', headers: PREFLIGHT });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS');
    expect(await res.text()).toBe('{}\n');
  });

  it('R10.6 the API itself still needs the token on its other methods', async () => {
    expect((await fetch(url('Open'))).status).toBe(401);
  });

  it.each([
    { given: 'a function that returns no CORS header: none is added, though the API has Cors', path: '/plain', origin: null },
    { given: 'a function that returns Access-Control-Allow-Origin: passed through as returned', path: '/own-cors', origin: 'https://fn.example.com' },
  ])('R10.2 Lambda proxy: $given', async ({ path, origin }) => {
    // Act
    const res = await fetch(url('Proxied', path), { headers: { Origin: 'https://app.example.com' } });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('R10.2 R10.5 the same proxy path answers its preflight from SAM\'s OPTIONS mock (the gateway adds CORS headers there only)', async () => {
    // Act
    const res = await fetch(url('Proxied', '/plain'), { method: 'OPTIONS', headers: PREFLIGHT });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each([
    { given: 'a path whose document has its own OPTIONS keeps it: the document\'s origin', path: '/own', origin: 'https://doc.example.com' },
    { given: 'a path without one gets SAM\'s OPTIONS from the Cors property', path: '/gen', origin: 'https://prop.example.com' },
  ])('R10.7 CORS in the document and in the SAM property merge per path, as samtranslator merges them: $given', async ({ path, origin }) => {
    // Act
    const res = await fetch(url('Merged', path), { method: 'OPTIONS', headers: PREFLIGHT });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  });
});
