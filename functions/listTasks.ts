/** GET /tasks (listTasks): one page of the caller's tasks, newest first. */
import { documentClient } from './shared/clients.js';
import { requireEnv } from './shared/config.js';
import { proxyHandler } from './shared/proxy.js';
import { callerSub, listQuery } from './shared/request.js';
import { signingKey } from './shared/secrets.js';
import { TaskRepository } from './shared/task-repository.js';
import { TaskService } from './shared/task-service.js';

const tableName = requireEnv('TASKS_TABLE_NAME');
const cursorSecretId = requireEnv('CURSOR_SECRET_ID');
const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

const service = new TaskService(new TaskRepository(documentClient, tableName));

export const handler = proxyHandler({ operation: 'listTasks', problemStatuses: [400, 500, 503], allowedOrigin })(async (event) => {
  const query = listQuery(event);
  const page = await service.list(callerSub(event), query, await signingKey(cursorSecretId));
  return { statusCode: 200, body: page };
});
