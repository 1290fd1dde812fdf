/**
 * GET /tasks/{taskId} (getTask) on the HTTP API. The REST API serves it with a DynamoDB integration and
 * mapping templates, which HTTP APIs do not have: this handler answers what those templates answer (a bad
 * id 400, an absent or foreign task 404, a stored item that is not a valid task 500).
 */
import { documentClient } from './shared/clients.js';
import { requireEnv } from './shared/config.js';
import { etagOf } from './shared/etag.js';
import { proxyHandler } from './shared/proxy.js';
import { callerSub, pathParam } from './shared/request.js';
import { TaskRepository } from './shared/task-repository.js';
import { TaskService } from './shared/task-service.js';

const tableName = requireEnv('TASKS_TABLE_NAME');
const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

const service = new TaskService(new TaskRepository(documentClient, tableName));

export const handler = proxyHandler({ operation: 'getTask', problemStatuses: [400, 404, 500, 503], allowedOrigin })(async (event) => {
  const id = pathParam(event, 'taskId', 'TaskId');
  const task = await service.get(callerSub(event), id);
  return { statusCode: 200, headers: { ETag: etagOf(task.version) }, body: task };
});
