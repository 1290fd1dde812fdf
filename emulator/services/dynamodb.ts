/** Embedded DynamoDB (dynalite) on loopback, with the template's tables created as CloudFormation would. */
import { createRequire } from 'node:module';
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { TableSpec } from '../template/model.js';
import { ACCOUNT_ID, DEFAULT_REGION } from '../template/account.js';
import { guardedHandler, jsonObjectBody, sendAwsJson } from './request-body.js';
import { signRequest, type LocalCredentials } from './sigv4.js';
import { StreamCapture, type StreamRecord, type StreamTable } from './dynamodb-streams/capture.js';
import { TableLocks } from './dynamodb-table-locks.js';
import { DynamoDbTransactions } from './dynamodb-transactions.js';
import { DynamoDbPartiql } from './dynamodb-partiql.js';
import { executeTransaction } from './dynamodb-partiql-transaction.js';
import { withTableNames } from './dynamodb-table-arn.js';
import { expressionProblem } from './dynamodb-expression-limits.js';

const require = createRequire(import.meta.url);

type DynaliteFactory = (options: Record<string, unknown>) => Server;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface DynamoDbServer extends DynamoDbTarget {
  /** From now on, writes to these tables make stream records, handed to `emit`. */
  captureStreams(tables: StreamTable[], emit: (records: StreamRecord[]) => void): void;
  close(): Promise<void>;
}

/** The single-item and batch writes, which go through the front's table locks (transactions are served by the front). */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const TRANSACTIONS = new Set(['DynamoDB_20120810.TransactWriteItems', 'DynamoDB_20120810.TransactGetItems']);
const PARTIQL_SERVED = new Set(['DynamoDB_20120810.ExecuteStatement', 'DynamoDB_20120810.BatchExecuteStatement', 'DynamoDB_20120810.ExecuteTransaction']);
/** The operations served: dynalite's, and the front's transactions and PartiQL. Others get a message naming them (dynalite's has none). */
const SERVED = new Set(['BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable', 'TransactWriteItems', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

/** The answer to an operation DynamoDB has and the local one does not serve: UnknownOperationException, with what it was. */
function notServed(operation: string): { __type: string; message: string } {
  return { __type: 'com.amazon.coral.service#UnknownOperationException', message: `${operation} is not served by the local emulator's DynamoDB` };
}
const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** The action of a DynamoDB JSON request, its input and the tables it writes, when it is a write; undefined otherwise. */
function writeOf(req: IncomingMessage, text: string): { action: string; input: Record<string, unknown>; tables: string[] } | undefined {
  const action = /\.(\w+)$/.exec(String(req.headers['x-amz-target'] ?? ''))?.[1];
  if (!action || !WRITES.has(action)) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(text) as unknown;
  } catch {
    // dynalite answers the malformed body itself.
    return undefined;
  }
  if (typeof input !== 'object' || input === null) return undefined;
  const fields = input as Record<string, unknown>;
  const requests = fields.RequestItems;
  const tables = action === 'BatchWriteItem' ? (typeof requests === 'object' && requests !== null ? Object.keys(requests) : []) : [String(fields.TableName)];
  return { action, input: fields, tables };
}

/**
 * The request's body with its table ARNs as names (dynamodb-table-arn.ts), undefined when it names no table by ARN;
 * when the answer has maps keyed by table, `res` gives them back keyed as the request was, its CRC32 (which the SDKs
 * check) and length made again.
 */
function tableArnsAsNames(operation: string, text: string, res: ServerResponse): string | undefined {
  const body = jsonObjectBody(text);
  if ('problem' in body) return undefined;
  const renamed = withTableNames(operation, body.input);
  if (!renamed) return undefined;
  const { restore } = renamed;
  if (restore) {
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      if (typeof chunk !== 'string' || res.statusCode !== 200) return end(chunk);
      const answer = JSON.stringify(restore(JSON.parse(chunk) as Record<string, unknown>));
      res.setHeader('x-amz-crc32', crc32(answer));
      res.setHeader('Content-Length', Buffer.byteLength(answer));
      return end(answer);
    }) as typeof res.end;
  }
  return JSON.stringify(renamed.input);
}

/** DynamoDB accepts up to 16 MB per request (BatchWriteItem); dynalite's own cap. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * The request dynalite reads (headers, method, url, then data/end events), replayed from the body already read. What
 * dynalite throws while it reads it (a null attribute value: `Object.keys(null)` in its validation) is handed to
 * `failed`: thrown from a stream event, it would end the services' thread, DynamoDB and Secrets Manager with it.
 */
function replay(req: IncomingMessage, body: Buffer, failed: (error: unknown) => void): IncomingMessage {
  const stream = Readable.from(body.byteLength > 0 ? [body] : []);
  const guard = (listener: (...args: unknown[]) => void) => (...args: unknown[]) => {
    try {
      listener(...args);
    } catch (error) {
      failed(error);
    }
  };
  const on = stream.on.bind(stream);
  const once = stream.once.bind(stream);
  return Object.assign(stream, {
    headers: req.headers,
    method: req.method,
    url: req.url,
    on: (event: string, listener: (...args: unknown[]) => void) => on(event, guard(listener)),
    addListener: (event: string, listener: (...args: unknown[]) => void) => on(event, guard(listener)),
    once: (event: string, listener: (...args: unknown[]) => void) => once(event, guard(listener)),
  }) as unknown as IncomingMessage;
}

/** What DynamoDB answers for a request dynalite failed to read: the null attribute value's own message when it was one. */
function unreadable(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const nullValue = error instanceof TypeError && /validateAttributeValue|null/.test(String(error.stack));
  const message = nullValue ? 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes' : `The request could not be read: ${error instanceof Error ? error.message : String(error)}`;
  sendAwsJson(res, 400, { __type: 'com.amazon.coral.validate#ValidationException', message }, CONTENT_TYPE);
}

/**
 * dynalite names its tables' ARNs (TableArn, IndexArn) after AWS_ACCOUNT_ID and AWS_REGION as they are when it is
 * created: the stack's account and region, as GetAtt gives them, not whatever the user's shell holds.
 */
function withTableArnsOf<T>(accountId: string, region: string, create: () => T): T {
  const saved = { AWS_ACCOUNT_ID: process.env.AWS_ACCOUNT_ID, AWS_REGION: process.env.AWS_REGION };
  process.env.AWS_ACCOUNT_ID = accountId;
  process.env.AWS_REGION = region;
  try {
    return create();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Start dynalite on 127.0.0.1 (free port); in memory, or persisted under `dataDir` (LevelDB). Only requests
 * signed with `credentials` reach it: dynalite itself accepts any signature and answers CORS preflights.
 */
export async function startDynamoDb(options: { credentials: LocalCredentials; dataDir?: string; now?: () => number; accountId?: string; region?: string }): Promise<DynamoDbServer> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = withTableArnsOf(options.accountId ?? ACCOUNT_ID, options.region ?? DEFAULT_REGION, () =>
    dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.dataDir ? { path: options.dataDir } : {}),
    }),
  );
  // dynalite's close() also closes its store: keep its server, put the guard in front of its request listener.
  const serve = server.listeners('request')[0] as Listener;
  server.removeAllListeners('request');
  const guard = { credentials: options.credentials, typePrefix: 'com.amazon.coral.service#' };
  const now = options.now ?? Date.now;
  const locks = new TableLocks();
  let capture: StreamCapture | undefined;
  // dynalite's listener called in process, past the guard and the locks: the front's own reads and writes.
  const direct = (action: string, input: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> => {
    const text = JSON.stringify(input);
    const { url, headers } = signedCall(self, action, text);
    return new Promise((resolve, reject) => {
      const res = {
        statusCode: 200,
        setHeader: () => undefined,
        end: (body?: string) => {
          try {
            resolve({ status: res.statusCode, json: JSON.parse(body || '{}') as Record<string, unknown> });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      };
      serve(replay({ headers, method: 'POST', url: url.pathname } as unknown as IncomingMessage, Buffer.from(text), (error) => resolve({ status: 400, json: { __type: 'com.amazon.coral.validate#ValidationException', message: String(error) } })), res as unknown as ServerResponse);
    });
  };
  const transactions = new DynamoDbTransactions({ call: direct, locks, capture: () => capture, now });
  // A write of the front's own (PartiQL's): through the table locks and the stream capture, as a client's write goes.
  const writeThrough = async (action: string, input: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> => {
    let result: { status: number; json: Record<string, unknown> } | undefined;
    const answered = async (): Promise<number> => (result = await direct(action, input)).status;
    const captured = capture?.captures(action, input) ? capture : undefined;
    await locks.hold<unknown>([String(input.TableName)], () => (captured ? captured.bracket(action, input, answered) : answered()), captured !== undefined);
    return result!;
  };
  const partiql = new DynamoDbPartiql({ read: direct, write: writeThrough });
  // The front's work in progress (a transaction, a stream record's reads after the answer): close() lets it finish,
  // for dynalite's store, once closed, throws at what still reaches it, outside any caller.
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    const done = () => pending.delete(work);
    pending.add(work);
    work.then(done, done);
    return work;
  };
  const frontOperations: Record<string, (input: Record<string, unknown>) => Promise<{ status: number; payload: unknown }>> = {
    ExecuteStatement: (input) => partiql.execute(input),
    BatchExecuteStatement: (input) => partiql.batch(input),
    ExecuteTransaction: (input) => executeTransaction(input, partiql, transactions),
    TransactWriteItems: (input) => transactions.write(input),
    TransactGetItems: (input) => transactions.get(input),
  };
  const handle = (req: IncomingMessage, res: ServerResponse, sent: string, sentRaw: Buffer): void => {
    let text = sent;
    let raw = sentRaw;
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = /^DynamoDB_20120810\.(\w+)$/.exec(target)?.[1];
    if (operation !== undefined && !SERVED.has(operation)) {
      console.error(`emulator: DynamoDB ${operation} was called; the local DynamoDB does not serve it (answered UnknownOperationException)`);
      return sendAwsJson(res, 400, notServed(operation), CONTENT_TYPE);
    }
    // Refused before any parser sees them: an expression dynalite would take minutes or days to parse (see the module).
    if (text.includes('Expression')) {
      const body = jsonObjectBody(text);
      const problem = 'input' in body ? expressionProblem(body.input) : undefined;
      if (problem) return sendAwsJson(res, 400, problem, CONTENT_TYPE);
    }
    // The operations the front serves itself (dynalite has them not): PartiQL statements and transactions.
    const front = PARTIQL_SERVED.has(target) || TRANSACTIONS.has(target) ? frontOperations[operation!] : undefined;
    if (front) {
      const body = jsonObjectBody(text);
      if ('problem' in body) return sendAwsJson(res, 400, body.problem, CONTENT_TYPE);
      track(front(body.input)).then(
        (answer) => sendAwsJson(res, answer.status, answer.payload, CONTENT_TYPE),
        (error: unknown) => {
          console.error(`emulator: DynamoDB ${target} failed:`, error);
          sendAwsJson(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) }, CONTENT_TYPE);
        },
      );
      return;
    }
    // A table named by its ARN (DynamoDB takes one wherever it takes a name): dynalite is sent the name.
    const renamed = operation !== undefined && text.includes('arn:') ? tableArnsAsNames(operation, text, res) : undefined;
    if (renamed !== undefined) {
      text = renamed;
      raw = Buffer.from(renamed);
    }
    const write = writeOf(req, text);
    if (!write) return serve(replay(req, raw, (error) => unreadable(res, error)), res);
    const answered = () =>
      new Promise<number>((resolve) => {
        res.once('finish', () => resolve(res.statusCode));
        res.once('close', () => resolve(res.statusCode));
        serve(replay(req, raw, (error) => unreadable(res, error)), res);
      });
    // A write bracketed by stream reads holds its tables alone; others share them (dynalite keeps each item atomic).
    const captured = capture?.captures(write.action, write.input) ? capture : undefined;
    track(locks.hold<unknown>(write.tables, () => (captured ? captured.bracket(write.action, write.input, answered) : answered()), captured !== undefined))
      .catch((error: unknown) => console.error('emulator: a DynamoDB stream record was lost:', error));
  };
  server.on('request', guardedHandler('DynamoDB', handle, { guard, maxBodyBytes: MAX_REQUEST_BYTES, contentType: CONTENT_TYPE }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const self: DynamoDbTarget = { endpoint: `http://127.0.0.1:${port}`, credentials: options.credentials };
  // A read that fails (the table deleted meanwhile) counts as no item: the write itself still runs and is answered.
  const read = (tableName: string, key: Record<string, unknown>) =>
    direct('GetItem', { TableName: tableName, Key: key, ConsistentRead: true }).then(
      (r) => (r.status === 200 ? (r.json.Item as Record<string, unknown> | undefined) : undefined),
      () => undefined,
    );
  return {
    ...self,
    captureStreams: (tables, emit) => {
      capture = tables.length > 0 ? new StreamCapture(new Map(tables.map((t) => [t.tableName, t])), { read, emit, locks, now }) : undefined;
    },
    close: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

export interface CreatedTables {
  created: string[];
  existing: string[];
  /** dynalite has no UpdateTimeToLive: TTL attributes are recorded here, items are never expired. */
  ttlNotEnforced: Record<string, string>;
}

/** Where the embedded DynamoDB listens and what it accepts. */
export interface DynamoDbTarget {
  endpoint: string;
  credentials: LocalCredentials;
}

/** The URL and signed headers of a DynamoDB JSON 1.0 request to the embedded DynamoDB. */
function signedCall(target: DynamoDbTarget, action: string, body: string): { url: URL; headers: Record<string, string> } {
  const url = new URL(target.endpoint);
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}` };
  return { url, headers: signRequest(target.credentials, { method: 'POST', url, headers, body, region: 'us-east-1', service: 'dynamodb' }) };
}

/** A DynamoDB JSON 1.0 request to the embedded DynamoDB, signed with its credentials. */
export async function callDynamoDb(
  target: DynamoDbTarget,
  action: string,
  body: string,
  signal?: AbortSignal,
): Promise<Response> {
  const { url, headers } = signedCall(target, action, body);
  return fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
}

/**
 * The same signed request over node:http: tables are created on the way to the ready line, where loading Node's
 * Fetch (undici and its WebAssembly HTTP parser, ~50 ms here) would be paid before the first request needs it. One
 * connection per call, never a kept-alive one: the services' thread closes an idle connection after 5 s by its own
 * clock while this thread may be blocked longer (a build copying a large folder), and a call sent on a connection
 * closed meanwhile failed the start with 'socket hang up'.
 */
function call(db: DynamoDbTarget, action: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  const { url, headers } = signedCall(db, action, text);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** CreateTable for each template table; a table that already exists (persisted data) is left as it is. */
export async function createTables(db: DynamoDbTarget, tables: TableSpec[]): Promise<CreatedTables> {
  const out: CreatedTables = { created: [], existing: [], ttlNotEnforced: {} };
  for (const t of tables) {
    const described = await call(db, 'DescribeTable', { TableName: t.tableName });
    if (described.status === 200) {
      out.existing.push(t.tableName);
    } else {
      const res = await call(db, 'CreateTable', createTableInput(t));
      if (res.status !== 200) {
        throw new Error(`DynamoDB CreateTable ${t.tableName} (Resources.${t.logicalId}) failed: ${JSON.stringify(res.json)}`);
      }
      out.created.push(t.tableName);
    }
    if (t.ttlAttribute) out.ttlNotEnforced[t.tableName] = t.ttlAttribute;
  }
  return out;
}

function createTableInput(t: TableSpec): Record<string, unknown> {
  const input: Record<string, unknown> = {
    TableName: t.tableName,
    KeySchema: t.keySchema,
    AttributeDefinitions: t.attributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
  };
  if (t.globalSecondaryIndexes?.length) input.GlobalSecondaryIndexes = t.globalSecondaryIndexes;
  return input;
}
