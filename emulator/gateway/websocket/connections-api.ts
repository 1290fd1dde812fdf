/**
 * The @connections API of a WebSocket API's stage (API Reference "ApiGatewayManagementApi"): PostToConnection,
 * GetConnection and DeleteConnection at `/<stage>/@connections/<connectionId>`, signed with SigV4 for
 * execute-api. A connection that is not (or no longer) open is GoneException (410); other requests are refused.
 */
import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import { checkIam, type IamOptions } from '../../identity/iam.js';
import { Reply } from '../reply.js';
import type { ConnectionInfo, GatewayRequest } from '../types.js';
import type { Connection } from './events.js';
import { MAX_MESSAGE_BYTES } from './errors.js';
import { sendInFrames } from './frame-limit.js';

export interface ConnectionsApiOptions {
  iam: IamOptions;
  now: () => number;
  stages: ReadonlySet<string>;
  find: (connectionId: string) => { connection: Connection; socket: WebSocket } | undefined;
  close: (connectionId: string) => Promise<void>;
  /** Why a call was refused (its signature), for the terminal. */
  log: (line: string) => void;
}

/** An error as the API's SDKs read it: x-amzn-ErrorType names it; only PayloadTooLargeException has a message member. */
function failure(status: number, type: string, message?: string): Reply {
  const headers = new Headers({ 'Content-Type': 'application/json', 'x-amzn-ErrorType': type });
  return new Reply(status, headers, JSON.stringify(message === undefined ? {} : { message }));
}

const forbidden = (): Reply => failure(403, 'ForbiddenException');

/** The @connections management API of a WebSocket stage (PostToConnection, GetConnection, DeleteConnection). */
export class ConnectionsApi {
  constructor(private readonly options: ConnectionsApiOptions) {}

  /** One management call; anything that is not one is refused (403, ForbiddenException). */
  async respond(request: GatewayRequest, connection?: ConnectionInfo): Promise<Reply> {
    const target = connection?.path ?? new URL(request.url).pathname;
    const query = new URL(request.url).search;
    // An endpoint configured with a trailing slash (`https://<host>/<stage>/`) makes the SDKs send `/<stage>//@connections/<id>`,
    // which reaches the connection on AWS.
    const match = /^\/+([^/]+)\/+@connections\/([^/]+)$/.exec(target);
    if (!match || !this.options.stages.has(decoded(match[1]!) ?? '')) {
      this.options.log(`${request.method} ${target}: refused (403 ForbiddenException): not /<stage>/@connections/<connectionId> of a stage of this API`);
      return forbidden();
    }
    const body = new Uint8Array(await request.arrayBuffer());
    // Checked before the signature: the server hands over at most the body limit, whose signature no longer matches.
    const declared = Number(request.headers.get('content-length') ?? body.byteLength);
    if (request.method === 'POST' && Math.max(declared, body.byteLength) > MAX_MESSAGE_BYTES) return failure(413, 'PayloadTooLargeException', `Message too long: ${Math.max(declared, body.byteLength)} bytes (limit ${MAX_MESSAGE_BYTES})`);
    const headers = pairs(connection?.rawHeaders) ?? fetchPairs(request.headers);
    const signed = checkIam({ method: request.method, target: `${target}${query}`, headers, body }, this.options.iam);
    if (!signed.ok) {
      this.options.log(`@connections ${request.method} ${target}: refused (403 ForbiddenException): ${signed.problem.message}; sign for execute-api with the local credentials`);
      return forbidden();
    }
    // An id whose escapes do not decode names no connection.
    const id = decoded(match[2]!);
    const live = id === undefined ? undefined : this.options.find(id);
    switch (request.method) {
      case 'POST':
        if (!live || live.socket.readyState !== live.socket.OPEN) return failure(410, 'GoneException');
        // Text when the data is UTF-8 (what clients expect of a JSON message), binary otherwise.
        sendInFrames(live.socket, Buffer.from(body), !isUtf8(body));
        return new Reply(200, new Headers({ 'Content-Type': 'application/json' }), null);
      case 'GET':
        if (!live) return failure(410, 'GoneException');
        return new Reply(200, new Headers({ 'Content-Type': 'application/json' }), JSON.stringify(describe(live.connection)));
      case 'DELETE':
        if (!live || id === undefined) return failure(410, 'GoneException');
        await this.options.close(id);
        return new Reply(204, new Headers(), null);
      default:
        return forbidden();
    }
  }
}

/** GetConnection's answer as on the wire (lower-case members; the SDKs show them capitalized): ISO 8601 times. */
function describe(connection: Connection): Record<string, unknown> {
  const identity: Record<string, string> = { sourceIp: connection.sourceIp };
  if (connection.userAgent !== undefined) identity.userAgent = connection.userAgent;
  return { connectedAt: new Date(connection.connectedAt).toISOString(), identity, lastActiveAt: new Date(connection.lastActiveAt).toISOString() };
}

/** A path segment's percent-decoding; undefined when its escapes are not UTF-8 (no stage or connection is named so). */
export function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function fetchPairs(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => out.push([name, value]));
  return out;
}

function pairs(raw: string[] | undefined): [string, string][] | undefined {
  if (!raw) return undefined;
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
