/**
 * R10.3, R10.5, R10.6: CORS preflights on REST APIs. Without an OPTIONS method a preflight is an unmatched request;
 * SAM's `Cors` adds a mock OPTIONS per path, on which SAM also puts the default authorizer unless
 * `AddDefaultAuthorizerToCorsPreflight: false`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-preflight-'));
const SRC = resolve('tests/emulator/fixtures/sam-shapes/src');
const PREFLIGHT = { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' };

/** Three APIs on one function: no Cors, Cors with the default authorizer on preflights, Cors with it kept off. */
function template(): string {
  const api = (id: string, props: string) => `  ${id}:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: dev\n${props}`;
  const auth = (onPreflight: boolean) =>
    `      Auth:\n        DefaultAuthorizer: Pool\n        AddDefaultAuthorizerToCorsPreflight: ${onPreflight}\n        Authorizers:\n          Pool: {UserPoolArn: !GetAtt Pool.Arn}\n`;
  const cors = '      Cors: {AllowOrigin: "\'https://app.example.com\'", AllowHeaders: "\'Authorization\'"}\n';
  const event = (id: string) => `        ${id}:\n          Type: Api\n          Properties: {RestApiId: !Ref ${id}, Path: /items, Method: get}\n`;
  const file = join(dir, 'template.yaml');
  writeFileSync(
    file,
    'Transform: AWS::Serverless-2016-10-31\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n  Client:\n    Type: AWS::Cognito::UserPoolClient\n    Properties: {UserPoolId: !Ref Pool}\n' +
      api('Plain', '') +
      api('Guarded', cors + auth(true)) +
      api('Open', cors + auth(false)) +
      `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: app.handler\n      Runtime: nodejs22.x\n      Events:\n${event('Plain')}${event('Guarded')}${event('Open')}`,
  );
  return file;
}

describe('CORS preflights on REST APIs', () => {
  let emulator: RunningEmulator;
  const url = (api: string) => `${emulator.apis.find((a) => a.logicalId === api)?.url}/items`;
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
});
