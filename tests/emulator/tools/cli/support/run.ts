/** The CLI tests' harness: the built `sam-local-gateway` CLI run to completion, or serving until stopped. */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../../../../..');
/** The built CLI, as `npm start` and the package run it (tests/support/build-gateway.ts builds it first). */
const CLI = join(ROOT, 'emulator/dist/cli.js');
/** A SAM app of Node functions the invoke, start-lambda and log-file tests run. */
export const APP = 'tests/emulator/fixtures/invoke-app/template.yaml';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion (in the repository, or `cwd`); `input` goes to its stdin. */
export function cli(args: string[], input?: string, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/**
 * A serving command (start-api, start-lambda) started in `cwd`: resolves with the URL of its first ready line once it is
 * serving, with its stdout and stderr so far and a stop() that sends SIGTERM and resolves with its exit code.
 */
export function serving(args: string[], cwd = ROOT): Promise<{ url: string; stdout: () => string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /^ready: (\S+) \(/m.exec(out);
      if (ready) resolve({ url: ready[1]!, stdout: () => out, stderr: () => err, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((code) => reject(new Error(`exited ${code} before its ready line:\n${out}\n${err}`)));
  });
}
