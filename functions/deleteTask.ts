/** DELETE /tasks/{taskId} (deleteTask): conditional delete, at the If-Match version when given. */
import { documentClient } from './shared/clients.js';
import { requireEnv } from './shared/config.js';
import { parseIfMatch } from './shared/etag.js';
import { proxyHandler } from './shared/proxy.js';
import { callerSub, header, pathParam } from './shared/request.js';
import { TaskRepository } from './shared/task-repository.js';
import { TaskService } from './shared/task-service.js';

const tableName = requireEnv('TASKS_TABLE_NAME');
const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

const service = new TaskService(new TaskRepository(documentClient, tableName));

export const handler = proxyHandler({ operation: 'deleteTask', problemStatuses: [400, 404, 412, 500, 503], allowedOrigin })(async (event) => {
  const id = pathParam(event, 'taskId', 'TaskId');
  const expected = parseIfMatch(header(event, 'if-match'));
  await service.delete(callerSub(event), id, expected);
  return { statusCode: 204 };
});
