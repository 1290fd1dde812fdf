/**
 * Test support for the WebSocket API end-to-end suites: a temp template served by startEmulator, one Node handler that
 * records every event it gets (one JSON line each, in a file of the temp dir), and promise helpers for the client side
 * (no sleeping: every wait is on an event of the socket or of the emulator's onRequest callback, bounded by a timeout).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startEmulator, type EmulatorOptions, type RunningEmulator, type ServedApi } from '../../../../emulator/app.js';
import type { RequestLogEntry } from '../../../../emulator/gateway/types.js';

/** How long any single wait may take before the test fails (instead of hanging until vitest's timeout). */
export const WAIT_MS = 15_000;

/**
 * The functions' code. $connect: `?status=401` answers that status, `?throw=1` throws, `?protocol=chat` chooses that
 * subprotocol. Authorizer (event.type REQUEST): token/Auth `deny` → Deny, `allow` → Allow for user-1 with {role: admin}.
 * $disconnect: records its event after DISCONNECT_MS. Messages: action `whoami` answers the connection id, `boom` throws, `status` answers its `statusCode`, `post` posts through @connections over TLS (`post-by-id` to the API id's execute-api host)
 * (https://<domainName>/<stage>) with the template's ENDPOINT variable in the data; anything else answers `echo:<body>`.
 */
export const HANDLER = `
import { appendFileSync } from 'node:fs';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
export const handler = async (event) => {
  // A $disconnect that takes a while, recorded at its end: closing the emulator must wait for it.
  if (event.requestContext?.eventType === 'DISCONNECT') await new Promise((resolve) => setTimeout(resolve, Number(process.env.DISCONNECT_MS)));
  appendFileSync(process.env.EVENTS_FILE, JSON.stringify(event) + '\\n');
  // An AWS (non-proxy) integration's rendered request template: answered with what it got.
  if (event.nonProxy) return { mapped: event };
  if (event.type === 'REQUEST') {
    const token = event.queryStringParameters?.token ?? event.headers?.Auth ?? event.headers?.auth;
    const effect = token === 'allow' ? 'Allow' : 'Deny';
    return { principalId: 'user-1', context: { role: 'admin' }, policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] } };
  }
  const ctx = event.requestContext;
  if (ctx.eventType === 'CONNECT') {
    const q = event.queryStringParameters ?? {};
    if (q.throw) throw new Error('connect failed');
    if (q.protocol) return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': q.protocol } };
    return { statusCode: q.status ? Number(q.status) : 200 };
  }
  if (ctx.eventType === 'DISCONNECT') return { statusCode: 200 };
  let action;
  try { action = JSON.parse(event.body).action; } catch { action = undefined; }
  if (action === 'whoami') return { statusCode: 200, body: JSON.stringify({ connectionId: ctx.connectionId }) };
  if (action === 'boom') throw new Error('boom');
  // A proxy result with whatever statusCode the message names (a malformed one included).
  if (action === 'status') return { statusCode: JSON.parse(event.body).statusCode, body: 'status' };
  if (action === 'post' || action === 'post-by-id') {
    // post-by-id builds the endpoint from the API id, as simple-websockets-chat-app does (for custom domains).
    const host = action === 'post' ? ctx.domainName : \`\${ctx.apiId}.execute-api.\${process.env.AWS_REGION}.amazonaws.com\`;
    const client = new ApiGatewayManagementApiClient({ endpoint: \`https://\${host}/\${ctx.stage}\` });
    await client.send(new PostToConnectionCommand({ ConnectionId: ctx.connectionId, Data: JSON.stringify({ posted: true, endpoint: process.env.ENDPOINT }) }));
    return { statusCode: 200 };
  }
  return { statusCode: 200, body: 'echo:' + event.body };
};
`;

/** The shared function (Handler) and its permission for API Gateway. */
export const HANDLER_RESOURCES = `  Handler:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          EVENTS_FILE: __EVENTS_FILE__
          DISCONNECT_MS: "200"
          ENDPOINT: !Sub https://\${WsApi}.execute-api.\${AWS::Region}.amazonaws.com/prod
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Handler
      Principal: apigateway.amazonaws.com
`;

/** A WebSocket API (WsApi unless named) with a prod stage. */
export function wsApi(id = 'WsApi', expression = '$request.body.action'): string {
  return `  ${id}:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: ${id}
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: ${expression}
  ${id}Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref ${id}
      StageName: prod
  ${id}Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref ${id}
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Handler.Arn}/invocations
`;
}

/** A route of the API to its Lambda integration (or to `target` as written); `twoWay` adds a RouteResponse ($default). */
export function wsRoute(id: string, routeKey: string, options: { api?: string; twoWay?: boolean; extra?: string; target?: string } = {}): string {
  const api = options.api ?? 'WsApi';
  const route = `  ${id}:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref ${api}
      RouteKey: "${routeKey}"
      Target: ${options.target ?? `!Sub integrations/\${${api}Integ}`}
${options.extra ?? ''}`;
  if (!options.twoWay) return route;
  return `${route}  ${id}Response:
    Type: AWS::ApiGatewayV2::RouteResponse
    Properties:
      ApiId: !Ref ${api}
      RouteId: !Ref ${id}
      RouteResponseKey: $default
`;
}

export interface WsApp {
  emulator: RunningEmulator;
  dir: string;
  api: (logicalId?: string) => ServedApi;
  /** Every event the functions recorded so far. */
  events: () => Record<string, unknown>[];
  /** The first recorded event matching, once the emulator has logged a request (or now): bounded by WAIT_MS. */
  waitForEvent: (match: (event: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  /** The next request log entry whose path ends with this route key (the request is over): bounded by WAIT_MS. */
  waitForRequest: (routeKey: string) => Promise<RequestLogEntry>;
  logs: string[];
  close: () => Promise<void>;
}

/** Start the emulator on a template of `resources` (plus the Handler function) in a temp dir. */
export async function startWsApp(resources: string, options: Partial<EmulatorOptions> = {}): Promise<WsApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-e2e-'));
  const eventsFile = join(dir, 'events.jsonl');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.mjs'), HANDLER);
  const template = `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n${resources}${HANDLER_RESOURCES.replace('__EVENTS_FILE__', JSON.stringify(eventsFile))}`;
  writeFileSync(join(dir, 'template.yaml'), template);
  const listeners = new Set<(entry: RequestLogEntry) => void>();
  const logs: string[] = [];
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      templatePath: join(dir, 'template.yaml'),
      port: 0,
      localDir: join(dir, 'local'),
      log: (line) => logs.push(line),
      onNotServed: () => undefined,
      onRequest: (entry) => listeners.forEach((l) => l(entry)),
      ...options,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const events = () => (existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []);
  const waitForEvent = (match: (event: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = events().find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error('no matching event was recorded'));
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  const waitForRequest = (routeKey: string) =>
    bounded(
      new Promise<RequestLogEntry>((resolve) => {
        const check = (entry: RequestLogEntry) => {
          if (!entry.path.endsWith(` ${routeKey}`)) return;
          listeners.delete(check);
          resolve(entry);
        };
        listeners.add(check);
      }),
      `a request to ${routeKey}`,
    );
  return {
    emulator,
    dir,
    api: (logicalId = 'WsApi') => {
      const found = emulator.apis.find((a) => a.kind === 'websocket' && a.logicalId === logicalId);
      if (!found) throw new Error(`no WebSocket API ${logicalId}`);
      return found;
    },
    events,
    waitForEvent,
    waitForRequest,
    logs,
    close: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reject after WAIT_MS unless settled. */
export function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An open client, or the rejection of a refused handshake (its HTTP status as `status`). */
export function connect(url: string, protocols?: string[], options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, options);
  return bounded(
    new Promise<WebSocket>((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    }),
    `the handshake to ${url}`,
  );
}

/** The HTTP status a refused handshake answers (or 101 when it is accepted). */
export function handshakeStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  const ws = new WebSocket(url, options);
  return bounded(
    new Promise<number>((resolve, reject) => {
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      ws.once('error', reject);
    }),
    `the handshake to ${url}`,
  );
}

/** The next text frame the client receives. */
export function nextMessage(ws: WebSocket): Promise<string> {
  return bounded(new Promise<string>((resolve) => ws.once('message', (data: WebSocket.RawData) => resolve(data.toString()))), 'a message');
}

/** The close code and reason the client sees. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === ws.CLOSED) return Promise.reject(new Error('already closed'));
  return bounded(new Promise((resolve) => ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }))), 'the close');
}

/** Send a text message as API Gateway requires one over 32 KB: in frames of at most 32 KB. */
export function sendFragmented(ws: WebSocket, text: string): void {
  const whole = Buffer.from(text);
  for (let at = 0; at < whole.length; at += 32_768) ws.send(whole.subarray(at, at + 32_768), { binary: false, fin: at + 32_768 >= whole.length });
}

/** Send and wait for the answer frame. */
export async function ask(ws: WebSocket, data: unknown): Promise<string> {
  const answer = nextMessage(ws);
  ws.send(typeof data === 'string' ? data : JSON.stringify(data));
  return answer;
}

/** The connection id, from the two-way `whoami` route. */
export async function connectionIdOf(ws: WebSocket): Promise<string> {
  return (JSON.parse(await ask(ws, { action: 'whoami' })) as { connectionId: string }).connectionId;
}

/** The requestContext of a recorded event. */
export const ctx = (event: Record<string, unknown>): Record<string, unknown> => event.requestContext as Record<string, unknown>;

/** The frames (opcode, FIN, payload length) of a server's byte stream after its 101 head: a server's frames are unmasked. */
export function serverFrames(stream: Buffer): { opcode: number; fin: boolean; length: number }[] {
  const frames: { opcode: number; fin: boolean; length: number }[] = [];
  let at = stream.indexOf('\r\n\r\n') + 4;
  while (at + 2 <= stream.length) {
    const len7 = stream[at + 1]! & 0x7f;
    const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const length = len7 === 126 ? stream.readUInt16BE(at + 2) : len7 === 127 ? Number(stream.readBigUInt64BE(at + 2)) : len7;
    frames.push({ opcode: stream[at]! & 0x0f, fin: (stream[at]! & 0x80) !== 0, length });
    at += 2 + ext + length;
  }
  return frames;
}
