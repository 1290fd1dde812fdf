/** POST /tasks (createTask): creates a task; with Idempotency-Key a retry returns the first response. */
import { documentClient } from './shared/clients.js';
import { requireEnv } from './shared/config.js';
import { etagOf } from './shared/etag.js';
import { idempotencyKeyOf, idempotentCreate } from './shared/idempotency.js';
import { IdempotencyStore } from './shared/idempotency-store.js';
import type { RequestBodyOf } from './shared/operation-input.js';
import { proxyHandler } from './shared/proxy.js';
import { callerSub, checkBodyText, readJsonBody } from './shared/request.js';
import { TaskRepository } from './shared/task-repository.js';
import { TaskService } from './shared/task-service.js';
import { validateBody } from './shared/validation.js';

const tableName = requireEnv('TASKS_TABLE_NAME');
const idempotencyTableName = requireEnv('IDEMPOTENCY_TABLE_NAME');
const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

const service = new TaskService(new TaskRepository(documentClient, tableName));
const createOnce = idempotentCreate({
  store: new IdempotencyStore(documentClient, idempotencyTableName),
  draft: (input) => service.draft(input),
  createPut: (ownerId, task) => service.createPut(ownerId, task),
  clock: () => new Date(),
});

export const handler = proxyHandler({ operation: 'createTask', problemStatuses: [400, 409, 413, 415, 422, 500, 503], allowedOrigin })(
  async (event, context) => {
    const body = readJsonBody(event);
    const input = validateBody<RequestBodyOf<'createTask'>>('NewTask', body.value);
    checkBodyText(body.text);
    const ownerId = callerSub(event);
    const idempotencyKey = idempotencyKeyOf(event);
    const task =
      idempotencyKey === undefined
        ? await service.create(ownerId, input)
        : await createOnce({ ownerId, idempotencyKey, input, remainingMs: context.getRemainingTimeInMillis() });
    // The request's own path (stage or base path included) plus the id; see the report's [AMBIGUOUS] note.
    const base = (event.requestContext.path || event.path || '/tasks').replace(/\/+$/, '');
    return { statusCode: 201, headers: { Location: `${base}/${task.id}`, ETag: etagOf(task.version) }, body: task };
  },
);
