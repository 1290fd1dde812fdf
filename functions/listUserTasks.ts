/** GET /admin/users/{userId}/tasks (listUserTasks): any user's tasks, for callers the admin authorizer allowed. */
import { documentClient } from './shared/clients.js';
import { requireEnv } from './shared/config.js';
import { ValidationError } from './shared/errors.js';
import { proxyHandler } from './shared/proxy.js';
import { listQuery, pathValue } from './shared/request.js';
import { signingKey } from './shared/secrets.js';
import { TaskRepository } from './shared/task-repository.js';
import { TaskService } from './shared/task-service.js';

const tableName = requireEnv('TASKS_TABLE_NAME');
const cursorSecretId = requireEnv('CURSOR_SECRET_ID');
const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

const service = new TaskService(new TaskRepository(documentClient, tableName));

export const handler = proxyHandler({ operation: 'listUserTasks', problemStatuses: [400, 500, 503], allowedOrigin })(async (event) => {
  const userId = pathValue(event, 'userId');
  // Characters as the contract counts them (maxLength: code points), not UTF-16 units.
  const length = userId === undefined ? 0 : [...userId].length;
  if (userId === undefined || length < 1 || length > 128) {
    throw new ValidationError('userId: must be 1 to 128 characters', [{ pointer: 'userId', message: 'must be 1 to 128 characters' }]);
  }
  const query = listQuery(event);
  const page = await service.list(userId, query, await signingKey(cursorSecretId));
  return { statusCode: 200, body: page };
});
