/**
 * A function Lambda would create and then fail on every invocation: its CodeUri folder not built yet (sam local mounts
 * an empty folder and the runtime finds no handler, Runtime.ImportModuleError) or a Handler that is no "file.export"
 * (Runtime.MalformedHandlerName). Its requests answer as a failed function's do (R1.50: REST 502 with
 * x-amzn-ErrorType; H6.7: HTTP 500), as those of a function whose handler file is missing already did, not as a route
 * that is not emulated (REST 500 API_CONFIGURATION_ERROR); the start report says so; the other routes are served.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { tempLocalState } from '../identity/support/fixtures.js';

const CODE = resolve('tests/emulator/fixtures/faults-app/src');
const dir = mkdtempSync(join(tmpdir(), 'code-not-built-'));
const local = tempLocalState();
let emulator: RunningEmulator;

const events = (path: string) =>
  `{ R: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: '${path}', Method: post } }, H: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: '${path}', Method: post } } }`;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'template.yaml'),
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Globals: { Function: { Runtime: nodejs20.x, Timeout: 3 } }',
      'Resources:',
      '  Rest: { Type: AWS::Serverless::Api, Properties: { StageName: test } }',
      '  Http: { Type: AWS::Serverless::HttpApi }',
      `  NotBuilt: { Type: AWS::Serverless::Function, Properties: { CodeUri: dist/not-built, Handler: app.handler, Events: ${events('/not-built')} } }`,
      `  NoDot: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${CODE}', Handler: nodot, Events: ${events('/no-dot')} } }`,
      `  Fine: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${CODE}', Handler: fault.handler, Events: ${events('/fault/{action}')} } }`,
      // An API whose TOKEN authorizer's function is not built: the authorizer fails each request, as on API Gateway.
      '  Guarded: { Type: AWS::Serverless::Api, Properties: { StageName: test, Auth: { DefaultAuthorizer: Tok, Authorizers: { Tok: { FunctionArn: !GetAtt AuthNotBuilt.Arn } } } } }',
      "  AuthNotBuilt: { Type: AWS::Serverless::Function, Properties: { CodeUri: dist/auth-not-built, Handler: app.handler } }",
      `  Behind: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${CODE}', Handler: fault.handler, Events: { G: { Type: Api, Properties: { RestApiId: !Ref Guarded, Path: '/fault/{action}', Method: post } } } } }`,
      '',
    ].join('\n'),
  );
  emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: local.state.dir, maxConcurrency: 1, log: () => undefined });
});
afterAll(async () => {
  await emulator?.close();
  local.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const urlOf = (kind: 'rest' | 'http') => emulator.apis.find((a) => a.kind === kind && !a.logicalId.endsWith('Guarded'))!.url;

describe.each([
  { kind: 'rest' as const, want: { status: 502, body: { message: 'Internal server error' }, errorType: 'InternalServerErrorException' } },
  { kind: 'http' as const, want: { status: 500, body: { message: 'Internal Server Error' }, errorType: null } },
])('$kind API', ({ kind, want }) => {
  it.each(['/not-built', '/no-dot'])('%s answers as a failed function, then the next request to another function is served', async (path) => {
    const got = await fetch(`${urlOf(kind)}${path}`, { method: 'POST' });
    const next = await fetch(`${urlOf(kind)}/fault/ok`, { method: 'POST' });

    expect({ status: got.status, body: (await got.json()) as unknown, errorType: got.headers.get('x-amzn-errortype') }).toEqual(want);
    expect(next.status).toBe(200);
  });
});

describe('a REST API whose Lambda authorizer is not built', () => {
  it('answers as a failing authorizer does (500 AuthorizerConfigurationException), not as a route not emulated', async () => {
    const guarded = emulator.apis.find((a) => a.logicalId.endsWith('Guarded'))!.url;

    const got = await fetch(`${guarded}/fault/ok`, { method: 'POST', headers: { Authorization: 'token' } });

    expect({ status: got.status, body: (await got.json()) as unknown, errorType: got.headers.get('x-amzn-errortype') }).toEqual({
      status: 500,
      body: { message: null },
      errorType: 'AuthorizerConfigurationException',
    });
  });
});

describe('the start report', () => {
  it('says each invocation of such a function fails, as on Lambda, where it said its routes were not emulated', () => {
    expect(emulator.template.warnings).toContainEqual(expect.stringMatching(/^Resources\.NotBuilt: .*CodeUri dist\/not-built does not exist \(build it first\); each invocation fails, as on Lambda \(502 on a REST API/));
    expect(emulator.template.warnings).toContainEqual(expect.stringMatching(/^Resources\.NoDot: .*Runtime\.MalformedHandlerName\); each invocation fails, as on Lambda/));
    expect(emulator.functionNotes).toContainEqual(expect.stringMatching(/^NotBuilt: did not build, its requests fail \(502 on a REST API and a function URL, 500 on an HTTP API\)/));
  });
});
