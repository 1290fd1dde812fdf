/**
 * The embedded Kinesis endpoint (AWS JSON 1.1, `X-Amz-Target: Kinesis_20131202.<Action>`): functions reach it through
 * AWS_ENDPOINT_URL_KINESIS, API Gateway's Kinesis integrations through the same URL. Only requests signed with the
 * local credentials are served (guard.ts). CBOR (the Java SDK's default) is refused, named: functions get
 * AWS_CBOR_DISABLE so that the Java SDK speaks JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenDual } from '../h2c.js';
import { guardedHandler, jsonObjectBody, sendAwsJson } from '../request-body.js';
import type { LocalCredentials } from '../sigv4.js';
import { KinesisError, type KinesisStreams } from './streams.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const PREFIX = 'Kinesis_20131202.';

export interface KinesisServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the streams on a loopback port (free unless given). */
export async function startKinesis(streams: KinesisStreams, options: { credentials: LocalCredentials; port?: number }): Promise<KinesisServer> {
  // PutRecords carries up to 5 MiB of data, base64 in JSON.
  const handler = guardedHandler('Kinesis', (req, res, body) => answer(req, res, body, streams), { guard: { credentials: options.credentials }, contentType: CONTENT_TYPE, maxBodyBytes: 8 * 1024 * 1024 });
  const server = await listenDual(handler, options.port);
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

const send = (res: ServerResponse, status: number, payload: unknown): void => sendAwsJson(res, status, payload, CONTENT_TYPE);

function answer(req: IncomingMessage, res: ServerResponse, body: string, streams: KinesisStreams): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (String(req.headers['content-type'] ?? '').includes('cbor')) {
    return send(res, 400, { __type: 'SerializationException', message: 'CBOR is not served by the local Kinesis: send JSON (the Java SDK does with AWS_CBOR_DISABLE=true)' });
  }
  if (!target.startsWith(PREFIX)) return send(res, 400, { __type: 'UnknownOperationException', message: `${target || '(no X-Amz-Target)'} is not a Kinesis operation` });
  const parsed = jsonObjectBody(body);
  if ('problem' in parsed) return send(res, 400, parsed.problem);
  const { input } = parsed;
  try {
    send(res, 200, streams.handle(target.slice(PREFIX.length), input));
  } catch (error) {
    if (!(error instanceof KinesisError)) throw error;
    send(res, error.status, { __type: error.code, message: error.message });
  }
}
