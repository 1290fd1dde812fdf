/**
 * The embedded SQS endpoint: both protocols (protocol.ts) on one loopback port, only for requests signed with the
 * local credentials (guard.ts), with ReceiveMessage's long polling. Functions reach it through AWS_ENDPOINT_URL_SQS,
 * API Gateway's SQS integrations through the same URL, and the event source mappings (event-source.ts) poll it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listenDual } from '../h2c.js';
import { guardedHandler, type ReadFailure } from '../request-body.js';
import { queryRefusal, type QueryRefusal, type Refusal } from '../guard.js';
import type { LocalCredentials } from '../sigv4.js';
import { runAction } from './actions.js';
import { invalidValue, SqsError } from './errors.js';
import { protocolOf, readCall, writeError, writeResult, type Protocol, type SqsCall, type WireAnswer } from './protocol.js';
import { SqsStore, type QueueDefinition, type SqsClock } from './store.js';

export interface SqsServerOptions {
  credentials: LocalCredentials;
  region: string;
  accountId: string;
  /** The template's queues, created at start (dead-letter queues are created before the queues that name them). */
  queues?: QueueDefinition[];
  port?: number;
  /** Epoch time and timers; the system clock by default. */
  clock?: SqsClock & { after(ms: number, fn: () => void): () => void };
}

export interface SqsServer {
  /** e.g. http://127.0.0.1:41236, the value for AWS_ENDPOINT_URL_SQS */
  url: string;
  store: SqsStore;
  /** The template's queues SQS would refuse, each with why. */
  refused: string[];
  close(): Promise<void>;
}

const systemTimers = {
  now: () => Date.now(),
  after: (ms: number, fn: () => void) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Start the endpoint on 127.0.0.1 (free port unless given). */
export async function startSqs(options: SqsServerOptions): Promise<SqsServer> {
  const clock = options.clock ?? systemTimers;
  const polls = new Set<() => void>();
  // Made once listening (its queue URLs name the port), before any request can arrive.
  const made: { store?: SqsStore } = {};
  const handler = guardedHandler('SQS', (req, res, body) => void answer(req, res, body, made.store as SqsStore, clock, polls), {
    guard: { credentials: options.credentials },
    // A batch of ten 1 MiB messages, form-encoded, stays under this.
    maxBodyBytes: 8 * 1024 * 1024,
    contentType: 'application/x-amz-json-1.0',
    answerRefusal: refusalAnswer,
  });
  const server = await listenDual(handler, options.port);
  const url = `http://127.0.0.1:${server.port}`;
  const store = new SqsStore(options.region, options.accountId, clock, options.credentials.accessKeyId, url);
  made.store = store;
  // A queue SQS would refuse (a bad name or attribute) is not created; the others are, and the refusal is reported.
  const refused: string[] = [];
  for (const definition of options.queues ?? []) {
    try {
      store.createQueue(definition);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      refused.push(`SQS queue ${definition.name}: not created: ${error.code}: ${error.message}`);
    }
  }
  return {
    url,
    store,
    refused,
    close: () => {
      // Long polls end at once, with no messages, as a queue's own would when its endpoint goes away.
      for (const end of [...polls]) end();
      return server.close();
    },
  };
}

/**
 * A refused request in its own protocol: AWS JSON for a JSON-protocol call (X-Amz-Target), else the query protocol's
 * `<ErrorResponse>` (or its JSON form when accepted) with the query protocol's code, as older SDKs and API Gateway's
 * integrations parse it.
 */
function refusalAnswer(req: IncomingMessage, res: ServerResponse, refused: Refusal | ReadFailure): void {
  const protocol = protocolOf(req.headers);
  const out = protocol === 'json'
    ? { status: refused.status, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': refused.type, 'x-amzn-requestid': randomUUID() }, body: JSON.stringify({ __type: refused.type, message: refused.message }) }
    : writeError(protocol, queryError(queryRefusal(refused)), randomUUID());
  res.writeHead(out.status, out.headers);
  res.end(out.body);
}

const queryError = ({ code, message, status }: QueryRefusal): SqsError => new SqsError(code, message, status);

async function answer(req: IncomingMessage, res: ServerResponse, body: string, store: SqsStore, clock: Required<SqsServerOptions>['clock'], polls: Set<() => void>): Promise<void> {
  const requestId = randomUUID();
  let call: SqsCall | undefined;
  const protocol: Protocol = protocolOf(req.headers);
  let out: WireAnswer;
  try {
    call = readCall(req.headers, req.url ?? '/', body);
    const result = call.action === 'ReceiveMessage' ? await longPoll(store, call.input, clock, polls, res) : runAction(store, call.action, call.input);
    out = writeResult(call, result, requestId);
  } catch (error) {
    // Never a dropped connection: an unexpected failure is SQS's InternalError (500), and the log says what it was.
    if (!(error instanceof SqsError)) console.error(`emulator: SQS could not handle ${req.method} ${req.url}:`, error);
    out = writeError(call?.protocol ?? protocol, error instanceof SqsError ? error : new SqsError('InternalError', 'We encountered an internal error. Please try again.', 500), requestId);
  }
  if (res.destroyed) return;
  res.writeHead(out.status, { ...out.headers, 'content-length': String(Buffer.byteLength(out.body)) });
  res.end(out.body);
}

/** ReceiveMessage with WaitTimeSeconds (or the queue's ReceiveMessageWaitTimeSeconds): answers once a message is there or the wait ends. */
function longPoll(store: SqsStore, input: Record<string, unknown>, clock: Required<SqsServerOptions>['clock'], polls: Set<() => void>, res: ServerResponse): Promise<Record<string, unknown>> {
  const queue = store.find(input.QueueUrl);
  const given = input.WaitTimeSeconds;
  const wait = given === undefined || given === '' ? Number(queue.attributes.ReceiveMessageWaitTimeSeconds) : Number(given);
  if (!Number.isInteger(wait) || wait < 0 || wait > 20) throw invalidValue('WaitTimeSeconds', given, 'Must be >= 0 and <= 20, if provided.');
  const first = runAction(store, 'ReceiveMessage', input);
  if (first.Messages || wait === 0) return Promise.resolve(first);
  const deadline = clock.now() + wait * 1000;
  return new Promise((resolve, reject) => {
    let cancelTimer: () => void = () => undefined;
    const finish = (result: Record<string, unknown>) => {
      cancelTimer();
      unsubscribe();
      polls.delete(end);
      res.off('close', end);
      resolve(result);
    };
    const end = () => finish({});
    const check = () => {
      try {
        const now = clock.now();
        const result = runAction(store, 'ReceiveMessage', input);
        if (result.Messages || now >= deadline) return finish(result);
        cancelTimer();
        // Wake for the wait's end or when a delayed or in-flight message becomes visible, whichever is first.
        const next = Math.min(deadline, store.nextVisible(queue) ?? deadline);
        cancelTimer = clock.after(Math.max(0, next - now), check);
      } catch (error) {
        cancelTimer();
        unsubscribe();
        polls.delete(end);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const unsubscribe = store.onChange(check);
    polls.add(end);
    // A client that goes away stops waiting: nothing is received for it (a message taken then would be lost to its visibility timeout).
    res.once('close', end);
    check();
  });
}
