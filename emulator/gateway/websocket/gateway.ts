/**
 * A WebSocket API as API Gateway runs it (Developer Guide, "WebSocket APIs"): the handshake on `/<stage>` runs the
 * $connect route (its authorizer, then its integration) before the connection exists; each message is routed by the
 * API's route selection expression; $disconnect runs after the connection is gone; the @connections API lets the
 * backend post to, describe and close a connection. Lambda proxy and MOCK integrations are run.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { InvokeOutcome, LambdaInvoker } from '../../lambda/types.js';
import type { LoadedTemplate } from '../../template/model.js';
import type { WebSocketApiSpec, WebSocketRouteSpec, WebSocketStageSpec } from '../../template/websocket-apis.js';
import type { IamOptions } from '../../identity/iam.js';
import type { Gateway, RequestLogEntry, RouteInfo, SupportItem } from '../types.js';
import { fetchFrom } from '../reply.js';
import { connectEvent, disconnectEvent, messageEvent, webSocketId, type Connection } from './events.js';
import { selectRoute } from './route-selection.js';
import { ConnectionsApi, decoded } from './connections-api.js';
import { authorizeConnect } from './authorize.js';
import { handshakeRefusal, MAX_MESSAGE_BYTES, webSocketError, type HandshakeRefusal } from './errors.js';
import { routeProblem, sourceArnFor } from './routes.js';
import { frameSizeWatch, MAX_FRAME_BYTES, sendInFrames } from './frame-limit.js';
import { mappedResponse, runAwsIntegration, type WebSocketRequest, type WebSocketServices } from './integration-aws.js';

/** How long a connection may stay silent, and live at all, before API Gateway closes it (quotas, "WebSocket APIs"). */
export const IDLE_TIMEOUT_MS = 10 * 60_000;
export const MAX_CONNECTION_MS = 2 * 60 * 60_000;

export interface WebSocketGatewayOptions {
  api: WebSocketApiSpec;
  template: LoadedTemplate;
  invoker: LambdaInvoker;
  iam: IamOptions;
  /** Epoch milliseconds (events' requestTimeEpoch, connectedAt); the system clock by default. */
  now?: () => number;
  /** Timers (idle and lifetime limits); setTimeout by default. Returns a canceller. */
  after?: (ms: number, fn: () => void) => () => void;
  log?: (line: string) => void;
  onRequest?: (entry: RequestLogEntry) => void;
  /** Where AWS (non-proxy) integrations reach the template's services: the embedded ones' endpoints, signed locally. */
  services?: WebSocketServices;
}

interface Live {
  connection: Connection;
  socket: WebSocket;
  cancelTimers: () => void;
  /** The close code and reason API Gateway reports to $disconnect when it closed the connection itself. */
  closedBy?: { code: number; reason: string };
  /** A frame over 32 KB arrived: nothing more the client sends is routed. */
  tooBig?: boolean;
}

const systemAfter = (ms: number, fn: () => void): (() => void) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** One WebSocket API: every stage on one port, as each API has its own execute-api host. */
export class WebSocketGateway implements Gateway {
  readonly routes: RouteInfo[];
  readonly support: SupportItem[];
  readonly fetch: Gateway['fetch'];
  private readonly routeKeys: Set<string>;
  private readonly live = new Map<string, Live>();
  /** The subprotocol each accepted handshake answers with: the one the $connect result's Sec-WebSocket-Protocol header chose. */
  private readonly protocols = new WeakMap<IncomingMessage, string>();
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, handleProtocols: (_offered, req) => this.protocols.get(req) ?? false });
  private readonly connectionsApi: ConnectionsApi;
  private readonly now: () => number;
  private readonly after: (ms: number, fn: () => void) => () => void;
  private readonly log: (line: string) => void;
  private closing = false;
  /** $disconnect invocations under way: close() waits for them, so none outlives the Lambda service. */
  private readonly disconnecting = new Set<Promise<void>>();

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.now = options.now ?? Date.now;
    this.after = options.after ?? systemAfter;
    this.log = options.log ?? ((line) => console.error(line));
    // $connect and $disconnect run on the handshake and the close, never for a message that names them.
    this.routeKeys = new Set(options.api.routes.map((r) => r.routeKey).filter((key) => key !== '$connect' && key !== '$disconnect'));
    this.routes = options.api.routes.map((route) => this.routeInfo(route));
    this.support = [...options.api.notes];
    this.connectionsApi = new ConnectionsApi({
      iam: options.iam,
      now: this.now,
      stages: new Set(options.api.stages.map((s) => s.name)),
      find: (id) => this.live.get(id),
      close: (id) => this.closeConnection(id, 1000, 'Connection Closed Normally'),
      log: this.log,
    });
    this.fetch = fetchFrom((request, connection) => this.respond(request, connection));
  }

  /** Plain HTTP on the API's host: the @connections API, anything else refused as API Gateway refuses it. */
  respond: Gateway['respond'] = (request, connection) => this.connectionsApi.respond(request, connection);

  /** The upgrade request of a client: $connect decides whether the connection is made. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.handshake(req, socket, head).catch((error: unknown) => {
      this.log(`websocket ${this.options.api.logicalId}: the handshake failed: ${error instanceof Error ? error.message : String(error)}`);
      refuse(socket, handshakeRefusal(500));
    });
  }

  /** Close every connection (1001, going away) and run their $disconnect routes. */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.live.keys()].map((id) => this.closeConnection(id, 1001, 'Going away'));
    await Promise.all(all);
    await Promise.all(this.disconnecting);
    this.server.close();
  }

  private routeInfo(route: WebSocketRouteSpec): RouteInfo {
    const fn = route.integration?.type === 'AWS_PROXY' || route.integration?.type === 'AWS' ? this.options.template.functionForUri(route.integration.uri) : undefined;
    const problem = routeProblem(route, this.options.template, this.options.api, this.options.services);
    const resources = [route.location, route.integration?.location].map((at) => /^Resources\.([^.]+)\.Properties$/.exec(at ?? '')?.[1]).filter((id) => id !== undefined);
    const integration = route.integration ? (({ AWS_PROXY: 'aws_proxy', AWS: 'aws', MOCK: 'mock', HTTP: 'http', HTTP_PROXY: 'http_proxy' }) as const)[route.integration.type as 'AWS_PROXY'] ?? 'none' : 'none';
    return {
      method: 'WS',
      path: route.routeKey,
      integration,
      ...(fn ? { functionLogicalId: fn.logicalId } : {}),
      ...(resources.length > 0 ? { resources } : {}),
      ...(route.authorizer ? { authorizer: route.authorizer } : {}),
      ...(route.authorizationType === 'AWS_IAM' ? { iam: true as const } : {}),
      // Not checked locally: the API's notes say so.
      apiKeyRequired: false,
      emulated: problem === undefined,
      ...(problem ? { detail: route.routeKey === '$connect' ? `${problem}; every connection is refused (500)` : problem } : route.twoWay && route.routeKey !== '$connect' && route.routeKey !== '$disconnect' ? { detail: 'two-way: the integration answer is sent back' } : {}),
    };
  }

  private stageOf(req: IncomingMessage): { stage: WebSocketStageSpec; query: [string, string][] } | undefined {
    // An absolute-form target that is no URL (http://[1]/prod) names no stage, as a path naming none does.
    if (!URL.canParse(req.url ?? '/', 'http://local')) return undefined;
    const url = new URL(req.url ?? '/', 'http://local');
    const name = decoded(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''));
    // A path whose escapes do not decode names no stage: refused as any other path.
    if (name === undefined) return undefined;
    const stage = this.options.api.stages.find((s) => s.name === name);
    return stage ? { stage, query: [...url.searchParams.entries()] } : undefined;
  }

  private async handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const started = this.now();
    // RFC 6455 4.2.1: what is no WebSocket handshake is refused before any route runs.
    const invalid = invalidHandshake(req);
    if (invalid) {
      this.log(`websocket ${this.options.api.logicalId}: not a WebSocket handshake (${invalid}): 400`);
      return refuse(socket, handshakeRefusal(400));
    }
    const found = this.stageOf(req);
    if (!found || this.closing) return refuse(socket, handshakeRefusal(403));
    const { api } = this.options;
    const connection: Connection = {
      connectionId: webSocketId(),
      apiId: api.apiId,
      stage: found.stage.name,
      domainName: req.headers.host ?? 'localhost',
      connectedAt: started,
      lastActiveAt: started,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      stageVariables: found.stage.stageVariables,
    };
    const headerPairs = withForwarded(pairs(req.rawHeaders), connection.sourceIp, req);
    const route = api.routes.find((r) => r.routeKey === '$connect');
    const requestId = webSocketId();
    const logLine = (status: number, fn?: string, cold?: boolean) => this.options.onRequest?.({ requestId, method: 'WS', path: `/${connection.stage} $connect`, status, latencyMs: this.now() - started, ...(fn ? { functionLogicalId: fn, cold } : {}) });
    let protocol: string | undefined;
    if (route) {
      // A $connect that cannot run refuses every connection: its authorizer is not run for nothing.
      const problem = routeProblem(route, this.options.template, api, this.options.services);
      if (problem) {
        this.log(`websocket ${api.logicalId} $connect: ${problem}: the connection is refused (500)`);
        logLine(500);
        return refuse(socket, handshakeRefusal(500));
      }
      const authorized = await authorizeConnect({ route, api, template: this.options.template, invoker: this.options.invoker, iam: this.options.iam, req, connection, headerPairs, query: found.query, log: this.log });
      if ('refusal' in authorized) {
        logLine(authorized.refusal.status);
        return refuse(socket, authorized.refusal);
      }
      if (authorized.context) connection.authorizer = authorized.context;
      const event = connectEvent(connection, headerPairs, found.query, started, requestId);
      const outcome = await this.integrate(route, connection, event, { connection, routeKey: '$connect', eventType: 'CONNECT', requestId, now: started, body: '', headers: headerPairs, query: found.query });
      if (outcome.kind !== 'answered') {
        logLine(outcome.status ?? 500, outcome.functionLogicalId);
        return refuse(socket, handshakeRefusal(outcome.status ?? 500));
      }
      // A proxy result's statusCode decides the handshake: anything but 2xx refuses the connection with it.
      if (outcome.statusCode < 200 || outcome.statusCode > 299) {
        logLine(outcome.statusCode, outcome.functionLogicalId, outcome.cold);
        return refuse(socket, { status: outcome.statusCode, body: outcome.body ?? '' });
      }
      protocol = outcome.headers?.['sec-websocket-protocol'];
      logLine(101, outcome.functionLogicalId, outcome.cold);
    } else logLine(101);
    if (socket.destroyed) return;
    if (protocol) this.protocols.set(req, protocol);
    this.server.handleUpgrade(req, socket, head, (ws) => this.opened(ws, connection, socket));
  }

  private opened(socket: WebSocket, connection: Connection, raw: Duplex): void {
    const live: Live = { connection, socket, cancelTimers: () => undefined };
    // Ahead of ws's own reader (which sees the same bytes next): a frame over 32 KB closes the connection before
    // ws could deliver the message it belongs to.
    raw.prependListener(
      'data',
      frameSizeWatch(MAX_FRAME_BYTES, () => {
        live.closedBy ??= { code: 1009, reason: 'Message too big' };
        live.tooBig = true;
        socket.close(1009, 'Message too big');
        const cut = this.after(5_000, () => socket.terminate());
        socket.once('close', cut);
      }),
    );
    this.live.set(connection.connectionId, live);
    let idle = this.after(IDLE_TIMEOUT_MS, () => this.closeConnection(connection.connectionId, 1001, 'Going away'));
    const lifetime = this.after(MAX_CONNECTION_MS, () => this.closeConnection(connection.connectionId, 1001, 'Going away'));
    live.cancelTimers = () => {
      idle();
      lifetime();
    };
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (live.tooBig) return;
      connection.lastActiveAt = this.now();
      idle();
      idle = this.after(IDLE_TIMEOUT_MS, () => this.closeConnection(connection.connectionId, 1001, 'Going away'));
      void this.message(live, toBuffer(data), isBinary);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      const done = this.disconnected(live, code, reason.toString('utf8'));
      this.disconnecting.add(done);
      void done.finally(() => this.disconnecting.delete(done));
    });
    // A protocol error (invalid UTF-8, a message over the limit, a bad frame): the server's close frame is sent, and its
    // code is what $disconnect reports; a client that does not answer it is cut off.
    socket.on('error', (error: Error) => {
      live.closedBy ??= protocolClose(error);
      const cut = this.after(5_000, () => socket.terminate());
      socket.once('close', cut);
    });
  }

  private async message(live: Live, data: Buffer, isBinary: boolean): Promise<void> {
    const started = this.now();
    const { api } = this.options;
    const requestId = webSocketId();
    const text = isBinary ? undefined : data.toString('utf8');
    const routeKey = selectRoute(api.routeSelectionExpression, text, this.routeKeys);
    const route = routeKey === undefined ? undefined : api.routes.find((r) => r.routeKey === routeKey);
    const log = (status: number, fn?: string, cold?: boolean) => this.options.onRequest?.({ requestId, method: 'WS', path: `/${live.connection.stage} ${routeKey ?? '(no route)'}`, status, latencyMs: this.now() - started, ...(fn ? { functionLogicalId: fn, cold } : {}) });
    if (!route) {
      log(403);
      return send(live.socket, webSocketError('Forbidden', live.connection.connectionId, requestId));
    }
    const event = messageEvent(live.connection, route.routeKey, isBinary ? data.toString('base64') : text!, isBinary, started, requestId);
    const messageId = (event.requestContext as { messageId: string }).messageId;
    const outcome = await this.integrate(route, live.connection, event, { connection: live.connection, routeKey: route.routeKey, eventType: 'MESSAGE', requestId, now: started, body: isBinary ? data.toString('base64') : text!, headers: [], query: [], messageId });
    if (outcome.kind !== 'answered') {
      log(outcome.status ?? 500, outcome.functionLogicalId);
      return send(live.socket, webSocketError(outcome.message ?? 'Internal server error', live.connection.connectionId, requestId));
    }
    log(outcome.statusCode, outcome.functionLogicalId, outcome.cold);
    if (route.twoWay && outcome.reply !== undefined) send(live.socket, outcome.reply);
  }

  private async disconnected(live: Live, code: number, reason: string): Promise<void> {
    const { connection } = live;
    if (this.live.get(connection.connectionId) !== live) return;
    this.live.delete(connection.connectionId);
    live.cancelTimers();
    const route = this.options.api.routes.find((r) => r.routeKey === '$disconnect');
    if (!route) return;
    const started = this.now();
    const requestId = webSocketId();
    // The client's close frame, or API Gateway's own reason when it closed the connection; 1005 when the frame had no code.
    const closed = live.closedBy ?? { code, reason: code === 1005 ? 'Client-side close frame status not set' : code === 1006 ? 'Connection closed abnormally' : reason };
    const request: WebSocketRequest = { connection, routeKey: '$disconnect', eventType: 'DISCONNECT', requestId, now: started, body: '', headers: [], query: [] };
    const outcome = await this.integrate(route, connection, disconnectEvent(connection, closed.code, closed.reason, started, requestId), request);
    this.options.onRequest?.({ requestId, method: 'WS', path: `/${connection.stage} $disconnect`, status: outcome.kind === 'answered' ? outcome.statusCode : (outcome.status ?? 500), latencyMs: this.now() - started, ...(outcome.functionLogicalId ? { functionLogicalId: outcome.functionLogicalId } : {}) });
  }

  private closeConnection(id: string, code: number, reason: string): Promise<void> {
    const live = this.live.get(id);
    if (!live) return Promise.resolve();
    live.closedBy ??= { code, reason };
    return new Promise<void>((resolve) => {
      live.socket.once('close', () => setImmediate(resolve));
      live.socket.close(code, reason);
      // A client that does not answer the close frame is cut off, as API Gateway would.
      const cut = this.after(5_000, () => live.socket.terminate());
      live.socket.once('close', cut);
    });
  }

  /** Run a route's integration: a Lambda proxy call or a MOCK; what the client or the handshake gets from it. */
  private async integrate(route: WebSocketRouteSpec, connection: Connection, event: Record<string, unknown>, request: WebSocketRequest): Promise<Integrated> {
    const problem = routeProblem(route, this.options.template, this.options.api, this.options.services);
    if (problem) {
      this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: ${problem}`);
      return { kind: 'failed', status: 500 };
    }
    const integration = route.integration;
    if (!integration || integration.type === 'MOCK') return { kind: 'answered', statusCode: 200 };
    if (integration.type === 'AWS') {
      const answer = await runAwsIntegration(integration, request, this.options.template, this.options.invoker, this.options.services);
      if (answer.ok) {
        const reply = mappedResponse(integration, answer.status, answer.body, request);
        // An error answer no integration response takes: "No match for output mapping and no default output mapping configured".
        if (reply === undefined && (answer.status < 200 || answer.status > 299)) {
          this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: no integration response for status ${answer.status} and no $default: ${answer.body.slice(0, 300)}`);
          return { kind: 'failed', status: 500 };
        }
        return { kind: 'answered', statusCode: answer.status, ...(reply === undefined ? {} : { reply }), ...(answer.functionLogicalId ? { functionLogicalId: answer.functionLogicalId } : {}) };
      }
      this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: ${answer.why}`);
      return { kind: 'failed', status: 500, ...(answer.functionLogicalId ? { functionLogicalId: answer.functionLogicalId } : {}) };
    }
    const fn = this.options.template.functionForUri(integration.uri)!;
    const sourceArn = sourceArnFor(this.options.template, connection, route.routeKey);
    if (!integration.credentials && !this.options.template.apiGatewayMayInvoke(fn.logicalId, sourceArn)) {
      this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: API Gateway has no permission to invoke ${fn.logicalId} for ${sourceArn}: add an AWS::Lambda::Permission for apigateway.amazonaws.com`);
      return { kind: 'failed', status: 500, functionLogicalId: fn.logicalId };
    }
    let outcome: InvokeOutcome;
    try {
      outcome = await this.options.invoker.invoke(fn.logicalId, event, { deadlineMs: integration.timeoutMs });
    } catch (error) {
      this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: the local Lambda service failed: ${error instanceof Error ? error.message : String(error)}`);
      return { kind: 'failed', status: 500, functionLogicalId: fn.logicalId };
    }
    if (outcome.kind === 'deadline-exceeded') {
      this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: ${fn.logicalId} did not answer within ${integration.timeoutMs} ms`);
      return { kind: 'failed', status: 504, message: 'Endpoint request timed out', functionLogicalId: fn.logicalId };
    }
    if (outcome.kind === 'function-error') {
      this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: ${fn.logicalId} failed: ${outcome.errorType}: ${outcome.errorMessage}`);
      return { kind: 'failed', status: 502, functionLogicalId: fn.logicalId };
    }
    const answer = proxyAnswer(outcome.payload);
    if (answer.kind === 'answered') return { ...answer, functionLogicalId: fn.logicalId, cold: outcome.cold };
    this.log(`websocket ${this.options.api.logicalId} ${route.routeKey}: ${fn.logicalId} returned a statusCode that is no HTTP status: a malformed Lambda proxy response (502)`);
    return { ...answer, functionLogicalId: fn.logicalId };
  }
}

type Integrated =
  | { kind: 'answered'; statusCode: number; headers?: Record<string, string>; body?: string; reply?: string | Buffer; functionLogicalId?: string; cold?: boolean }
  | { kind: 'failed'; status?: number; message?: string; functionLogicalId?: string };

/** A Lambda proxy result: statusCode (200 when absent), headers, and the body the client gets on a two-way route. */
function proxyAnswer(payload: unknown): Integrated {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    // Not a proxy result (a string, a number, null): sent as its JSON text.
    return { kind: 'answered', statusCode: 200, ...(payload === undefined ? {} : { reply: typeof payload === 'string' ? payload : JSON.stringify(payload) }) };
  }
  const result = payload as Record<string, unknown>;
  const statusCode = result.statusCode === undefined ? 200 : typeof result.statusCode === 'number' || (typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode)) ? Number(result.statusCode) : Number.NaN;
  // A statusCode that is no HTTP status is a malformed proxy result, as on REST APIs: 502, never a reply.
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return { kind: 'failed', status: 502, message: 'Internal server error' };
  const headers: Record<string, string> = {};
  if (typeof result.headers === 'object' && result.headers !== null) for (const [k, v] of Object.entries(result.headers)) headers[k.toLowerCase()] = String(v);
  const body = result.body === undefined || result.body === null ? undefined : typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  const reply = body === undefined ? undefined : result.isBase64Encoded === true ? Buffer.from(body, 'base64') : body;
  return { kind: 'answered', statusCode, headers, ...(body === undefined ? {} : { body }), ...(reply === undefined ? {} : { reply }) };
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** X-Forwarded-For/Port/Proto as API Gateway's front end adds them (the client's own values kept first in For). */
function withForwarded(headers: [string, string][], sourceIp: string, req: IncomingMessage): [string, string][] {
  const has = (name: string) => headers.findIndex(([n]) => n.toLowerCase() === name);
  const out = headers.map(([n, v]): [string, string] => [n, v]);
  const forIndex = has('x-forwarded-for');
  if (forIndex >= 0) out[forIndex] = [out[forIndex]![0], `${out[forIndex]![1]}, ${sourceIp}`];
  else out.push(['X-Forwarded-For', sourceIp]);
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (has('x-forwarded-port') < 0) out.push(['X-Forwarded-Port', String(req.socket.localPort ?? (encrypted ? 443 : 80))]);
  if (has('x-forwarded-proto') < 0) out.push(['X-Forwarded-Proto', encrypted ? 'https' : 'http']);
  return out;
}

/** Why the upgrade request is no WebSocket opening handshake (RFC 6455 4.2.1), or undefined when it is one. */
function invalidHandshake(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return `method ${req.method ?? ''}`;
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return `Upgrade: ${String(req.headers.upgrade ?? '')}`;
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key.trim())) return 'Sec-WebSocket-Key is not 16 bytes of base64';
  if (req.headers['sec-websocket-version'] !== '13') return `Sec-WebSocket-Version ${String(req.headers['sec-websocket-version'] ?? '(none)')}, not 13`;
  // RFC 6455 4.1: an HTTP/1.1 GET with a Host; the subprotocols offered a list of distinct tokens.
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) return `HTTP/${req.httpVersion}`;
  if (!req.headers.host) return 'no Host header';
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    const offered = protocols.split(',').map((p) => p.trim());
    if (!offered.every((p) => TOKEN.test(p)) || new Set(offered).size !== offered.length) return `Sec-WebSocket-Protocol ${protocols}`;
  }
  return undefined;
}

/** An HTTP token (RFC 9110 5.6.2), what a subprotocol name is. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The close code the server sent for a protocol error (RFC 6455 7.4.1), by the error's code; 1002 when unnamed. */
function protocolClose(error: Error): { code: number; reason: string } {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'WS_ERR_INVALID_UTF8') return { code: 1007, reason: 'Invalid frame payload data' };
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH') return { code: 1009, reason: 'Message too big' };
  if (code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') return { code: 1008, reason: 'Policy violation' };
  return { code: 1002, reason: 'Protocol error' };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A text frame for a string, a binary one for bytes (a proxy result with isBase64Encoded). */
function send(socket: WebSocket, data: string | Buffer): void {
  sendInFrames(socket, data, Buffer.isBuffer(data));
}

/** Answer a refused handshake with a plain HTTP response and close the connection. */
function refuse(socket: Duplex, refusal: HandshakeRefusal): void {
  if (socket.destroyed) return;
  // A $connect result may carry any number: what is no HTTP status goes out as API Gateway's 502.
  if (!Number.isInteger(refusal.status) || refusal.status < 200 || refusal.status > 599) refusal = handshakeRefusal(502);
  const body = Buffer.from(refusal.body);
  const head = [`HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Error'}`, 'Content-Type: application/json', `Content-Length: ${body.byteLength}`, 'Connection: close', '', ''].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head), body]));
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
