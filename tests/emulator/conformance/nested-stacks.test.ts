/**
 * Conformance: the APIs of nested stacks are served beside the root's, as `sam local start-api` serves them, each
 * stack with its own functions (the same logical id in two stacks is two functions), and the startup report accounts
 * for every stack's resources.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError, type RunningEmulator } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';

const TEMPLATE = resolve('tests/emulator/fixtures/nested-app/template.yaml');
const localDir = mkdtempSync(join(tmpdir(), 'nested-app-'));
let emulator: RunningEmulator;
const urlOf = (logicalId: string): string => {
  const api = emulator.apis.find((a) => a.logicalId === logicalId);
  if (!api) throw new Error(`no API ${logicalId} among ${emulator.apis.map((a) => a.logicalId).join(', ')}`);
  return api.url;
};

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, maxConcurrency: 1, log: () => {}, onRequest: () => {} });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

describe('nested stacks served beside the root', () => {
  it('serves every stack\'s API on a port of its own, named by its path from the root', () => {
    expect(emulator.apis.map((a) => [a.logicalId, a.kind])).toEqual([
      ['ServerlessRestApi', 'rest'],
      ['ChildApp/ServerlessRestApi', 'rest'],
      ['ChildStack/ServerlessHttpApi', 'http'],
    ]);
    expect(new Set(emulator.apis.map((a) => a.port)).size).toBe(3);
  });

  it('each stack\'s HelloFunction is its own: the root\'s and the child\'s answer as written', async () => {
    const [root, nested] = await Promise.all([fetch(`${urlOf('ServerlessRestApi')}/hello`), fetch(`${urlOf('ChildApp/ServerlessRestApi')}/hello`)]);

    expect(await root.json()).toMatchObject({ from: 'root', childFunction: 'HelloFunction' });
    expect(await nested.json()).toEqual({ from: 'child', greeting: 'hello from the child', table: 'local-RootTable', unused: 'the default' });
  });

  it('H3.1 a nested CloudFormation stack\'s HTTP API answers at its $default stage', async () => {
    const res = await fetch(`${urlOf('ChildStack/ServerlessHttpApi')}/ping`);

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('pong from the nested stack');
  });

  it('the startup report lists each nested stack with its resources, and the application it could not load', () => {
    const report = formatStartupReport(emulator, 1);

    expect(report).toContain('API ChildApp/ServerlessRestApi (stage Prod)');
    expect(report).toContain('HTTP API ChildStack/ServerlessHttpApi (stage $default)');
    expect(report).toMatch(/Nested stack ChildApp \(.*child\/template\.yaml\): its APIs are listed above as ChildApp\/<Api>\n {2}Resources \(2\):\n {4}EMULATED {5}AWS::Serverless::Function: HelloFunction\n {4}EMULATED {5}AWS::Serverless::SimpleTable: ChildTable/);
    expect(report).toMatch(/NOT-EMULATED AWS::Serverless::Application: FromRepository - nested stack not loaded: an application of the Serverless Application Repository/);
  });
});

describe('--strict with nested stacks', () => {
  it('refuses a nested stack it could not load, naming it', async () => {
    const started = startEmulator({ templatePath: TEMPLATE, port: 0, localDir, strict: true, log: () => {} });

    await expect(started).rejects.toBeInstanceOf(StrictModeError);
    await expect(started).rejects.toThrow(/FromRepository/);
  });
});
