/**
 * A gateway killed with SIGKILL (no chance to end anything): its Node.js and Python environments exit, idle or in the
 * middle of an invocation, and so do the processes their functions started, which the gateway would have ended with
 * them. Each is waited for by polling /proc (Linux) until its pid is gone (or a zombie), within a generous cap.
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

describe('a gateway killed with SIGKILL', () => {
  it('leaves no environment running, idle or mid-invocation, nor a process a function started', async () => {
    // Prepare: start-lambda, one idle environment and one mid-invocation of each runtime, each with a process started.
    dir = mkdtempSync(join(tmpdir(), 'cli-killed-'));
    const template = project(dir);
    const child = spawn(process.execPath, [CLI, 'start-lambda', '-t', template, '-p', '0', '--host', '127.0.0.1', '--local-dir', join(dir, 'local')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    gateway = child;
    let stdout = '';
    let stderr = '';
    const waiters = new Set<() => void>();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      for (const waiter of waiters) waiter();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    /** The first group of each match of `pattern` on stdout, once there are `count` of them. */
    const seen = (pattern: RegExp, count: number): Promise<string[]> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = [...stdout.matchAll(pattern)].map((m) => m[1]!);
          if (found.length >= count) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
        child.once('exit', () => reject(new Error(`the gateway exited:\n${stdout}\n${stderr}`)));
      });
    const url = (await seen(/^ready: (\S+) \(/gm, 1))[0]!;
    const invoke = (name: string, event: object): Promise<Response> => fetch(`${url}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: JSON.stringify(event) });
    for (const name of ['NodeIdle', 'PyIdle']) expect((await invoke(name, {})).status).toBe(200);
    // Not awaited: they answer only if the gateway lives.
    for (const name of ['NodeBusy', 'PyBusy']) void invoke(name, { block: true }).catch(() => undefined);
    const started = (await seen(/\bstarted (\{.*\})$/gm, 4)).map((line) => JSON.parse(line) as { environment: number; child: number });
    const pids = started.flatMap(({ environment, child: started }) => [environment, started]);
    leftovers.push(...pids);
    expect(pids.filter(gone)).toEqual([]);

    // Act
    child.kill('SIGKILL');

    // Assert
    expect(await untilGone(pids)).toEqual([]);
  });
});
