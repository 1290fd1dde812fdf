/**
 * ReservedConcurrentExecutions (emulator/lambda/runtime.ts): Lambda runs at most that many invocations of the function
 * at once and throttles the others at once (TooManyRequestsException), never queueing them; 0 throttles every one.
 * The functions wait on a gate this test opens, so "in flight" is a fact of the test, not of timing.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { serviceForProject } from './support/project.js';

describe('ReservedConcurrentExecutions', () => {
  let root: string;
  let gate: Server;
  let service: LocalLambdaService;
  const waiting: ServerResponse[] = [];
  let arrived: () => void = () => undefined;

  beforeAll(async () => {
    gate = createServer((_req, res) => {
      waiting.push(res);
      arrived();
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`;
    root = mkdtempSync(join(tmpdir(), 'reserved-'));
    service = await serviceForProject(root, {
      'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: src/
    Handler: gated.handler
    Timeout: 30
    Environment:
      Variables:
        GATE: ${gateUrl}
Resources:
  Single:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 1
  Closed:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 0
  Open:
    Type: AWS::Serverless::Function
`,
      'src/gated.mjs': `export const handler = async (event) => {
  if (event.wait) await fetch(process.env.GATE);
  return { done: event.n };
};
`,
    });
    await service.prepare();
  });

  afterAll(async () => {
    for (const res of waiting) res.end();
    await service?.close();
    await new Promise((resolve) => gate.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  /** Resolves once an invocation has reached the gate (it is running, not queued). */
  const atGate = () => new Promise<void>((resolve) => (arrived = resolve));
  const open = () => {
    for (const res of waiting.splice(0)) res.end('go');
  };

  it('0: every invocation is throttled before it runs (TooManyRequestsException)', async () => {
    // Act
    const outcome = await service.invoke('Closed', { n: 1 });

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', throttled: true, zeroReserved: true, errorType: 'TooManyRequestsException', errorMessage: expect.stringMatching(/^Rate Exceeded\./) });
    expect(service.environmentCount('Closed')).toBe(0);
  });

  it('1: a second invocation while the first runs is throttled at once; once the first is done, the next runs', async () => {
    // Prepare: the first invocation runs and waits at the gate.
    const reached = atGate();
    const first = service.invoke('Single', { n: 1, wait: true });
    await reached;

    // Act
    const second = await service.invoke('Single', { n: 2 });
    open();
    const firstDone = await first;
    const third = await service.invoke('Single', { n: 3 });

    // Assess
    expect(second).toMatchObject({ kind: 'function-error', throttled: true });
    expect(second).not.toHaveProperty('zeroReserved');
    expect(firstDone).toMatchObject({ kind: 'ok', payload: { done: 1 } });
    expect(third).toMatchObject({ kind: 'ok', payload: { done: 3 } });
  });

  it('none set: a second invocation while the first runs is not throttled', async () => {
    // Prepare
    const reached = atGate();
    const first = service.invoke('Open', { n: 1, wait: true });
    await reached;

    // Act: with one environment per function here (serviceForProject), the second waits for it rather than fail.
    const second = service.invoke('Open', { n: 2 });
    open();

    // Assess
    expect(await first).toMatchObject({ kind: 'ok', payload: { done: 1 } });
    expect(await second).toMatchObject({ kind: 'ok', payload: { done: 2 } });
  });
});
