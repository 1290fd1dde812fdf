/**
 * The Task API's real mapping templates (template.yaml + openapi/api.yaml through loadTemplate) run through the
 * gateway: getTask (DynamoDB GetItem on a real dynalite) and updateTask (Lambda custom integration; its Lambda side
 * is a fake here, the real handler is tested in tests/functions).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import type { IdentityStage } from '../../../emulator/gateway/identity.js';
import type { Gateway } from '../../../emulator/gateway/types.js';
import type { InvokeOutcome, LambdaInvoker } from '../../../emulator/lambda/types.js';
import { createTables, startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

const TEMPLATE = fileURLToPath(new URL('../../../template.yaml', import.meta.url));
const ORIGIN = 'http://localhost:5173';
const TASK_ID = '01JD5ZQ3W8K2M4N6P8R0T2V4X6';
const MINIMAL_ID = '01JD5ZQ3W8K2M4N6P8R0T2V4X8';
const CLF = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

/** FAKE Cognito stage: every caller is authenticated as the `x-test-sub` header's user (claims as part 2 sets them). */
class FakeCognitoIdentity implements IdentityStage {
  supports(): boolean {
    return true;
  }
  async run(state: Parameters<IdentityStage['run']>[0]): ReturnType<IdentityStage['run']> {
    const sub = state.headers.find(([n]) => n.toLowerCase() === 'x-test-sub')?.[1] ?? 'user-1';
    state.authorizer = { claims: { sub, 'custom:role': 'member' } };
    return Promise.resolve({ ok: true });
  }
}

/** FAKE invoker standing in for UpdateTaskFunction: answers the outcome queued by the test, records the event. */
class FakeUpdateTaskInvoker implements LambdaInvoker {
  next: InvokeOutcome = { kind: 'ok', payload: null, cold: false, durationMs: 1 };
  readonly events: unknown[] = [];
  async invoke(functionLogicalId: string, event: unknown): Promise<InvokeOutcome> {
    if (functionLogicalId !== 'UpdateTaskFunction') throw new Error(`FakeUpdateTaskInvoker: unexpected ${functionLogicalId}`);
    this.events.push(event);
    return Promise.resolve(this.next);
  }
}

let db: DynamoDbServer;
let template: LoadedTemplate;
let gateway: Gateway;
const invoker = new FakeUpdateTaskInvoker();
const logs: string[] = [];

const S = (s: string): AttributeValue => ({ S: s });

async function seed(sub: string, id: string, extra: Record<string, AttributeValue>, drop: string[] = []): Promise<void> {
  const client = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  const table = template.tables.find((t) => t.logicalId === 'TasksTable')?.tableName as string;
  await client.send(new PutItemCommand({
    TableName: table,
    Item: Object.fromEntries(
      Object.entries({ pk: S(`USER#${sub}`), sk: S(`TASK#${id}`), id: S(id), status: S('todo'), priority: S('high'), createdAt: S('2026-01-01T00:00:00.000Z'), updatedAt: S('2026-01-02T00:00:00.000Z'), version: { N: '3' }, ...extra }).filter(
        ([name]) => !drop.includes(name),
      ),
    ),
  }));
  client.destroy();
}

async function send(method: string, path: string, init: { sub?: string; headers?: [string, string][]; body?: unknown } = {}) {
  const headers = new Headers([['x-test-sub', init.sub ?? 'user-1'], ...(init.headers ?? [])]);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  const request = new Request(`http://localhost:3000/v1${path}`, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  const response = await gateway.fetch(request);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

beforeAll(async () => {
  template = await loadTemplate(TEMPLATE);
  db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  await createTables(db, template.tables);
  const api = template.apis.find((a) => a.logicalId === 'TaskApi');
  if (!api) throw new Error(`${TEMPLATE}: no TaskApi`);
  gateway = createGateway({ api, template, invoker, identity: new FakeCognitoIdentity(), services: { dynamodb: db }, log: (l) => logs.push(l) });
  await seed('user-1', TASK_ID, {
    title: S('Say "hi" and it\'s \\ done </x>'),
    description: S('line1\nline2 café'),
    dueDate: S('2026-12-01'),
    tags: { L: [S('docs'), S('o\'neil')] },
  });
  await seed('user-1', MINIMAL_ID, { title: S('bare'), tags: { L: [] } });
});

afterAll(async () => {
  await db.close();
});

describe('getTask: GetItem integration templates', () => {
  it('R12.2 / R12.3 / R3.10 a full item maps to the Task JSON (quotes, single quotes, backslash, non-ASCII, tags)', async () => {
    const got = await send('GET', `/tasks/${TASK_ID}`);
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({
      id: TASK_ID,
      title: 'Say "hi" and it\'s \\ done </x>',
      description: 'line1\nline2 café',
      status: 'todo',
      dueDate: '2026-12-01',
      priority: 'high',
      tags: ['docs', 'o\'neil'],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      version: 3,
    });
  });

  it("R3.10 a caller whose sub has a single quote reads their own task (replaceAll idiom on the key, never a 500)", async () => {
    // Prepare: escapeJavaScript writes ' as \\', which is no JSON escape; the key would not parse without the idiom.
    const sub = "o'brien";
    await seed(sub, MINIMAL_ID, { title: S('mine'), tags: { L: [] } });
    // Act
    const got = await send('GET', `/tasks/${MINIMAL_ID}`, { sub });
    // Assess
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ id: MINIMAL_ID, title: 'mine' });
  });

  it('R2.9 / R2.12 headers: ETag and Access-Control-Expose-Headers from overrides, the origin from responseParameters', async () => {
    const got = await send('GET', `/tasks/${TASK_ID}`);
    expect(got.headers.get('etag')).toBe('"3"');
    expect(got.headers.get('access-control-expose-headers')).toBe('ETag,Location');
    expect(got.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  it('R3.5 missing optional fields (description, dueDate) are left out; an empty tag list stays []', async () => {
    const got = await send('GET', `/tasks/${MINIMAL_ID}`);
    expect(got.status).toBe(200);
    const body = got.json();
    expect(body).not.toHaveProperty('description');
    expect(body).not.toHaveProperty('dueDate');
    expect(body).toMatchObject({ id: MINIMAL_ID, title: 'bare', tags: [], version: 3 });
  });

  it.each([
    { given: 'an absent task', sub: 'user-1', id: '01JD5ZQ3W8K2M4N6P8R0T2V4X7' },
    { given: "another user's task", sub: 'user-2', id: TASK_ID },
  ])('R2.12 $given → 404 problem via the responseOverride status and a Content-Type override', async ({ sub, id }) => {
    const got = await send('GET', `/tasks/${id}`, { sub });
    expect(got.status).toBe(404);
    expect(got.headers.get('content-type')).toBe('application/problem+json');
    expect(got.json()).toEqual({ type: 'urn:task-api:problem:not-found', title: 'Not Found', status: 404, detail: 'No task with this id.', requestId: got.headers.get('x-amzn-requestid') });
    expect(got.headers.has('etag')).toBe(false);
  });

  it.each([
    { status: 500, type: 'InternalServerError', given: 'a DynamoDB 5xx (an outage)', answer: 500, problem: 'internal' },
    { status: 400, type: 'ValidationException', given: 'a DynamoDB 4xx (a request it refuses)', answer: 500, problem: 'internal' },
    { status: 400, type: 'ProvisionedThroughputExceededException', given: 'DynamoDB throttling the read', answer: 503, problem: 'unavailable' },
    { status: 400, type: 'ThrottlingException', given: 'DynamoDB throttling its control plane', answer: 503, problem: 'unavailable' },
  ])('R12.3 / R2.6 $given selects [45]\\d{2}: a $answer problem+json, never "no such task"', async ({ status, type, answer, problem }) => {
    // A FAKE DynamoDB that always fails as the service does (dynalite cannot be made to).
    const fakeFailure: Server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'refused' }));
    });
    await new Promise<void>((resolve) => fakeFailure.listen(0, '127.0.0.1', resolve));
    const api = template.apis.find((a) => a.logicalId === 'TaskApi');
    const endpoint = `http://127.0.0.1:${(fakeFailure.address() as AddressInfo).port}`;
    const failingGateway = createGateway({ api: api!, template, invoker, identity: new FakeCognitoIdentity(), services: { dynamodb: { endpoint, credentials: TEST_CREDENTIALS } }, log: (l) => logs.push(l) });
    try {
      const response = await failingGateway.fetch(new Request(`http://localhost:3000/v1/tasks/${TASK_ID}`, { headers: { 'x-test-sub': 'user-1' } }));
      expect(response.status).toBe(answer);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      // A 503 says when to retry (RFC 9110 §10.2.3), as the functions' 503 does; a 500 does not.
      expect(response.headers.get('retry-after')).toBe(answer === 503 ? '1' : null);
      expect(await response.json()).toMatchObject({ type: `urn:task-api:problem:${problem}`, status: answer });
    } finally {
      await new Promise((resolve) => fakeFailure.close(resolve));
    }
  });
});

const VALIDATION_400 = {
  type: 'urn:task-api:problem:validation',
  title: 'Bad Request',
  status: 400,
  detail: 'taskId: must be a TaskId (a 26-character ULID)',
  errors: [{ pointer: 'taskId', message: 'must be a ULID' }],
};

describe('getTask: the taskId guard (the 400 deleteTask and updateTask give, never a 500)', () => {
  it.each([
    { given: 'over-long (1100 characters, beyond DynamoDB key size)', raw: 'K'.repeat(1100) },
    { given: 'over-long by one (27 characters)', raw: `${TASK_ID}0` },
    { given: 'short by one (25 characters)', raw: TASK_ID.slice(1) },
    { given: 'lower case', raw: TASK_ID.toLowerCase() },
    { given: 'a letter outside Crockford base32 (U)', raw: `${TASK_ID.slice(0, 25)}U` },
    { given: 'malformed percent-encoding (%ZZ)', raw: '%ZZ' },
    { given: 'a truncated escape (%E0%A4%A)', raw: '%E0%A4%A' },
    { given: 'a lone %', raw: `${TASK_ID.slice(0, 25)}%` },
    { given: 'invalid UTF-8 (%C3%28)', raw: '%C3%28' },
    { given: 'non-ASCII (%C3%A9)', raw: '%C3%A9' },
    { given: 'a NUL byte', raw: `${TASK_ID.slice(0, 25)}%00` },
    { given: 'a single quote', raw: encodeURIComponent("it's") },
    { given: 'a double quote and a backslash', raw: '%22%5C' },
    { given: 'a plus sign', raw: `${TASK_ID.slice(0, 25)}+` },
  ])('$given → 400 validation problem naming taskId', async ({ raw }) => {
    const got = await send('GET', `/tasks/${raw}`);
    expect(got.status).toBe(400);
    expect(got.headers.get('content-type')).toBe('application/problem+json');
    expect(got.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(got.json()).toEqual({ ...VALIDATION_400, requestId: got.headers.get('x-amzn-requestid') });
    expect(got.headers.has('etag')).toBe(false);
  });

  it('a TaskId written with percent-escapes of its own characters is decoded and found (the neighbour of the guard)', async () => {
    const escaped = [...TASK_ID].map((c, i) => (i % 2 === 0 ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : c)).join('');
    const got = await send('GET', `/tasks/${escaped}`);
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ id: TASK_ID });
  });
});

const CORRUPT_SUB = 'user-corrupt';
let corruptCount = 0;
const corruptId = (n = (corruptCount += 1)): string => `01JD5ZQ3W8K2M4N6P8R0T2V${String(n).padStart(3, '0')}`;
const GOOD: Record<string, AttributeValue> = { title: S('ok'), tags: { L: [S('a')] } };

describe('getTask: a stored item that does not parse is a 500 problem, never a 200 with invalid JSON', () => {
  it.each<{ given: string; item: Record<string, AttributeValue>; drop?: string[] }>([
    { given: 'no title', item: { tags: { L: [] } } },
    { given: 'a numeric title', item: { ...GOOD, title: { N: '5' } } },
    { given: 'an empty title', item: { ...GOOD, title: S('') } },
    { given: 'a 201-character title', item: { ...GOOD, title: S('t'.repeat(201)) } },
    { given: 'a 2001-character description', item: { ...GOOD, description: S('d'.repeat(2001)) } },
    { given: 'a status outside the enum', item: { ...GOOD, status: S('archived') } },
    { given: 'a priority outside the enum', item: { ...GOOD, priority: S('urgent') } },
    { given: 'version 0', item: { ...GOOD, version: { N: '0' } } },
    { given: 'a fractional version', item: { ...GOOD, version: { N: '1.5' } } },
    { given: 'a string version', item: { ...GOOD, version: S('3') } },
    { given: 'no tags', item: { title: S('ok') } },
    { given: 'a string set of tags', item: { ...GOOD, tags: { SS: ['a'] } } },
    { given: 'a numeric tag', item: { ...GOOD, tags: { L: [{ N: '1' }] } } },
    { given: 'a tag starting with a space', item: { ...GOOD, tags: { L: [S(' a')] } } },
    { given: 'an impossible dueDate', item: { ...GOOD, dueDate: S('2026-13-01') } },
    { given: 'no createdAt', item: GOOD, drop: ['createdAt'] },
    { given: 'an updatedAt that is not a date-time', item: { ...GOOD, updatedAt: S('yesterday') } },
    { given: 'an id attribute that is not a ULID', item: { ...GOOD, id: S('x"y') } },
  ])('$given → 500 internal problem', async ({ item, drop }) => {
    // Prepare: written around the API, as a script or a console edit would.
    const id = corruptId();
    await seed(CORRUPT_SUB, id, item, drop);
    // Act
    const got = await send('GET', `/tasks/${id}`, { sub: CORRUPT_SUB });
    // Assess
    expect(got.status).toBe(500);
    expect(got.headers.get('content-type')).toBe('application/problem+json');
    expect(got.json()).toEqual({
      type: 'urn:task-api:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The stored task is not valid.',
      requestId: got.headers.get('x-amzn-requestid'),
    });
    expect(got.headers.has('etag')).toBe(false);
  });

  it('the same item with valid attributes is a 200 (the neighbour of every case above)', async () => {
    const id = corruptId(999);
    await seed(CORRUPT_SUB, id, { ...GOOD, description: S('d'.repeat(2000)), title: S('t'.repeat(200)), dueDate: S('2026-02-28') });
    const got = await send('GET', `/tasks/${id}`, { sub: CORRUPT_SUB });
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ id, tags: ['a'], dueDate: '2026-02-28' });
  });
});

const UPDATE = { title: 'It\'s a "test"', status: 'in_progress', priority: 'high', tags: ['docs', 'o\'neil'] };
const TASK = { id: TASK_ID, ...UPDATE, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z', version: 4 };

function fails(problem: unknown): InvokeOutcome {
  const errorMessage = typeof problem === 'string' ? problem : JSON.stringify(problem);
  return { kind: 'function-error', errorType: 'Error', errorMessage, stackTrace: ['at x'], cold: false, durationMs: 1 };
}

describe('updateTask: Lambda custom integration templates', () => {
  it('R2.1 / R3.2 / R3.7 the request template renders the event (decoded taskId, sub, If-Match, body, requestId, CLF time)', async () => {
    invoker.next = { kind: 'ok', payload: { task: TASK }, cold: false, durationMs: 1 };
    const got = await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE, headers: [['If-Match', '"3"']], sub: 'sub-"q"' });
    const rawBody = Buffer.from(JSON.stringify(UPDATE)).toString('base64');
    expect(invoker.events.at(-1)).toEqual({ taskId: TASK_ID, userId: 'sub-"q"', ifMatch: '"3"', contentType: 'application/json', body: UPDATE, rawBody, requestId: got.headers.get('x-amzn-requestid'), timestamp: expect.stringMatching(CLF) });
  });

  it('the body as sent reaches the function (rawBody: a member named twice shows), and none over 65,536 characters (null)', async () => {
    invoker.next = { kind: 'ok', payload: { task: TASK }, cold: false, durationMs: 1 };
    const twice = '{"title":"a","title":"b","status":"todo","priority":"low","tags":[]}';
    await gateway.fetch(new Request(`http://localhost:3000/v1/tasks/${TASK_ID}`, { method: 'PUT', headers: { 'x-test-sub': 'user-1', 'content-type': 'application/json' }, body: twice }));
    expect(invoker.events.at(-1)).toMatchObject({ body: { title: 'b' }, rawBody: Buffer.from(twice).toString('base64') });
    const padded = `${JSON.stringify(UPDATE)}${' '.repeat(65_537 - JSON.stringify(UPDATE).length)}`;
    await gateway.fetch(new Request(`http://localhost:3000/v1/tasks/${TASK_ID}`, { method: 'PUT', headers: { 'x-test-sub': 'user-1', 'content-type': 'application/json' }, body: padded }));
    expect(invoker.events.at(-1)).toMatchObject({ body: UPDATE, rawBody: null });
  });

  it('R2.2 a body sent with no Content-Type gets the JSON template, which tells the function: contentType null (it answers 415)', async () => {
    const request = new Request(`http://localhost:3000/v1/tasks/${TASK_ID}`, { method: 'PUT', headers: { 'x-test-sub': 'user-1' }, body: new TextEncoder().encode(JSON.stringify(UPDATE)) });
    await gateway.fetch(request);
    expect(invoker.events.at(-1)).toMatchObject({ taskId: TASK_ID, contentType: null, body: UPDATE });
  });

  it("R3.10 a taskId with a single quote and no If-Match still renders valid JSON (replaceAll idiom)", async () => {
    await send('PUT', `/tasks/it's%20mine`, { body: UPDATE });
    expect(invoker.events.at(-1)).toMatchObject({ taskId: "it's mine", ifMatch: null });
  });

  it('an If-Match header sent empty reaches the function as "" (the function refuses it), never as absent', async () => {
    await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE, headers: [['If-Match', '']] });
    expect(invoker.events.at(-1)).toMatchObject({ taskId: TASK_ID, ifMatch: '' });
  });

  it("R3.10 a sub with a single quote renders valid JSON and reaches the function as it is", async () => {
    await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE, sub: "o'brien" });
    expect(invoker.events.at(-1)).toMatchObject({ taskId: TASK_ID, userId: "o'brien" });
  });

  it('R2.6 success → default: the task, ETag from $.task.version, expose headers, origin', async () => {
    invoker.next = { kind: 'ok', payload: { task: TASK }, cold: false, durationMs: 1 };
    const got = await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual(TASK);
    expect(got.headers.get('etag')).toBe('"4"');
    expect(got.headers.get('access-control-expose-headers')).toBe('ETag,Location');
    expect(got.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  it('R2.6 patterns are disjoint: a 400 problem whose detail quotes "status":404, still selects 400', async () => {
    const problem = { type: 'urn:task-api:problem:validation', title: 'Bad Request', status: 400, detail: 'title: "{\\"status\\":404,}" is not a title', requestId: 'r-2' };
    invoker.next = fails(problem);
    const got = await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE });
    expect(got.status).toBe(400);
    expect(got.json()).toEqual(problem);
  });

  it.each([400, 404, 412, 415, 503])('R2.6 / R2.7 a thrown problem with "status":%i selects that response; body = $.errorMessage', async (status) => {
    const problem = { type: 'urn:task-api:problem:x', title: 'T "quoted"', status, detail: 'it\'s wrong', requestId: 'r-1' };
    invoker.next = fails(problem);
    const got = await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE });
    expect(got.status).toBe(status);
    expect(got.headers.get('content-type')).toBe('application/problem+json');
    expect(got.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(got.headers.get('retry-after')).toBe(status === 503 ? '1' : null);
    expect(got.json()).toEqual(problem);
  });

  it.each([
    { given: 'a crash (plain message)', outcome: fails('Cannot read properties of undefined (reading \'x\')') },
    { given: 'a 500 problem', outcome: fails({ type: 'urn:task-api:problem:internal', title: 'Internal Server Error', status: 500, detail: 'x' }) },
    { given: "the function's own timeout", outcome: fails('Task timed out after 10.00 seconds') },
    { given: 'a multi-line message (e.g. an import error with its require stack)', outcome: fails('Cannot find module \'x\'\nRequire stack:\n- /var/task/updateTask.mjs') },
  ])('R2.6 look-ahead fallback: $given → 500 problem', async ({ outcome }) => {
    invoker.next = outcome;
    const got = await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE });
    expect(got.status).toBe(500);
    expect(got.headers.get('content-type')).toBe('application/problem+json');
    expect(got.json()).toEqual({ type: 'urn:task-api:problem:internal', title: 'Internal Server Error', status: 500, detail: 'The request could not be completed.', requestId: got.headers.get('x-amzn-requestid') });
  });

  it('R1.53 analogue: the integration deadline passing → 504', async () => {
    invoker.next = { kind: 'deadline-exceeded', durationMs: 29_000 };
    const got = await send('PUT', `/tasks/${TASK_ID}`, { body: UPDATE });
    expect(got.status).toBe(504);
    expect(got.json()).toMatchObject({ type: 'urn:task-api:problem:timeout', status: 504, requestId: got.headers.get('x-amzn-requestid') });
  });

  it('R2.5 passthroughBehavior never: a non-JSON Content-Type → 415 before the function', async () => {
    const before = invoker.events.length;
    const request = new Request(`http://localhost:3000/v1/tasks/${TASK_ID}`, { method: 'PUT', headers: { 'Content-Type': 'text/plain', 'x-test-sub': 'u' }, body: 'x' });
    const got = await gateway.fetch(request);
    expect(got.status).toBe(415);
    expect(JSON.parse(await got.text())).toMatchObject({ type: 'urn:task-api:problem:unsupported-media-type', status: 415 });
    expect(invoker.events.length).toBe(before);
  });
});

describe('R2.9 response headers mapped by the Task API contract', () => {
  it('R2.9 every responseParameters header the contract maps is declared on the method response', () => {
    const undeclared = gateway.support.filter((i) => i.subject.startsWith('x-amazon-apigateway-integration.responses.responseParameters.'));
    expect(undeclared).toEqual([]);
  });
});
