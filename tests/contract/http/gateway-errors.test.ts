/**
 * Errors API Gateway itself generates (no integration runs): on the REST API, status and problem+json
 * body as the contract's x-amazon-apigateway-gateway-responses customise them, plus their static
 * headers; on the HTTP API variant, what ./support/variant.ts declares for each (a fixed JSON message,
 * or the handler's problem where HTTP APIs do not validate). Rule ids refer to the reference documents.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callOutsideContract, contract, type TaskApiClient } from './support/client.js';
import { createTask, expectGatewayError, newTask, skipNote, useTarget, type NewTask } from './support/suite.js';
import { planTarget, required } from './support/target.js';
import { variant } from './support/variant.js';

const plan = planTarget();
const api = useTarget();
const SOME_ULID = '01JD5ZQ3W8K2M4N6P8R0T2V4X6';

/** One call of every operation that needs a Cognito ID token and an API key. */
const cognitoOperations: [string, (c: TaskApiClient) => Promise<{ response: Response; error?: unknown }>][] = [
  ['listTasks', (c) => c.GET('/tasks')],
  ['createTask', (c) => c.POST('/tasks', { body: { title: 'never created' } })],
  ['getTask', (c) => c.GET('/tasks/{taskId}', { params: { path: { taskId: SOME_ULID } } })],
  ['updateTask', (c) => c.PUT('/tasks/{taskId}', { params: { path: { taskId: SOME_ULID } }, body: { title: 't', status: 'todo', priority: 'low', tags: [] } })],
  ['deleteTask', (c) => c.DELETE('/tasks/{taskId}', { params: { path: { taskId: SOME_ULID } } })],
];

const listUserTasks = (c: TaskApiClient) => c.GET('/admin/users/{userId}/tasks', { params: { path: { userId: 'anyone' } } });

/** A JWT with the same header and claims as `jwt`, signed by a key the API has never seen. */
function forgedWithOtherKey(jwt: string): string {
  const [header, payload] = jwt.split('.');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

/** `jwt` with its `sub` claim rewritten and the original signature kept. */
function withTamperedSub(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
}

// Each variant registers the API-key behaviour it has (support/variant.ts): the REST API refuses a missing or
// unknown key, the HTTP API has no keys at all. Neither block is skipped: the other one is not registered.
function invalidApiKey(): void {
  describe('INVALID_API_KEY (403)', () => {
    it.each(cognitoOperations)('R6.4 %s without x-api-key is 403 invalid-api-key', async (_name, call) => {
      expectGatewayError(await call(api.as(api.target.userA.token, null)), 'INVALID_API_KEY');
    });

    it('R6.4 an unknown API key is 403 invalid-api-key', async () => {
      expectGatewayError(await api.as(api.target.userA.token, `unknown-${api.target.runId}-key-0123456789`).GET('/tasks'), 'INVALID_API_KEY');
    });

    it.skipIf(plan.skipReason.admin)(`R6.4 listUserTasks with an admin token but no x-api-key is 403 invalid-api-key${skipNote(plan.skipReason.admin)}`, async () => {
      const adminToken = required(api.target.adminToken, 'admin token (ADMIN_TOKEN)');
      expectGatewayError(await listUserTasks(api.as(adminToken, null)), 'INVALID_API_KEY');
    });
  });
}

function noApiKeys(): void {
  describe('no API keys (H12.1)', () => {
    it.each(cognitoOperations)('H12.1 %s with an x-api-key header that is no key at all is answered as without one', async (_name, call) => {
      const withKey = await call(api.as(api.target.userA.token, `unknown-${api.target.runId}-key-0123456789`));
      const withoutKey = await call(api.as(api.target.userA.token, null));
      expect(withKey.response.status).toBe(withoutKey.response.status);
      expect(withKey.response.status).not.toBe(403);
    });
  });
}

if (variant.noApiKeys) noApiKeys();
else invalidApiKey();

describe('UNAUTHORIZED (401) from the Cognito authorizer', () => {
  it.each(cognitoOperations)('R7.21 %s without Authorization is 401 with WWW-Authenticate: Bearer', async (_name, call) => {
    expectGatewayError(await call(api.as(null, api.target.apiKey)), 'UNAUTHORIZED');
  });

  it.each([
    ['not a JWT', () => 'not-a-jwt'],
    ['a JWT signed by another key (forged)', () => forgedWithOtherKey(api.target.userA.token)],
    ['a JWT whose claims were altered after signing', () => withTamperedSub(api.target.userA.token)],
  ])('R7.21 an ID token that is %s is 401', async (_name, token) => {
    expectGatewayError(await api.as(token(), api.target.apiKey).GET('/tasks'), 'UNAUTHORIZED');
  });

  it.skipIf(plan.skipReason.expired)(`R7.21 an expired ID token is 401 (not EXPIRED_TOKEN, which is for SigV4)${skipNote(plan.skipReason.expired)}`, async () => {
    const expired = required(api.target.expiredToken, 'expired ID token (EXPIRED_ID_TOKEN)');
    expectGatewayError(await api.as(expired, api.target.apiKey).GET('/tasks'), 'UNAUTHORIZED');
  });
});

describe('admin route: Lambda TOKEN authorizer', () => {
  it('R7.6 listUserTasks without Authorization is 401', async () => {
    expectGatewayError(await listUserTasks(api.as(null, api.target.apiKey)), 'UNAUTHORIZED_LAMBDA');
  });

  it('R7.7 a token that does not match identityValidationExpression (no Bearer prefix) is 401', async () => {
    expectGatewayError(await listUserTasks(api.as(api.target.userA.token, api.target.apiKey)), 'UNAUTHORIZED_LAMBDA');
  });

  it('R7.13 a well-formed Bearer JWT the authorizer cannot verify (a Cognito ID token) is 401', async () => {
    expectGatewayError(await listUserTasks(api.as(`Bearer ${api.target.userA.token}`, api.target.apiKey)), 'UNAUTHORIZED_LAMBDA');
  });

  it.skipIf(plan.skipReason.nonAdmin)(`R7.11 a valid token without the admin role is 403 access-denied${skipNote(plan.skipReason.nonAdmin)}`, async () => {
    expectGatewayError(await listUserTasks(api.nonAdmin()), 'ACCESS_DENIED');
  });
});

/** Bodies the createTask/updateTask models reject; sent through the typed client with a cast. */
const invalidBodies: [string, Record<string, unknown>][] = [
  ['an unknown field', { title: 't', owner: 'me' }],
  ['a title over 200 characters', { title: 'x'.repeat(201) }],
  ['an empty title', { title: '' }],
  ['a title of the wrong type', { title: 42 }],
  ['a status outside the enum', { title: 't', status: 'archived' }],
  ['no title', { priority: 'high' }],
];

describe('BAD_REQUEST_BODY (400) from the request validator', () => {
  it.each(invalidBodies)('R5.5 createTask with %s is 400 validation', async (_name, body) => {
    const result = await api.a.POST('/tasks', { body: body as unknown as NewTask });
    expectGatewayError(result, 'BAD_REQUEST_BODY');
    expect((result.error as { detail: string }).detail).toMatch(/^Invalid request body: \S/);
  });

  it('R5.5 a 1 MB title: the detail names the field and the rule but quotes at most the start of the value', async () => {
    const result = await api.a.POST('/tasks', { body: { title: 'x'.repeat(1024 * 1024) } });
    expectGatewayError(result, 'BAD_REQUEST_BODY');
    const detail = (result.error as { detail: string }).detail;
    expect(detail).toContain('/title');
    expect(detail).toMatch(/\b200\b/);
    expect(detail.length).toBeLessThan(1024);
  });

  it.each(invalidBodies)('R5.5 updateTask with %s is 400 validation', async (_name, body) => {
    const task = await createTask(api.a, newTask(api.target, 'invalid-update'));
    const full = { status: 'todo', priority: 'low', tags: [], ...body };
    const result = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: full as never });
    expectGatewayError(result, 'BAD_REQUEST_BODY');
  });

  it('R5.5 updateTask without the required status, priority and tags is 400 validation', async () => {
    const task = await createTask(api.a, newTask(api.target, 'partial-update'));
    const result = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: { title: 'only a title' } as never });
    expectGatewayError(result, 'BAD_REQUEST_BODY');
  });

  // [AMBIGUOUS] R5.6: AWS documents no case for unparsable JSON; the validator is expected to reject it
  // as "Invalid request body" (LocalStack does) before any integration runs.
  it.each([
    ['createTask', (c: TaskApiClient) => c.POST('/tasks', { body: {} as NewTask, bodySerializer: () => '{"title": "unterminated' })],
    ['updateTask', (c: TaskApiClient) => c.PUT('/tasks/{taskId}', { params: { path: { taskId: SOME_ULID } }, body: {} as never, bodySerializer: () => '{"title":' })],
  ])('R5.6 %s with malformed JSON is 400', async (_name, call) => {
    expectGatewayError(await call(api.a), 'MALFORMED_JSON');
  });
});

describe('UNSUPPORTED_MEDIA_TYPE (415) from the non-proxy integration (from the handler on HTTP)', () => {
  it('R2.4 updateTask with Content-Type text/plain is 415 (passthroughBehavior never, JSON template only)', async () => {
    const task = await createTask(api.a, newTask(api.target, 'text-plain'));
    const result = await api.a.PUT('/tasks/{taskId}', {
      params: { path: { taskId: task.id } },
      body: {} as never,
      bodySerializer: () => 'title=plain',
      headers: { 'Content-Type': 'text/plain' },
    });
    expectGatewayError(result, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('REQUEST_TOO_LARGE (413) for a body over the 6 MB a Lambda event may carry', () => {
  // 7 MB of JSON: under API Gateway's 10 MB payload limit, over Lambda's 6 MB invocation payload.
  const body = JSON.stringify({ title: 'x'.repeat(7 * 1024 * 1024) });
  // Only operations without a request body model: a body is validated before its size is (createTask: a 400).
  it('R8.8 / H10.4 deleteTask with a 7 MB body is refused as the operation declares it', async () => {
    // Act: a raw request (the typed client sends no body on DELETE), checked against the contract by hand.
    const [method, schemaPath] = ['DELETE', '/tasks/{taskId}'];
    const response = await fetch(`${api.target.baseUrl}/tasks/${SOME_ULID}`, {
      method,
      headers: { authorization: api.target.userA.token, 'content-type': 'application/json', ...(api.target.apiKey ? { 'x-api-key': api.target.apiKey } : {}) },
      body,
    });
    const bodyText = await response.text();
    // Assess
    expect(contract.check({ method, schemaPath, status: response.status, headers: response.headers, bodyText })).toEqual([]);
    expectGatewayError({ response, error: JSON.parse(bodyText) as unknown }, 'REQUEST_TOO_LARGE');
  });
});

describe('MISSING_AUTHENTICATION_TOKEN (customised to 404; 404 Not Found on HTTP, H10.1) for unknown routes', () => {
  it.each([
    ['GET', '/nothing-here'],
    ['GET', '/tasks/01JD5ZQ3W8K2M4N6P8R0T2V4X6/subtasks'],
    ['PATCH', '/tasks'],
    ['POST', '/health'],
    ['DELETE', '/admin/users/u/tasks'],
  ] as const)('R8.9 %s %s is 404 no-such-route, before any key or token check (R0.1)', async (method, path) => {
    expectGatewayError(await callOutsideContract(api.as(null, null), method, path), 'MISSING_AUTHENTICATION_TOKEN');
  });
});
