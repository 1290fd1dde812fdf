/**
 * Fault injection: a function that throws, exits, kills itself, hangs, busy-loops, exhausts memory on or off the
 * JS heap, or dies between two writes ends only its own execution environment. After each: the client got what
 * API Gateway answers (502 for a function error, R1.57; 504 for the integration timeout, R1.53), the gateway
 * serves the next request, no environment process is left behind, and the data holds. The HTTP API answers its own
 * 500 for the same failures (H6.7).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { tempLocalState } from '../identity/support/fixtures.js';
import { liveEnvironments } from './environments.js';

const TEMPLATE = resolve('tests/emulator/fixtures/faults-app/template.yaml');
const local = tempLocalState();
let emulator: RunningEmulator;
let base: string;
let httpBase: string;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir: local.state.dir, maxConcurrency: 2 });
  base = emulator.apis.find((a) => a.kind === 'rest')!.url;
  httpBase = emulator.apis.find((a) => a.kind === 'http')!.url;
});
afterAll(async () => {
  await emulator?.close();
  local.cleanup();
});

const environments = (): number[] => liveEnvironments(emulator.services.AWS_ENDPOINT_URL_DYNAMODB!);

async function post(path: string, body: unknown = {}, api = base): Promise<{ status: number; json: Record<string, unknown>; errorType: string | null }> {
  const res = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, errorType: res.headers.get('x-amzn-errortype') };
}

const FAULTS = [
  { fault: 'a synchronous throw', action: 'throw' },
  { fault: 'a throw outside the handler (later tick)', action: 'throw-later' },
  { fault: 'an unhandled promise rejection', action: 'reject-later' },
  { fault: 'process.exit()', action: 'exit' },
  { fault: 'process.kill(process.pid) (SIGTERM to itself)', action: 'kill-self' },
  { fault: 'SIGKILL to itself', action: 'kill-self-hard' },
  { fault: 'a hang past its Timeout', action: 'hang' },
  { fault: 'a synchronous infinite loop (Timeout must still end it)', action: 'busy-loop' },
  { fault: 'JS heap growth past MemorySize', action: 'heap-hog' },
  { fault: 'Buffer allocations past MemorySize (off the JS heap)', action: 'buffer-hog' },
  { fault: 'ArrayBuffer allocations past MemorySize (off the JS heap)', action: 'arraybuffer-hog' },
  { fault: 'a result over 6 MB (Function.ResponseSizeTooLarge, R1.52)', action: 'too-big' },
];
// The HTTP API runs the same environments: one fault of each kind (exit, timeout, memory, size) is enough there.
const HTTP_FAULTS = new Set(['exit', 'hang', 'buffer-hog', 'too-big']);
const FUNCTION_ERROR = {
  rest: { rule: 'R1.57 DEFAULT_5XX', status: 502, json: { message: 'Internal server error' }, errorType: 'InternalServerErrorException' },
  http: { rule: 'H6.7 / H10.4, no x-amzn-ErrorType (H10.8)', status: 500, json: { message: 'Internal Server Error' }, errorType: null },
};

describe.each([
  ...FAULTS.map((f) => ({ ...f, api: 'rest' as const })),
  ...FAULTS.filter((f) => HTTP_FAULTS.has(f.action)).map((f) => ({ ...f, api: 'http' as const })),
])('$api API: $fault', ({ action, api }) => {
  const { rule, ...want } = FUNCTION_ERROR[api];
  // No assertion on time: on a loaded machine a busy loop needs its 2 s of CPU, which may take much longer.
  it(`answers the API's function error (${rule}), then the next request is served by a fresh environment`, { timeout: 180_000 }, async () => {
    const url = api === 'rest' ? base : httpBase;
    const warm = await post('/fault/ok', {}, url);
    const faulty = await post(`/fault/${action}`, {}, url);
    const next = await post('/fault/ok', {}, url);

    expect(warm.status).toBe(200);
    expect(faulty).toEqual(want);
    expect(next.status).toBe(200);
    expect(next.json.pid).not.toBe(undefined);
    expect(environments().length).toBeLessThanOrEqual(2);
  });
});

describe('R1.53 a hang behind a shorter integration timeout', () => {
  it('answers 504 Endpoint request timed out, ends the busy environment, and serves the next request', async () => {
    const faulty = await post('/short/hang');
    const next = await post('/fault/ok');

    expect(faulty).toEqual({ status: 504, json: { message: 'Endpoint request timed out' }, errorType: 'InternalServerErrorException' });
    expect(next.status).toBe(200);
    expect(environments().length).toBeLessThanOrEqual(2);
  });
});

describe.each([
  { end: 'the function times out', action: 'spawn-then-hang' },
  { end: 'the function exits by itself while the process holds its output open', action: 'spawn-then-exit' },
])('a process the function started', ({ end, action }) => {
  it(`ends with its environment (Lambda ends a sandbox whole): here when ${end}`, { timeout: 60_000 }, async () => {
    // The process holds a connection to this server while it lives: its end is an event here, not a state polled.
    const server = createServer();
    const held = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const ended = await post(`/fault/${action}`, { port });
    const socket = await held;
    await new Promise((resolve) => (socket.destroyed ? resolve(undefined) : socket.once('close', resolve)));
    server.close();

    expect(ended.status).toBe(502);
    expect((await post('/fault/ok')).status).toBe(200);
  });
});

describe('concurrent faults', () => {
  it('a crash in one environment does not fail a request served by another', async () => {
    const [crashed, served] = await Promise.all([post('/fault/kill-self-hard'), post('/fault/ok')]);

    expect(crashed.status).toBe(502);
    expect(served.status).toBe(200);
  });
});

describe('a function that dies between two DynamoDB writes', () => {
  const items = async (): Promise<string[]> => {
    const client = new DynamoDBClient({ endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials: emulator.credentials });
    const out = await client.send(new ScanCommand({ TableName: 'fault-pairs' }));
    client.destroy();
    return (out.Items ?? []).map((i) => i.id?.S ?? '').sort();
  };

  it('leaves the first write only; the retry completes the pair without duplicating it', async () => {
    const died = await post('/fault/write-pair', { pair: 'p1', die: true });
    const afterCrash = await items();
    const retried = await post('/fault/write-pair', { pair: 'p1' });
    const again = await post('/fault/write-pair', { pair: 'p1' });

    expect(died.status).toBe(502);
    expect(afterCrash.filter((id) => id.startsWith('p1#'))).toEqual(['p1#first']);
    expect([retried.status, again.status]).toEqual([201, 201]);
    expect((await items()).filter((id) => id.startsWith('p1#'))).toEqual(['p1#first', 'p1#second']);
  });
});

describe('closing the emulator', () => {
  it('ends every environment process it started, busy ones included', async () => {
    const probe = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir: local.state.dir, maxConcurrency: 2 });
    const endpoint = probe.services.AWS_ENDPOINT_URL_DYNAMODB!;
    const hanging = fetch(`${probe.apis.find((a) => a.kind === 'rest')!.url}/fault/hang`, { method: 'POST' }).catch(() => undefined);
    const served = await fetch(`${probe.apis.find((a) => a.kind === 'rest')!.url}/fault/ok`, { method: 'POST' });
    const before = liveEnvironments(endpoint);

    await probe.close();
    await hanging;

    expect(served.status).toBe(200);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(liveEnvironments(endpoint)).toEqual([]);
  });
});
