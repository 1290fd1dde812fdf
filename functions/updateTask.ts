/**
 * PUT /tasks/{taskId} (updateTask), two entry points over the same validation and service:
 * - `handler`, the REST API's NON-proxy integration: the event is the request mapping template's output,
 *   success returns `{ task }`, and failures throw an Error whose message is the problem JSON; its
 *   `"status":NNN,` selects the integration response (400/404/412/413/415/503, anything else 500);
 * - `proxy`, the HTTP API's Lambda proxy integration (payload 1.0), which has no mapping templates: it
 *   reads the request itself and answers the same statuses and problems as a proxy result.
 */
import type { Context } from 'aws-lambda';
import type { components } from '../openapi/types.gen.js';
import { documentClient } from './shared/clients.js';
import { requireEnv } from './shared/config.js';
import { framelessError, toProblem, ValidationError } from './shared/errors.js';
import { etagOf, parseIfMatch } from './shared/etag.js';
import { instrument, logger } from './shared/observability.js';
import type { HeadersOf, PathOf, RequestBodyOf } from './shared/operation-input.js';
import { proxyHandler } from './shared/proxy.js';
import { callerSub, checkBodyText, header, pathParam, readJsonBody, requireJsonMediaType } from './shared/request.js';
import { TaskRepository } from './shared/task-repository.js';
import { TaskService } from './shared/task-service.js';
import { validateBody, validatorFor } from './shared/validation.js';

type Task = components['schemas']['Task'];

/** The object rendered by the updateTask request template. */
export interface UpdateTaskEvent {
  taskId: PathOf<'updateTask'>['taskId'];
  userId: string;
  /** The If-Match header as sent (an empty one too), or null when absent. */
  ifMatch: NonNullable<HeadersOf<'updateTask'>['If-Match']> | null;
  /** The Content-Type header as sent, or null when absent (API Gateway picks the JSON template for both: R2.2). */
  contentType: string | null;
  body: unknown;
  /**
   * The body as sent, base64 (UTF-8), for the checks the parsed `body` cannot show (a member named twice); null when
   * it is over MAX_BODY_CHARS (the template does not carry it then); absent from an event built by hand.
   */
  rawBody?: string | null;
  requestId: string;
  timestamp: string;
}

const tableName = requireEnv('TASKS_TABLE_NAME');
const allowedOrigin = requireEnv('ALLOWED_ORIGIN');

const service = new TaskService(new TaskRepository(documentClient, tableName));
const SELECTABLE = new Set([400, 404, 412, 413, 415, 503]);

/** The Error the integration response patterns select on; unexpected failures carry a 500 problem. */
function failure(error: unknown, requestId: string | undefined): Error {
  const mapped = toProblem(error, requestId);
  if (mapped.unexpected || !SELECTABLE.has(mapped.status)) {
    logger.error('updateTask failed', error as Error);
    return framelessError(JSON.stringify(toProblem(new Error('unexpected'), requestId).problem));
  }
  return framelessError(JSON.stringify(mapped.problem));
}

/** The update both entry points make once the task id is known to be a TaskId; `text` is the body as sent. */
async function replace(userId: string, taskId: string, ifMatch: string | null | undefined, body: unknown, text: string | null | undefined): Promise<Task> {
  const expected = parseIfMatch(ifMatch);
  const input = validateBody<RequestBodyOf<'updateTask'>>('TaskUpdate', body);
  checkBodyText(text);
  return service.replace(userId, taskId, input, expected);
}

async function updateTask(event: UpdateTaskEvent, _context: Context): Promise<{ task: Task }> {
  try {
    if (typeof event.userId !== 'string' || event.userId === '') throw new Error('the mapping template passed no userId');
    if (!validatorFor('TaskId')(event.taskId)) {
      throw new ValidationError('taskId: must be a TaskId (a 26-character ULID)', [{ pointer: 'taskId', message: 'must be a ULID' }]);
    }
    // As the proxy entry point and createTask: a body sent without Content-Type (or an empty one) is a 415.
    requireJsonMediaType(event.contentType);
    const text = typeof event.rawBody === 'string' ? Buffer.from(event.rawBody, 'base64').toString('utf8') : event.rawBody;
    return { task: await replace(event.userId, event.taskId, event.ifMatch, event.body, text) };
  } catch (error) {
    throw failure(error, event?.requestId);
  }
}

export const handler = instrument(updateTask, (event) => event?.requestId);

export const proxy = proxyHandler({ operation: 'updateTask', problemStatuses: [400, 404, 412, 413, 415, 500, 503], allowedOrigin })(async (event) => {
  const id = pathParam(event, 'taskId', 'TaskId');
  const body = readJsonBody(event);
  const task = await replace(callerSub(event), id, header(event, 'if-match'), body.value, body.text);
  return { statusCode: 200, headers: { ETag: etagOf(task.version) }, body: task };
});
