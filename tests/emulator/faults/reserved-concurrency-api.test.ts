/**
 * A request to a function whose ReservedConcurrentExecutions are all in use, over the wire: Lambda throttles it
 * (TooManyRequestsException) and API Gateway answers its own 500, not the 502 of a failing function (R1.55; an HTTP
 * API's 500, H6.7), at once rather than queueing it; the invocation in flight completes, and the next request is
 * served. The function waits on a gate this test opens, so "in flight" is a fact of the test, not of timing.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { tempLocalState } from '../identity/support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'reserved-api-'));
const local = tempLocalState();
const waiting: ServerResponse[] = [];
let arrived: () => void = () => undefined;
const gate = createServer((_req, res) => {
  waiting.push(res);
  arrived();
});
let emulator: RunningEmulator;

beforeAll(async () => {
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'src', 'gated.mjs'),
    "export const handler = async (event) => {\n  if (event.queryStringParameters?.wait) await fetch(process.env.GATE);\n  return { statusCode: 200, body: 'done' };\n};\n",
  );
  const events = "{ R: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: '/single', Method: get } }, H: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: '/single', Method: get } } }";
  writeFileSync(
    join(dir, 'template.yaml'),
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Rest: { Type: AWS::Serverless::Api, Properties: { StageName: test } }',
      '  Http: { Type: AWS::Serverless::HttpApi }',
      '  Single:',
      '    Type: AWS::Serverless::Function',
      `    Properties: { CodeUri: src/, Handler: gated.handler, Runtime: nodejs20.x, Timeout: 30, ReservedConcurrentExecutions: 1, Environment: { Variables: { GATE: 'http://127.0.0.1:${(gate.address() as AddressInfo).port}/' } }, Events: ${events} }`,
      '',
    ].join('\n'),
  );
  emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: local.state.dir, maxConcurrency: 2, log: () => undefined });
});
afterAll(async () => {
  for (const res of waiting) res.end();
  await emulator?.close();
  await new Promise((resolve) => gate.close(resolve));
  local.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once an invocation has reached the gate (it is running, not queued). */
const atGate = () => new Promise<void>((resolve) => (arrived = resolve));
const open = () => {
  for (const res of waiting.splice(0)) res.end('go');
};

describe.each([
  { kind: 'rest' as const, want: { status: 500, body: { message: 'Internal server error' }, errorType: 'InternalServerErrorException' } },
  { kind: 'http' as const, want: { status: 500, body: { message: 'Internal Server Error' }, errorType: null } },
])('$kind API: ReservedConcurrentExecutions 1', ({ kind, want }) => {
  it('R1.55 / H6.7 a second request while the first runs is throttled at once (500); the first completes, the next is served', async () => {
    const url = `${emulator.apis.find((a) => a.kind === kind)!.url}/single`;
    const reached = atGate();
    const first = fetch(`${url}?wait=1`);
    await reached;

    const throttled = await fetch(url);
    open();
    const firstDone = await first;
    const next = await fetch(url);

    expect({ status: throttled.status, body: (await throttled.json()) as unknown, errorType: throttled.headers.get('x-amzn-errortype') }).toEqual(want);
    expect([firstDone.status, await firstDone.text()]).toEqual([200, 'done']);
    expect([next.status, await next.text()]).toEqual([200, 'done']);
  });
});
