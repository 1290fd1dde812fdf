/**
 * A function Lambda would create and then fail on every invocation: its CodeUri folder not built yet (sam local mounts
 * an empty folder and the runtime finds no handler, Runtime.ImportModuleError), a Handler that is no "file.export"
 * (Runtime.MalformedHandlerName), or code that exits its process while it loads (Runtime.ExitError, each request
 * starting the init again as Lambda does). Its requests answer as a failed function's do (R1.50: REST 502 with
 * x-amzn-ErrorType; H6.7: HTTP 500), as those of a function whose handler file is missing already did, not as a route
 * that is not emulated (REST 500 API_CONFIGURATION_ERROR); the start report says so; the other routes are served.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { tempLocalState } from '../identity/support/fixtures.js';

const CODE = resolve('tests/emulator/fixtures/faults-app/src');
const dir = mkdtempSync(join(tmpdir(), 'code-not-built-'));
const local = tempLocalState();
let emulator: RunningEmulator;
const logs: string[] = [];

const events = (path: string) =>
  `{ R: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: '${path}', Method: post } }, H: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: '${path}', Method: post } } }`;

/** A function whose module ends its process while it loads: Node.js process.exit(code), Python sys.exit(code). */
function exitingAtInit(name: string, file: string, code: string): string {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, file), code);
  return join(dir, name);
}

beforeAll(async () => {
  const exits0 = exitingAtInit('exits-0', 'app.mjs', 'process.exit(0);\nexport const handler = async () => ({ statusCode: 200 });\n');
  const exits1 = exitingAtInit('exits-1', 'app.mjs', 'process.exit(1);\nexport const handler = async () => ({ statusCode: 200 });\n');
  const exitsPy = exitingAtInit('exits-py', 'app.py', 'import sys\nsys.exit(3)\ndef handler(event, context):\n    return {"statusCode": 200}\n');
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
      `  Exits0: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${exits0}', Handler: app.handler, Events: ${events('/exits-0')} } }`,
      `  Exits1: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${exits1}', Handler: app.handler, Events: ${events('/exits-1')} } }`,
      `  ExitsPy: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${exitsPy}', Handler: app.handler, Runtime: python3.12, Events: ${events('/exits-py')} } }`,
      `  Fine: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${CODE}', Handler: fault.handler, Events: ${events('/fault/{action}')} } }`,
      // An API whose TOKEN authorizer's function is not built: the authorizer fails each request, as on API Gateway.
      '  Guarded: { Type: AWS::Serverless::Api, Properties: { StageName: test, Auth: { DefaultAuthorizer: Tok, Authorizers: { Tok: { FunctionArn: !GetAtt AuthNotBuilt.Arn } } } } }',
      "  AuthNotBuilt: { Type: AWS::Serverless::Function, Properties: { CodeUri: dist/auth-not-built, Handler: app.handler } }",
      `  Behind: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${CODE}', Handler: fault.handler, Events: { G: { Type: Api, Properties: { RestApiId: !Ref Guarded, Path: '/fault/{action}', Method: post } } } } }`,
      '',
    ].join('\n'),
  );
  emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: local.state.dir, maxConcurrency: 1, log: (line) => logs.push(line) });
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
  it.each([
    { path: '/not-built', why: 'Resources.NotBuilt.Properties.CodeUri: dist/not-built does not exist (build it first)' },
    { path: '/no-dot', why: 'Resources.NoDot.Properties.Handler: expected "file.export"' },
  ])('$path answers as a failed function, says why at the key that is wrong, then the next request to another function is served', async ({ path, why }) => {
    const from = logs.length;
    const got = await fetch(`${urlOf(kind)}${path}`, { method: 'POST' });
    const next = await fetch(`${urlOf(kind)}/fault/ok`, { method: 'POST' });

    expect({ status: got.status, body: (await got.json()) as unknown, errorType: got.headers.get('x-amzn-errortype') }).toEqual(want);
    expect(next.status).toBe(200);
    // The key once: "template.yaml: Resources.NotBuilt: Resources.NotBuilt.Properties.CodeUri ..." said it twice.
    expect(logs.slice(from).filter((line) => line.includes(`template.yaml: ${why}`))).toHaveLength(1);
  });

  it.each([
    { path: '/exits-0', fn: 'Exits0', why: 'Runtime exited without providing a reason' },
    { path: '/exits-1', fn: 'Exits1', why: 'Runtime exited with error: exit status 1' },
    { path: '/exits-py', fn: 'ExitsPy', why: 'Runtime exited with error: exit status 3' },
  ])('$path (its module exits while it loads) answers as a failed function at each request, and says why', async ({ path, fn, why }) => {
    const from = logs.length;
    const got = await fetch(`${urlOf(kind)}${path}`, { method: 'POST' });
    const again = await fetch(`${urlOf(kind)}${path}`, { method: 'POST' });
    const next = await fetch(`${urlOf(kind)}/fault/ok`, { method: 'POST' });

    for (const answer of [got, again]) expect({ status: answer.status, body: (await answer.json()) as unknown, errorType: answer.headers.get('x-amzn-errortype') }).toEqual(want);
    expect(next.status).toBe(200);
    expect(logs.slice(from).filter((line) => line.includes(`${fn}: Runtime.ExitError: RequestId: `) && line.includes(`Error: ${why}`)).length).toBeGreaterThanOrEqual(2);
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
    expect(emulator.template.warnings).toContainEqual(expect.stringMatching(/^Resources\.NotBuilt\.Properties\.CodeUri: dist\/not-built does not exist \(build it first\); each invocation fails, as on Lambda \(502 on a REST API/));
    expect(emulator.template.warnings).toContainEqual(expect.stringMatching(/^Resources\.NoDot\.Properties\.Handler: expected .*Runtime\.MalformedHandlerName\); each invocation fails, as on Lambda/));
    expect(emulator.functionNotes).toContainEqual(expect.stringMatching(/^NotBuilt: did not build, its requests fail \(502 on a REST API and a function URL, 500 on an HTTP API\)/));
  });
});
