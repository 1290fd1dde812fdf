/**
 * A custom runtime's execution environment (provided.al2023, provided.al2, go1.x): its `bootstrap` runs as the
 * environment's process and fetches its invocations from the Lambda runtime API, served here on a loopback port of
 * its own (AWS_LAMBDA_RUNTIME_API), as Lambda serves it inside each environment. Seen from ExecutionEnvironment it is
 * a child process that speaks the same messages as the Node.js and Python runtime clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvokeMessage, LambdaError, WorkerInit, WorkerMessage } from './environment-messages.js';
import { MAX_RESPONSE_BYTES } from './types.js';
import { foreignBinary, NO_BOOTSTRAP } from './custom-runtime.js';
import { refusal } from '../services/guard.js';

export interface CustomRuntimeLaunch {
  /** The bootstrap executable: the code's own, else a layer's (/opt/bootstrap); '' when there is none. */
  bootstrap: string;
  /** The function's code folder (LAMBDA_TASK_ROOT), its working directory as /var/task is on Lambda. */
  cwd: string;
}

const API_VERSION = '/2018-06-01/runtime';

/** The runtime API's error document, as Lambda's runtime API writes it (a JSON encoder's line). */
function errorBody(errorType: string, errorMessage: string): string {
  return `${JSON.stringify({ errorMessage, errorType })}\n`;
}

/** The error an invocation or init ends with, from what the runtime posted (a JSON error document, or anything). */
function postedError(body: Buffer, typeHeader: string | undefined): LambdaError {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    doc = undefined;
  }
  const fields = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const errorType = typeof fields.errorType === 'string' ? fields.errorType : (typeHeader ?? 'Runtime.Unknown');
  const errorMessage = typeof fields.errorMessage === 'string' ? fields.errorMessage : '';
  const stackTrace = Array.isArray(fields.stackTrace) ? fields.stackTrace.map(String) : [];
  return { errorType, errorMessage, stackTrace };
}

/**
 * The bootstrap and the runtime API it talks to, as one environment process: `send` hands an invocation to the
 * runtime's pending `next`, its posts come back as `message` events, and `close` reports the bootstrap's exit.
 */
export class CustomRuntimeProcess extends EventEmitter {
  private child: ChildProcess | undefined;
  private readonly server: Server;
  private killed = false;
  private ready = false;
  /** The runtime's open `GET next`, answered with the next invocation. */
  private waiting: ServerResponse | undefined;
  private queued: InvokeMessage | undefined;
  /** The invocation handed to the runtime and not yet answered. */
  private current: InvokeMessage | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;

  constructor(
    launch: CustomRuntimeLaunch,
    env: Record<string, string>,
    private readonly context: WorkerInit['context'],
    stdout: 'inherit' | NodeJS.WriteStream | number,
    stderr: 'inherit' | number = 'inherit',
  ) {
    super();
    this.server = createServer((req, res) => this.route(req, res));
    // Only the environment's own process talks to it: loopback, and an address no other environment has.
    this.server.listen(0, '127.0.0.1', () => {
      if (this.killed) return this.finish(null, 'SIGKILL');
      if (!launch.bootstrap) {
        this.emitMessage({ type: 'init-error', error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: NO_BOOTSTRAP, stackTrace: [] } });
        return this.finish(1, null);
      }
      if (foreignBinary(launch.bootstrap)) {
        this.emitMessage({ type: 'init-error', error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `fork/exec ${launch.bootstrap}: exec format error`, stackTrace: [] } });
        return this.finish(1, null);
      }
      const { port } = this.server.address() as AddressInfo;
      const child = spawn(launch.bootstrap, [], {
        env: { ...env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}` },
        cwd: launch.cwd,
        stdio: ['ignore', stdout, stderr],
      });
      this.child = child;
      child.on('error', (error: NodeJS.ErrnoException) => {
        // Lambda cannot start the bootstrap (not executable, no interpreter for its #! line): the init fails.
        const reason = error.code === 'EACCES' ? 'permission denied' : error.code === 'ENOENT' ? 'no such file or directory' : error.message;
        this.emitMessage({ type: 'init-error', error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `fork/exec ${launch.bootstrap}: ${reason}`, stackTrace: [] } });
        this.finish(1, null);
      });
      child.once('close', (code, signal) => this.finish(code, signal));
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether invocations can still be handed over (the ChildProcess `connected` of an IPC environment). */
  get connected(): boolean {
    return !this.killed && this.exitCode === null && this.signalCode === null;
  }

  send(message: InvokeMessage): void {
    this.queued = message;
    this.handOver();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.killed = true;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private emitMessage(message: WorkerMessage): void {
    this.emit('message', message);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.waiting?.destroy();
    this.server.close();
    this.server.closeAllConnections();
    this.emit('close', code, signal);
  }

  private handOver(): void {
    const res = this.waiting;
    const msg = this.queued;
    if (!res || !msg) return;
    this.waiting = undefined;
    this.queued = undefined;
    this.current = msg;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': msg.requestId,
      'Lambda-Runtime-Deadline-Ms': String(msg.deadline),
      'Lambda-Runtime-Invoked-Function-Arn': msg.qualified?.invokedFunctionArn ?? this.context.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': msg.traceId,
      ...(msg.tenantId === undefined ? {} : { 'Lambda-Runtime-Aws-Tenant-Id': msg.tenantId }),
      ...(msg.clientContext === undefined ? {} : { 'Lambda-Runtime-Client-Context': msg.clientContext }),
    });
    res.end(msg.eventJson);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    // Closed to web pages as the embedded services are: a page must not take or answer an invocation.
    const refused = refusal(req, Buffer.alloc(0), {});
    if (refused) {
      req.resume();
      res.writeHead(refused.status, { 'Content-Type': 'application/json' }).end(errorBody(refused.type, refused.message));
      return;
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path === `${API_VERSION}/invocation/next`) return this.next(res);
    if (req.method === 'POST' && path === `${API_VERSION}/init/error`) return this.initError(req, res);
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === 'POST' && match) return this.answer(decodeURIComponent(match[1]!), match[2] as 'response' | 'error', req, res);
    req.resume();
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
  }

  /** The first `next` ends the init phase, as on Lambda; each one waits for an invocation, without a time limit. */
  private next(res: ServerResponse): void {
    if (!this.ready) {
      this.ready = true;
      this.emitMessage({ type: 'ready' });
    }
    this.waiting?.destroy();
    this.waiting = res;
    res.once('close', () => {
      if (this.waiting === res) this.waiting = undefined;
    });
    this.handOver();
  }

  private initError(req: IncomingMessage, res: ServerResponse): void {
    void readBody(req, MAX_RESPONSE_BYTES).then((body) => {
      accepted(res);
      if (this.ready || body === undefined) return;
      this.ready = true;
      this.emitMessage({ type: 'init-error', error: postedError(body, header(req, 'lambda-runtime-function-error-type')) });
    });
  }

  private answer(requestId: string, kind: 'response' | 'error', req: IncomingMessage, res: ServerResponse): void {
    const current = this.current;
    if (!current || current.requestId !== requestId) {
      req.resume();
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(errorBody('InvalidRequestID', 'Invalid request ID'));
      return;
    }
    const mode = kind === 'response' ? header(req, 'lambda-runtime-function-response-mode') : undefined;
    if (mode !== undefined && mode !== 'streaming') {
      req.resume();
      this.current = undefined;
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(errorBody('InvalidFunctionResponseMode', 'Invalid function response mode'));
      const errorMessage = `Invalid Lambda-Runtime-Function-Response-Mode: ${mode}`;
      return this.emitMessage({ type: 'error', id: current.id, error: { errorType: 'Runtime.InvalidResponseModeHeader', errorMessage, stackTrace: [] } });
    }
    if (mode === 'streaming' && current.stream) return this.stream(current, req, res);
    void readBody(req, MAX_RESPONSE_BYTES).then((body) => {
      if (this.current !== current) return;
      this.current = undefined;
      if (body === undefined) {
        res.writeHead(413, { 'Content-Type': 'application/json' }).end(errorBody('RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`));
        const errorMessage = `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
        return this.emitMessage({ type: 'error', id: current.id, error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage, stackTrace: [] } });
      }
      accepted(res);
      if (kind === 'error') return this.emitMessage({ type: 'error', id: current.id, error: postedError(body, header(req, 'lambda-runtime-function-error-type')) });
      // A custom runtime's response is bytes, not necessarily JSON: Invoke hands them on as they are.
      if (!current.stream) return this.emitMessage({ type: 'result', id: current.id, payload: body.toString('utf8'), raw: true });
      this.emitMessage({ type: 'chunk', id: current.id, data: new Uint8Array(body) });
      this.emitMessage({ type: 'end', id: current.id });
    });
  }

  /**
   * InvokeWithResponseStream from a runtime that streams: each piece goes on as it arrives. An error the runtime
   * names in trailers midway (Lambda-Runtime-Function-Error-Type/-Body) still ends a successful response, as Lambda
   * treats it: the caller has the bytes sent so far.
   */
  private stream(current: InvokeMessage, req: IncomingMessage, res: ServerResponse): void {
    req.on('data', (chunk: Buffer) => this.emitMessage({ type: 'chunk', id: current.id, data: new Uint8Array(chunk) }));
    req.on('end', () => {
      this.current = undefined;
      accepted(res);
      this.emitMessage({ type: 'end', id: current.id });
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function accepted(res: ServerResponse): void {
  res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}\n');
}

/**
 * The request's body, undefined once it passes `limit` bytes (the rest is read and dropped); never settles when the
 * runtime's connection breaks first, as when its process dies mid-post: the exit then fails the invocation.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', () => {});
  });
}
