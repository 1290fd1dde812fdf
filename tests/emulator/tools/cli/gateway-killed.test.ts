/**
 * A gateway killed with SIGKILL (no chance to end anything): its Node.js and Python environments exit, idle or in the
 * middle of an invocation, and so do the processes their functions started, which the gateway would have ended with
 * them; and one stopped by Ctrl-C ends them itself. Each is waited for by polling /proc (Linux) until its pid is gone
 * (or a zombie), within a generous cap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as yieldFor } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './support/run.js';

const CLI = join(ROOT, 'emulator/dist/cli.js');

// Each function starts a process that would run for long (a sleep), says its environment's pid and that process's on
// stdout, and, asked to, blocks: a Node.js one on a promise kept pending, a Python one in a sleep.
const NODE = `const { spawn } = require('node:child_process');
exports.handler = async (event) => {
  const child = spawn('sleep', ['3600'], { stdio: 'ignore' });
  console.log('started ' + JSON.stringify({ environment: process.pid, child: child.pid }));
  if (event.block) await new Promise((resolve) => setInterval(() => undefined, 60_000));
  return { environment: process.pid, child: child.pid };
};
`;
const PYTHON = `import os, subprocess, time
def handler(event, context):
    child = subprocess.Popen(["sleep", "3600"])
    print("started {\\"environment\\": %d, \\"child\\": %d}" % (os.getpid(), child.pid), flush=True)
    if event.get("block"):
        time.sleep(3600)
    return {"environment": os.getpid(), "child": child.pid}
`;

function project(dir: string): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'node.js'), NODE);
  writeFileSync(join(dir, 'src', 'py.py'), PYTHON);
  writeFileSync(
    join(dir, 'template.yaml'),
    `Resources:
  NodeIdle: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: node.handler, CodeUri: src/ } }
  NodeBusy: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: node.handler, CodeUri: src/, Timeout: 900 } }
  PyIdle: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.11, Handler: py.handler, CodeUri: src/ } }
  PyBusy: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.11, Handler: py.handler, CodeUri: src/, Timeout: 900 } }
`,
  );
  return join(dir, 'template.yaml');
}

/** Whether a pid is gone: no /proc entry, or a zombie nobody has reaped yet (it runs nothing). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
  } catch {
    return true;
  }
}

/** Waits until every pid is gone, looking again after a short yield, for 20 s at the most; resolves with those left. */
async function untilGone(pids: number[]): Promise<number[]> {
  const cap = Date.now() + 20_000;
  let left = pids.filter((pid) => !gone(pid));
  while (left.length > 0 && Date.now() < cap) {
    await yieldFor(25);
    left = left.filter((pid) => !gone(pid));
  }
  return left;
}

const leftovers: number[] = [];
let gateway: ChildProcess | undefined;
let dir: string;

afterEach(() => {
  gateway?.kill('SIGKILL');
  // What a failing run left is not left to the next test.
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/**
 * start-lambda on the project, with one idle environment and one mid-invocation of each runtime, each with a process
 * its function started; `group`: in a process group of its own, as a terminal's foreground job is.
 */
async function gatewayWithEnvironments(group: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'cli-killed-'));
  const template = project(dir);
  const child = spawn(process.execPath, [CLI, 'start-lambda', '-t', template, '-p', '0', '--host', '127.0.0.1', '--local-dir', join(dir, 'local')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  gateway = child;
  const output = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  });
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** The first group of each match of `pattern` on stdout, once there are `count` of them. */
  const seen = (pattern: RegExp, count: number): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = [...output.stdout.matchAll(pattern)].map((m) => m[1]!);
        if (found.length >= count) {
          waiters.delete(check);
          resolve(found);
        }
      };
      waiters.add(check);
      check();
      void exited.then(() => reject(new Error(`the gateway exited:\n${output.stdout}\n${output.stderr}`)));
    });
  const url = (await seen(/^ready: (\S+) \(/gm, 1))[0]!;
  const invoke = (name: string, event: object): Promise<Response> => fetch(`${url}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: JSON.stringify(event) });
  for (const name of ['NodeIdle', 'PyIdle']) expect((await invoke(name, {})).status).toBe(200);
  // Not awaited: they answer only if the gateway lives.
  const busy = ['NodeBusy', 'PyBusy'].map((name) => invoke(name, { block: true }).then((r) => r.status, () => 'no answer' as const));
  const started = (await seen(/\bstarted (\{.*\})$/gm, 4)).map((line) => JSON.parse(line) as { environment: number; child: number });
  const pids = started.flatMap(({ environment, child: started }) => [environment, started]);
  leftovers.push(...pids);
  expect(pids.filter(gone)).toEqual([]);
  return { child, output, exited, pids, busy };
}

describe('a gateway killed with SIGKILL', () => {
  it('leaves no environment running, idle or mid-invocation, nor a process a function started', async () => {
    // Prepare
    const { child, pids } = await gatewayWithEnvironments(false);

    // Act
    child.kill('SIGKILL');

    // Assert
    expect(await untilGone(pids)).toEqual([]);
  });
});

describe('Ctrl-C: SIGINT to the whole process group, the environments included', () => {
  // A guard for the environments' SIGINT listener: one that ignores the signal still ends with the gateway. (That a
  // Node.js environment no longer dies of it is shown in tests/emulator/lambda/environment-signals.test.ts: here the
  // gateway's own shutdown usually closes the connections before it sees an environment die.)
  it('the gateway shuts down and exits 0, and its environments, which ignore the signal, end with it; no invocation failed of the signal', async () => {
    // Prepare
    const { child, output, exited, pids, busy } = await gatewayWithEnvironments(true);

    // Act: as a terminal sends it, to the foreground group (the gateway leads it).
    process.kill(-child.pid!, 'SIGINT');

    // Assert: the invocations under way get no answer of a dead environment (the shutdown closes their connections).
    expect(await exited).toBe(0);
    expect(await untilGone(pids)).toEqual([]);
    expect(await Promise.all(busy)).toEqual(['no answer', 'no answer']);
    expect(`${output.stdout}${output.stderr}`).not.toMatch(/signal: interrupt|KeyboardInterrupt/);
  });
});
