/** The embedded services run in a thread of their own: off the gateway's event loop, with their data kept on close. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { signRequest } from '../../../emulator/services/sigv4.js';
import { startServicesThread } from '../../../emulator/services/thread.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

const SECRET = { logicalId: 'S', name: 'thread/secret', arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:thread/secret-AbCdEf', secretString: 'value', source: 'template' } as const;

/** A signed POST made by another process, as a function's environment makes it: its answer's status and body. */
function callFromAnotherProcess(url: string, target: string, service: string, body: string): { status: number; body: string } {
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: new URL(url), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body, region: 'us-east-1', service });
  const script = `const [url, headers, body] = JSON.parse(process.argv[1]);
fetch(url, { method: 'POST', headers, body }).then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })));`;
  // execFileSync blocks this thread's event loop until the other process has its answer.
  const out = execFileSync(process.execPath, ['-e', script, JSON.stringify([url, headers, body])], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as { status: number; body: string };
}

describe('embedded services thread', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { service: 'DynamoDB', target: 'DynamoDB_20120810.ListTables', signingName: 'dynamodb', body: '{}', want: /"TableNames":\[\]/ },
    { service: 'Secrets Manager', target: 'secretsmanager.GetSecretValue', signingName: 'secretsmanager', body: '{"SecretId":"thread/secret"}', want: /"SecretString":"value"/ },
  ])('$service answers while the event loop that started it is blocked (it does not share it)', async ({ service, target, signingName, body, want }) => {
    const thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [SECRET] });
    try {
      const url = service === 'DynamoDB' ? thread.dynamoDbEndpoint : thread.secretsManagerUrl;

      const answer = callFromAnotherProcess(url, target, signingName, body);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(want);
    } finally {
      await thread.close();
    }
  });

  it('close() stops both endpoints', async () => {
    const thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [SECRET] });

    await thread.close();

    await expect(fetch(thread.dynamoDbEndpoint, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(thread.secretsManagerUrl, { method: 'POST' })).rejects.toThrow();
  });

  it('keeps tables across a restart with a data folder: close() flushes the store before the thread ends', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'services-thread-'));
    dirs.push(dataDir);
    const first = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [], dataDir });
    const create = new DynamoDBClient({ endpoint: first.dynamoDbEndpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    await create.send(new CreateTableCommand({ TableName: 'kept', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
    create.destroy();
    await first.close();

    const second = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [], dataDir });
    const list = new DynamoDBClient({ endpoint: second.dynamoDbEndpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const { TableNames } = await list.send(new ListTablesCommand({}));
    list.destroy();
    await second.close();

    expect(TableNames).toEqual(['kept']);
  });

  it('boots before its secrets are known (the template is still being read) and serves them once given', async () => {
    let give!: (secrets: (typeof SECRET)[]) => void;
    const secrets = new Promise<(typeof SECRET)[]>((resolve) => (give = resolve));
    const starting = startServicesThread({ credentials: TEST_CREDENTIALS, secrets });

    give([SECRET]);
    const thread = await starting;
    try {
      const answer = callFromAnotherProcess(thread.secretsManagerUrl, 'secretsmanager.GetSecretValue', 'secretsmanager', '{"SecretId":"thread/secret"}');

      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/"SecretString":"value"/);
    } finally {
      await thread.close();
    }
  });

  it('stops, and fails with the same error, when its secrets cannot be known (the template did not load)', async () => {
    const broken = new Error('template.yaml: not valid YAML');

    const starting = startServicesThread({ credentials: TEST_CREDENTIALS, secrets: Promise.reject(broken) });

    await expect(starting).rejects.toBe(broken);
  });
});

/**
 * FAKE services thread: ready once given its secrets; on close, either closes at once or (busy) says so and then
 * spins in a synchronous loop that no message can interrupt, as a long synchronous task would.
 */
function fakeThread(onClose: 'closes' | 'busy'): Worker {
  const code = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type === 'secrets') parentPort.postMessage({ type: 'ready', dynamoDbEndpoint: 'http://127.0.0.1:9', secretsManagerUrl: 'http://127.0.0.1:9' });
  if (m.type !== 'close') return;
  if (${JSON.stringify(onClose)} === 'closes') return parentPort.postMessage({ type: 'closed' });
  parentPort.postMessage({ type: 'busy' });
  for (;;);
});`;
  return new Worker(code, { eval: true });
}

/** A grace that runs out only when the test says so. */
function manualGrace() {
  const state = { started: 0, cancelled: 0, expire: () => undefined as void };
  const grace = (expired: () => void) => {
    state.started += 1;
    state.expire = expired;
    return () => void (state.cancelled += 1);
  };
  return { state, grace };
}

describe('closing a services thread that does not answer (Ctrl-C never hangs)', () => {
  it('a thread busy in a synchronous task: close() waits for the grace, then stops the thread and says so', async () => {
    const worker = fakeThread('busy');
    const { state, grace } = manualGrace();
    const lines: string[] = [];
    const thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [] }, (line) => lines.push(line), { worker: () => worker, closeGrace: grace });
    const busy = once(worker, 'message');
    const exited = once(worker, 'exit');

    let settled = false;
    const closing = thread.close().then(() => (settled = true));
    await busy;
    // Busy: close() is still waiting (its answer cannot come), the grace running.
    await Promise.resolve();
    expect({ settled, started: state.started }).toEqual({ settled: false, started: 1 });

    state.expire();
    await closing;
    await exited;

    expect(lines).toEqual([expect.stringMatching(/^emulator: the embedded AWS services \(DynamoDB, Secrets Manager\) did not close within 5 s: their thread is stopped where it was/)]);
  });

  it('neighbour: a thread that closes in time: the grace is cancelled, nothing is said', async () => {
    const worker = fakeThread('closes');
    const { state, grace } = manualGrace();
    const lines: string[] = [];
    const thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [] }, (line) => lines.push(line), { worker: () => worker, closeGrace: grace });

    await thread.close();

    expect({ started: state.started, cancelled: state.cancelled, lines }).toEqual({ started: 1, cancelled: 1, lines: [] });
  });
});
