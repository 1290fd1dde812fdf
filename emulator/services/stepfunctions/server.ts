/**
 * The embedded Step Functions endpoint (AWS JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Action>`): functions reach it
 * through AWS_ENDPOINT_URL_SFN, API Gateway's Step Functions integrations through the same URL. Only requests signed
 * with the local credentials are served (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenDual } from '../h2c.js';
import { guardedHandler, jsonObjectBody, sendAwsJson } from '../request-body.js';
import type { LocalCredentials } from '../sigv4.js';
import { SfnError, type StepFunctions } from './executions.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const PREFIX = 'AWSStepFunctions.';

export interface StepFunctionsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the service on a loopback port (free unless given). */
export async function startStepFunctions(service: StepFunctions, options: { credentials: LocalCredentials; port?: number }): Promise<StepFunctionsServer> {
  const server = await listenDual(guardedHandler('Step Functions', (req, res, body) => answer(req, res, body, service), { guard: { credentials: options.credentials }, contentType: CONTENT_TYPE }), options.port);
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

async function answer(req: IncomingMessage, res: ServerResponse, body: string, service: StepFunctions): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target.startsWith(PREFIX)) return send(res, 400, { __type: 'UnknownOperationException', message: `${target || '(no X-Amz-Target)'} is not a Step Functions operation` });
  const parsed = jsonObjectBody(body);
  if ('problem' in parsed) return send(res, 400, parsed.problem);
  const { input } = parsed;
  try {
    send(res, 200, await service.handle(target.slice(PREFIX.length), input));
  } catch (error) {
    if (!(error instanceof SfnError)) {
      send(res, 500, { __type: 'InternalFailure', message: 'The local Step Functions failed to answer' });
      throw error;
    }
    send(res, error.status, { __type: error.code, message: error.message });
  }
}

const send = (res: ServerResponse, status: number, payload: unknown): void => sendAwsJson(res, status, payload, CONTENT_TYPE);
