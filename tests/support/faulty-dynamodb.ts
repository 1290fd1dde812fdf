/**
 * Faults at the SDK's HTTP layer, under the real DynamoDB client (its retries, its error classes), over the embedded
 * DynamoDB (dynalite), for what dynalite cannot do by itself: lose the answer of a call it did apply (a timeout, a reset
 * connection after the write), answer that a transaction is still in progress, and throttle. FAKES of the network
 * and of DynamoDB's refusals; the table behind is real.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpResponse } from '@smithy/types';
import { TEST_CREDENTIALS } from './local-credentials.js';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];

/**
 * What happens to the calls of one DynamoDB operation (`TransactWriteItems`, `UpdateItem`...), one step per call in
 * order, then every call is applied: `lose`, applied by the table and its answer dropped (the SDK sees a TimeoutError);
 * `in-progress`, refused as DynamoDB refuses a transaction whose token's first call is still running (not applied).
 */
export interface Fault {
  operation: string;
  steps: ('lose' | 'in-progress')[];
}

export interface FaultyClient {
  db: DynamoDBDocumentClient;
  /** Calls of each operation that reached the table. */
  applied: Map<string, number>;
  destroy(): void;
}

/** DynamoDB's answer body to a call refused for throughput (with status 400); a transaction's is a cancellation. */
export function throttledBody(operation: string): string {
  const body =
    operation === 'TransactWriteItems'
      ? { __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]', CancellationReasons: [{ Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity of your table or index.' }] }
      : { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded.' };
  return JSON.stringify(body);
}

const IN_PROGRESS = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#TransactionInProgressException', message: 'The transaction with the given request token is already in progress.' });

/** A FAKE DynamoDB endpoint that refuses every call for throughput, for handlers whose client is their module's own. */
export async function startThrottlingEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    request.resume();
    request.on('end', () => response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(throttledBody(operation)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

class FaultyHandler extends NodeHttpHandler {
  readonly applied = new Map<string, number>();
  private readonly steps: Map<string, Fault['steps']>;

  constructor(faults: Fault[]) {
    super();
    this.steps = new Map(faults.map((f) => [f.operation, [...f.steps]]));
  }

  override async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    const step = this.steps.get(operation)?.shift();
    if (step === 'in-progress') {
      return { response: { statusCode: 400, reason: 'Bad Request', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(IN_PROGRESS) } as unknown as HttpResponse };
    }
    const out = await super.handle(request, options);
    this.applied.set(operation, (this.applied.get(operation) ?? 0) + 1);
    if (step === 'lose') {
      // Read the answer whole (the call is done, its write applied), then drop it as a timed-out socket would.
      for await (const _chunk of out.response.body as AsyncIterable<unknown>) void _chunk;
      throw Object.assign(new Error('answer lost (fault injected by the test)'), { name: 'TimeoutError' });
    }
    return out;
  }
}

/** A document client as functions/shared/clients.ts builds it (two attempts), over `endpoint`, with these faults. */
export function faultyClient(endpoint: string, faults: Fault[]): FaultyClient {
  const handler = new FaultyHandler(faults);
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 2, requestHandler: handler });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
  return { db, applied: handler.applied, destroy: () => client.destroy() };
}
