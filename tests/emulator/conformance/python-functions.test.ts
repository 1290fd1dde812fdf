/**
 * Conformance: Python functions behind the gateway, as `sam local start-api` serves them with no Docker: a Lambda
 * proxy route (the proxy event, R1.12/R1.17/R1.19, and response), a function error (R1.50, 502), boto3 reaching the local DynamoDB
 * through AWS_ENDPOINT_URL_DYNAMODB, and the startup report's line on the interpreter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';

const TEMPLATE = resolve('tests/emulator/fixtures/python-app/template.yaml');
const localDir = mkdtempSync(join(tmpdir(), 'python-app-'));
let emulator: RunningEmulator;
let url: string;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, maxConcurrency: 1, log: () => {}, onRequest: () => {} });
  url = emulator.apis[0]!.url;
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

describe('Python functions behind the gateway', () => {
  it('serves the hello world of `sam init --runtime python3.12`', async () => {
    const res = await fetch(`${url}/hello`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'hello world' });
  });

  it('R1.12 R1.17 R1.19 hands a Python handler the proxy event: method, path parameters, body', async () => {
    const res = await fetch(`${url}/items/abc`, { method: 'PUT', body: 'the body' });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ method: 'PUT', id: 'abc', body: 'the body' });
  });

  it('R1.50 an exception in a Python handler is a 502 "Internal server error"', async () => {
    const res = await fetch(`${url}/items/abc?action=raise`);

    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });

  it('boto3 reaches the local DynamoDB (AWS_ENDPOINT_URL_DYNAMODB, the local credentials): the item is written and read back', async () => {
    const res = await fetch(`${url}/stored/py-1?action=dynamodb`, { method: 'POST' });

    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 'py-1', price: 3.5 });
  });

  it('the startup report names the Python that runs each runtime', () => {
    const report = formatStartupReport(emulator, 1);

    expect(report).toMatch(/Functions:\n(?: {2}.*\n)*? {2}python3\.11: runs on the local Python 3\.\d+\.\d+ \(python3(?:\.11)?, with its installed packages\)/);
    expect(report).toMatch(/ {2}python3\.12: runs on the local Python 3\.\d+\.\d+/);
  });
});
