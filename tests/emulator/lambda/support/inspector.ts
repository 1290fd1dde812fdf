/** A debugger's side of `--debug-port`: the inspector URLs environments print, and attaching as VS Code does. */
import { closeSync, existsSync, openSync, readFileSync, watch } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import WebSocket from 'ws';
import type { FunctionDebug } from '../../../../emulator/lambda/runtime-options.js';
import type { LocalLambdaService } from '../../../../emulator/lambda/runtime.js';
import { serviceForSuite } from './project.js';

/**
 * A port nothing listens on now (the kernel's pick, in the ephemeral range), for `--debug-port`, which takes a number:
 * a fixed one clashed with servers other suites or sessions had on it, and the suite timed out waiting for its debugger.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The nth inspector WebSocket URL (1-based) once an environment has written it to its stderr (the log file). */
export function inspectorUrl(logFile: string, nth = 1): Promise<string> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      // The suite's folder removed (a URL that never came): nothing more to wait for.
      if (!existsSync(logFile)) return true;
      const url = [...readFileSync(logFile, 'utf8').matchAll(/Debugger listening on (ws:\/\/\S+)/g)][nth - 1]?.[1];
      if (url) resolve(url);
      return url !== undefined;
    };
    if (check()) return;
    const watcher = watch(logFile, () => {
      if (check()) watcher.close();
    });
    // Written between the first read and the watch (a loaded machine widens that gap): no event would ever come.
    if (check()) watcher.close();
  });
}

/**
 * What a debugger does on attaching to a process started with --inspect-brk: enable a domain (VS Code enables
 * several), then let it run. Sent at once on opening, runIfWaitingForDebugger was sometimes lost and the process
 * stayed paused (plain `node --inspect-brk -e ...` under CPU load: 4 of 30 hung; with one answered command first,
 * 0 of 40), which timed the nested-stack debug tests out in CI.
 */
export async function attachAndRun(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  await new Promise<void>((resolve) => {
    const answered = (data: WebSocket.RawData): void => {
      if ((JSON.parse(String(data)) as { id?: number }).id !== 0) return;
      socket.off('message', answered);
      resolve();
    };
    socket.on('message', answered);
    socket.send(JSON.stringify({ id: 0, method: 'Runtime.enable' }));
  });
  socket.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }));
  return socket;
}

/**
 * The Lambda service of a test file with one function under the debugger: the functions' output (where each
 * environment prints its inspector URL) goes to `logFile`, which exists before the first environment starts.
 */
export function debuggedService(root: string, files: Record<string, string>, debug: FunctionDebug): { service: LocalLambdaService; logFile: string } {
  const logFile = join(root, 'functions.log');
  let logFd: number | undefined;
  const service = serviceForSuite(root, files, {
    debug,
    get functionStdout() {
      logFd ??= openSync(logFile, 'a');
      return { fd: logFd };
    },
  });
  afterAll(() => {
    if (logFd !== undefined) closeSync(logFd);
  });
  return { service, logFile };
}
