/**
 * A Node.js execution environment and the SIGINT a terminal's Ctrl-C sends its whole foreground process group: the
 * environment does not die of it (the gateway ends its environments itself as it shuts down; sam local's containers
 * are not in the terminal's group), and a function's own SIGINT listeners still run. Python's: python-runtime.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { payload } from './support/outcome.js';

const project = mkdtempSync(join(tmpdir(), 'environment-signals-'));

// Plain: no listener of its own. Own: counts the SIGINTs it gets; `wait` answers once it has had more than `since`.
const PLAIN = 'exports.handler = async () => ({ pid: process.pid });\n';
const OWN = `let sigints = 0;
let waiting = [];
process.on('SIGINT', () => {
  sigints += 1;
  for (const resolve of waiting) resolve();
  waiting = [];
});
exports.handler = async (event) => {
  if (event.since !== undefined && sigints <= event.since) {
    // A pending listener keeps no event loop alive: this timer does, until the signal comes (it is never what fires).
    const alive = setInterval(() => undefined, 60_000);
    await new Promise((resolve) => waiting.push(resolve));
    clearInterval(alive);
  }
  return { pid: process.pid, sigints };
};
`;

describe('a Node.js environment and SIGINT', () => {
  let service: LocalLambdaService;
  beforeAll(async () => {
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src', 'plain.js'), PLAIN);
    writeFileSync(join(project, 'src', 'own.js'), OWN);
    writeFileSync(
      join(project, 'template.yaml'),
      'Resources:\n  Plain:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: plain.handler, CodeUri: src/}\n  Own:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: own.handler, CodeUri: src/}\n',
    );
    service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { buildDir: join(project, '.emulator') });
  });
  afterAll(async () => {
    await service.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('does not die of the SIGINT Ctrl-C sends the whole process group: the same environment answers next, warm', async () => {
    // Prepare
    const { pid } = payload(await service.invoke('Plain', {})) as { pid: number };

    // Act: as the terminal sends it (the signal is pending before the next invocation is handed over).
    process.kill(pid, 'SIGINT');
    const after = await service.invoke('Plain', {});

    // Assert
    expect(after).toMatchObject({ kind: 'ok', cold: false, payload: { pid } });
  });

  it('a function\'s own SIGINT listener still runs, and its environment stays', async () => {
    // Prepare
    const { pid } = payload(await service.invoke('Own', {})) as { pid: number };

    // Act: the invocation answers once the function's listener has counted the signal.
    process.kill(pid, 'SIGINT');
    const after = await service.invoke('Own', { since: 0 });

    // Assert
    expect(after).toMatchObject({ kind: 'ok', cold: false, payload: { pid, sigints: 1 } });
  });
});
