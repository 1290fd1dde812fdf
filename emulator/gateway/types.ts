/** The boundary between the HTTP adapter / CLI and the framework-free gateway core. */
import type { AccessLogLine } from './access-log.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import type { LambdaInvoker } from '../lambda/types.js';
import type { Reply } from './reply.js';

/** One line of the per-request log. */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  functionLogicalId?: string;
  cold?: boolean;
  /** The stage's access log line for this request (its AccessLogSetting, H11.5), when it has one. */
  accessLog?: AccessLogLine;
  /** The client closed the connection before its request was whole: nothing answered (status 499, nginx's "client closed request"). */
  clientClosed?: true;
}

/** Emulated or not: what the startup report says about each route and each x-amazon-apigateway-* key. */
export interface SupportItem {
  /** e.g. "GET /tasks/{taskId}" or "x-amazon-apigateway-integration.cacheKeyParameters" */
  subject: string;
  /** where in the document it was found, e.g. "paths./tasks.get" */
  location: string;
  status: 'emulated' | 'not-emulated' | 'ignored';
  detail?: string;
}

export interface RouteInfo {
  method: string;
  path: string;
  integration: 'aws_proxy' | 'aws' | 'mock' | 'http' | 'http_proxy' | 'aws-service' | 'none';
  functionLogicalId?: string;
  authorizer?: string;
  /** The route uses IAM (SigV4) authorization. */
  iam?: true;
  apiKeyRequired: boolean;
  /** false when the route needs something the emulator does not do yet; it then answers 500 (never passes through). */
  emulated: boolean;
  detail?: string;
  /** The template resources that declare the route and its integration (AWS::ApiGateway::Method, AWS::ApiGatewayV2::Route and Integration), if any. */
  resources?: string[];
}

export interface GatewayOptions {
  api: ApiSpec;
  template: LoadedTemplate;
  invoker: LambdaInvoker;
  onRequest?: (entry: RequestLogEntry) => void;
  /** Extra stages for identity (authorizers, API keys) plugged in by part 2; see pipeline.ts. */
}

/** What the HTTP adapter knows beyond the Request: the peer address and the header names as sent (R1.13). */
export interface ConnectionInfo {
  remoteAddress?: string;
  /** node's req.rawHeaders ([name, value, name, value...]) with the client's header-name case. */
  rawHeaders?: string[];
  /** The request target as sent (path and query), for the limits on its length (R11.15, H10.7): the URL re-encodes some characters. */
  target?: string;
  /** The adapter has asked `headRefusal` already (before reading the body): `respond` does not check the head again. */
  headChecked?: boolean;
  /** The method as sent when a Fetch Request cannot carry it (TRACE, CONNECT, TRACK, or a token node's parser refuses). */
  method?: string;
  /**
   * The target's path as sent (R1.11): a URL's path has `..` and `.` segments resolved and `\` read as `/`, which API
   * Gateway does not do. Only bytes that are no visible ASCII are percent-encoded.
   */
  path?: string;
}

/**
 * What the pipeline reads of a request. A Fetch Request is one; the node:http adapter passes a lighter object,
 * since building a Request (its URL, its Headers copy, its AbortSignal) cost more than the pipeline reads of it.
 */
export interface GatewayRequest {
  readonly method: string;
  /** Absolute: the Host the client sent, then the target. */
  readonly url: string;
  readonly headers: Headers;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface Gateway {
  /** API Gateway's request pipeline, answering with the Reply it built (what the node:http adapter writes). */
  respond(request: GatewayRequest, connection?: ConnectionInfo): Promise<Reply>;
  /** The same pipeline as a standard Request in, a standard Response out. */
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /**
   * The answer to a request refused from its head alone (R11.15, H10.7), asked by the node:http adapter before it
   * reads the body: no `100 Continue` for it, and no wait for a body it will not read. `respond` refuses it too.
   */
  headRefusal?(request: GatewayRequest, connection?: ConnectionInfo): Reply | undefined;
  routes: RouteInfo[];
  support: SupportItem[];
}
