/**
 * The embedded SSM endpoint (AWS JSON 1.1, `X-Amz-Target: AmazonSSM.<Operation>`) over the Parameter Store
 * (parameters.ts): functions reach it through AWS_ENDPOINT_URL_SSM, so the SDK's SSM client and Powertools'
 * `getParameter`/`getParameters`/`getParametersByPath` work unchanged, and `aws ssm put-parameter --endpoint-url`
 * sets values the template does not hold; GetParameter also over the query protocol (query.ts). Only requests signed
 * with the local credentials are served (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenDual } from '../h2c.js';
import { guardedHandler, jsonObjectBody, sendAwsJson } from '../request-body.js';
import type { LocalCredentials } from '../sigv4.js';
import { SsmError, type SsmParameters } from './parameters.js';
import { answerQuery, queryRequest } from './query.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface SsmServer {
  /** e.g. http://127.0.0.1:41237, the value for AWS_ENDPOINT_URL_SSM */
  url: string;
  close(): Promise<void>;
}

export async function startSsm(parameters: SsmParameters, options: { credentials: LocalCredentials; port?: number; log?: (line: string) => void }): Promise<SsmServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const server = await listenDual(guardedHandler('SSM', (req, res, body) => answer(req, res, body, parameters, log), { guard: { credentials: options.credentials }, contentType: CONTENT_TYPE }), options.port);
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

function required(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (value === undefined || value === null) throw new SsmError('ValidationException', `1 validation error detected: Value null at '${field[0]!.toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return typed(value, 'string', field) as string;
}

/** A member of the wrong JSON type is the protocol's SerializationException, as on AWS; undefined stays undefined. */
function typed(value: unknown, type: 'string' | 'number' | 'boolean', field: string): unknown {
  if (value === undefined || typeof value === type) return value;
  throw new SsmError('SerializationException', `${field}: expected a ${type}, not ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}`);
}

/** A list of strings (Names), or the SerializationException its wrong type is. */
function names(input: Record<string, unknown>): string[] {
  if (!Array.isArray(input.Names)) throw new SsmError('ValidationException', "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
  return input.Names.map((n) => typed(n, 'string', 'Names') as string);
}

/** One SSM operation's answer (the payload), or the SsmError it refuses with. */
function run(operation: string, input: Record<string, unknown>, parameters: SsmParameters): unknown {
  const decrypt = typed(input.WithDecryption, 'boolean', 'WithDecryption') === true;
  switch (operation) {
    case 'GetParameter':
      return { Parameter: parameters.get(required(input, 'Name'), decrypt) };
    case 'GetParameters':
      return parameters.getMany(names(input), decrypt);
    case 'GetParametersByPath': {
      const max = typed(input.MaxResults, 'number', 'MaxResults') as number | undefined;
      return parameters.byPath(required(input, 'Path'), typed(input.Recursive, 'boolean', 'Recursive') === true, decrypt, max ?? 10, typed(input.NextToken, 'string', 'NextToken') as string | undefined);
    }
    case 'PutParameter': {
      const optional = (field: string) => typed(input[field], 'string', field) as string | undefined;
      return parameters.put({
        name: required(input, 'Name'),
        value: required(input, 'Value'),
        overwrite: typed(input.Overwrite, 'boolean', 'Overwrite') === true,
        ...(optional('Type') ? { type: optional('Type')! } : {}),
        ...(optional('Description') ? { description: optional('Description')! } : {}),
        ...(optional('DataType') ? { dataType: optional('DataType')! } : {}),
      });
    }
    case 'DeleteParameter':
      parameters.delete(required(input, 'Name'));
      return {};
    case 'DeleteParameters': {
      const list = names(input);
      if (list.length < 1 || list.length > 10) throw new SsmError('ValidationException', "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1");
      return parameters.deleteMany(list);
    }
    case 'DescribeParameters': {
      const max = typed(input.MaxResults, 'number', 'MaxResults') as number | undefined;
      return parameters.describe(max ?? 50, typed(input.NextToken, 'string', 'NextToken') as string | undefined);
    }
    default:
      return undefined;
  }
}

function answer(req: IncomingMessage, res: ServerResponse, body: string, parameters: SsmParameters, log: (line: string) => void): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = /^AmazonSSM\.(\w+)$/.exec(target)?.[1];
  // No X-Amz-Target and an Action: the query protocol (API Gateway's `ssm:action/` integrations).
  const query = target === '' ? queryRequest(req, body) : undefined;
  if (query) return answerQuery(req, res, query, parameters, log);
  const parsed = jsonObjectBody(body);
  if ('problem' in parsed) return sendAwsJson(res, 400, parsed.problem, CONTENT_TYPE);
  try {
    const payload = operation === undefined ? undefined : run(operation, parsed.input, parameters);
    if (payload === undefined) {
      const named = operation ?? (target || '(no X-Amz-Target)');
      log(`emulator: SSM ${named} was called; the local Parameter Store does not serve it (answered UnknownOperationException)`);
      return sendAwsJson(res, 400, { __type: 'UnknownOperationException', message: `${named} is not served by the local emulator's SSM (Parameter Store: GetParameter(s), GetParametersByPath, PutParameter, DeleteParameter(s), DescribeParameters)` }, CONTENT_TYPE);
    }
    sendAwsJson(res, 200, payload, CONTENT_TYPE);
  } catch (error) {
    if (!(error instanceof SsmError)) throw error;
    sendAwsJson(res, 400, { __type: error.type, ...(error.message ? { message: error.message } : {}) }, CONTENT_TYPE);
  }
}
