/** Run the emulator's CLI as a child process, as a user would, and watch it start and stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI prints one of these per API once it serves requests. */
const READY_LINE = /^ready: (\S+) \((\S+), started in (\d+) ms\)$/m;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EmulatorProcess {
  child: ChildProcess;
  /** Base URL of the first API, e.g. http://127.0.0.1:4123/v1 */
  url: string;
  /** Its port: start with `--port 0` and read it here (a port picked beforehand may be taken meanwhile). */
  port: number;
  apiLogicalId: string;
  /** Spawn to `ready:` line, as seen from outside. */
  readyAfterMs: number;
  /** What the CLI itself reports ("started in N ms"). */
  startedInMs: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /**
   * Send the signal (to the whole group unless `target` is 'launcher') and wait until the launched process and,
   * under npm, every process of its group are gone; SIGKILL the group and reject when that takes longer than timeoutMs.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number, target?: SignalTarget): Promise<Exit>;
}

export type Launcher = 'node' | 'npm';

/** A port nobody listens on right now, below the ephemeral range when the kernel says where that is. */
export async function freePort(): Promise<number> {
  // Below the kernel's ephemeral range: the emulator's own services listen on port 0 (the OS picks from that range), so
  // a port taken from it could be handed to one of them before the emulator's API listens on it (EADDRINUSE).
  const ephemeralFloor = Number(/^(\d+)/.exec(readFileSafe('/proc/sys/net/ipv4/ip_local_port_range'))?.[1] ?? 0);
  for (let attempt = 0; ephemeralFloor > 12_000 && attempt < 50; attempt++) {
    const port = ephemeralFloor - 10_000 + Math.floor(Math.random() * 9_000);
    if (await bindable(port)) return port;
  }
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Whether 127.0.0.1:port can be listened on now (it is closed again before this resolves). */
function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The built CLI (vitest's global setup builds it), run with no TypeScript loader. */
export const CLI = 'emulator/dist/cli.js';

/** An installed CLI to run instead of this repository's (an executable and its working directory). */
export interface Installed {
  bin: string;
  cwd: string;
}

/** `node emulator/dist/cli.js ...` (one process), `npm run <script> -- ...` (`npm start` by default) in its own process group, or an installed bin. */
function launch(launcher: Launcher, args: string[], how: { script?: string; installed?: Installed } = {}): ChildProcess {
  const env = { ...process.env, npm_config_update_notifier: 'false', FORCE_COLOR: '0' };
  if (how.installed) return spawn(how.installed.bin, args, { cwd: how.installed.cwd, env });
  if (launcher === 'npm') return spawn('npm', ['run', '--silent', how.script ?? 'start', '--', ...args], { cwd: REPO_ROOT, env, detached: true });
  return spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env });
}

/** Resolves once no process of the group is left (npm may exit before the CLI it started). */
async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Who gets the signal: the whole process group, as a terminal's Ctrl-C sends it, or only the launched process, as a supervisor does. */
export type SignalTarget = 'group' | 'launcher';

function signalOf(child: ChildProcess, launcher: Launcher): (signal: NodeJS.Signals, target?: SignalTarget) => void {
  // npm runs the CLI in a child shell: by default signal the whole group.
  return (signal, target = 'group') => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    if (launcher === 'npm' && target === 'group') process.kill(-child.pid, signal);
    else child.kill(signal);
  };
}

/** Start the CLI and resolve once it prints its `ready:` line; reject with its stderr if it exits or times out first. */
export function startEmulatorProcess(args: string[], options: { launcher?: Launcher; script?: string; timeoutMs?: number; installed?: Installed } = {}): Promise<EmulatorProcess> {
  const launcher = options.launcher ?? 'node';
  const started = performance.now();
  const child = launch(launcher, args, options);
  const send = signalOf(child, launcher);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async (signal: NodeJS.Signals = 'SIGINT', timeoutMs = 10_000, target: SignalTarget = 'group'): Promise<Exit> => {
    send(signal, target);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        send('SIGKILL');
        reject(new Error(`emulator did not exit within ${timeoutMs} ms of ${signal}\nstderr:\n${err}`));
      }, timeoutMs);
    });
    try {
      const exit = await Promise.race([exited, late]);
      if (launcher === 'npm' && child.pid !== undefined && !(await groupGone(child.pid, timeoutMs))) {
        process.kill(-child.pid, 'SIGKILL');
        throw new Error(`npm exited but processes of its group were still running ${timeoutMs} ms after ${signal}`);
      }
      return exit;
    } finally {
      clearTimeout(timer);
    }
  };
  return new Promise<EmulatorProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      send('SIGKILL');
      reject(new Error(`no "ready:" line within ${options.timeoutMs ?? 60_000} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, options.timeoutMs ?? 60_000);
    child.stdout?.on('data', () => {
      const ready = READY_LINE.exec(out);
      if (!ready) return;
      clearTimeout(timer);
      resolve({
        child,
        url: ready[1]!,
        port: Number(new URL(ready[1]!).port),
        apiLogicalId: ready[2]!,
        readyAfterMs: performance.now() - started,
        startedInMs: Number(ready[3]),
        stdout: () => out,
        stderr: () => err,
        exited,
        stop,
      });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (code ${code}, signal ${signal}) before ready\nstderr:\n${err}`));
    });
  });
}

/** Run the CLI to completion (for configurations that must be refused); kills it after timeoutMs. */
export async function runEmulatorToExit(args: string[], timeoutMs = 60_000): Promise<Exit & { stdout: string; stderr: string }> {
  const child = launch('node', args);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  return { ...exit, stdout, stderr };
}
