/**
 * The embedded EventBridge endpoint (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`): functions reach it through
 * AWS_ENDPOINT_URL_EVENTBRIDGE, API Gateway's EventBridge integrations through the same URL. Only requests signed
 * with the local credentials are served (guard.ts); actions other than PutEvents are refused, named.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenDual } from '../h2c.js';
import { guardedHandler, jsonObjectBody, sendAwsJson } from '../request-body.js';
import type { LocalCredentials } from '../sigv4.js';
import { jsonNestingDepth, MAX_JSON_DEPTH, PutEventsError, type EventBuses } from './bus.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface EventBridgeServer {
  url: string;
  close(): Promise<void>;
}

export async function startEventBridge(buses: EventBuses, options: { credentials: LocalCredentials; port?: number }): Promise<EventBridgeServer> {
  const server = await listenDual(guardedHandler('EventBridge', (req, res, body) => answer(req, res, body, buses), { guard: { credentials: options.credentials }, contentType: CONTENT_TYPE }), options.port);
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

function answer(req: IncomingMessage, res: ServerResponse, body: string, buses: EventBuses): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target !== 'AWSEvents.PutEvents') {
    return send(res, 400, { __type: 'UnknownOperationException', message: `${target || '(no X-Amz-Target)'} is not served by the local emulator's EventBridge (only AWSEvents.PutEvents is)` });
  }
  // [AMBIGUOUS] a request nested deeper than PutEvents processes (its Resources, say): refused as JSON it cannot read.
  if (jsonNestingDepth(body) > MAX_JSON_DEPTH) return send(res, 400, { __type: 'SerializationException', message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.` });
  const parsed = jsonObjectBody(body);
  if ('problem' in parsed) return send(res, 400, parsed.problem);
  const { input } = parsed;
  try {
    send(res, 200, buses.putEvents(input));
  } catch (error) {
    if (!(error instanceof PutEventsError)) throw error;
    send(res, 400, { __type: error.code, message: error.message });
  }
}

const send = (res: ServerResponse, status: number, payload: unknown): void => sendAwsJson(res, status, payload, CONTENT_TYPE);
