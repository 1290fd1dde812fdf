/**
 * An HTTP API's request pipeline (H0.1-H0.4): stage → CORS preflight → route → throttling →
 * authorizer → Lambda integration (payload 2.0 or 1.0). The same Gateway contract, HTTP adapter,
 * Lambda runtime and identity plumbing as REST APIs; what differs lives in this folder.
 */
import { randomUUID } from 'node:crypto';
import type { CognitoPools } from '../../identity/cognito.js';
import type { IamOptions } from '../../identity/iam.js';
import type { InvokeOutcome, LambdaInvoker } from '../../lambda/types.js';
import type { HttpApiSpec, HttpRouteSpec, LoadedTemplate } from '../../template/model.js';
import { qualifierInUri } from '../../template/uris.js';
import { fetchFrom, type Reply } from '../reply.js';
import { headerValue } from '../request-state.js';
import type { ConnectionInfo, Gateway, GatewayRequest, RequestLogEntry } from '../types.js';
import { HttpAuthorization } from './authorization.js';
import type { AwsServiceTarget } from '../integration-aws-service.js';
import { runHttpAwsService } from './integration-aws-service.js';
import { runHttpProxy } from './integration-http-proxy.js';
import { startStreamedProxy } from '../proxy-stream.js';
import { contextValue, mapRequest, mapResponse } from './parameter-mapping.js';
import { accessLogEntry } from '../access-log.js';
import { overRequestLimit, queuedNote } from '../../lambda/types.js';
import { httpHeadRefusal } from '../head-limits.js';
import { applyCors, isPreflight, preflightResponse } from './cors.js';
import { gatewayErrorResponse, HttpGatewayError } from './errors.js';
import { decodedPath, eventV1, eventV2, routedHttpPath, type HttpApiContext } from './events.js';
import { httpRouteReport, httpSourceArn, httpSupportItems, integrationFunction, routeProblem } from './report.js';
import { responseV1, responseV2 } from './response.js';
import { HttpRoutes } from './routing.js';
import { initialHttpState, type HttpRequestState } from './state.js';
import { StageThrottle } from './throttle.js';

export interface HttpGatewayOptions {
  api: HttpApiSpec;
  template: LoadedTemplate;
  invoker: LambdaInvoker;
  /** The template's user pools: the JWT authorizers' local issuers (H7.5). */
  cognito?: CognitoPools;
  /** Epoch milliseconds: JWT times, authorizer caches, throttling. */
  now?: () => number;
  /** AWS_IAM routes: the local credentials, region, account and the signatures' clock. */
  iam?: IamOptions;
  onRequest?: (entry: RequestLogEntry) => void;
  log?: (line: string) => void;
  /** API id → local origin of every API this run serves: an HTTP integration to one's execute-api URL goes there. */
  localApis?: ReadonlyMap<string, string>;
  /** Where AWS service integrations (integrationSubtype) are forwarded and how they are signed. */
  services?: AwsServiceTarget;
}

/** H10.7 [AMBIGUOUS]: the 10 MB payload quota answers 413. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** A function URL whose function Lambda throttled (its ReservedConcurrentExecutions in use) answers 429, where an HTTP API's integration fails (500, H6.7). */
function throttledUrl(logicalId: string, why: string): HttpGatewayError {
  return new HttpGatewayError(429, `${logicalId}: Lambda throttled the invocation: ${why}`);
}

interface Outcome {
  response: Reply;
  /** The gateway's own preflight answer, whose CORS headers are final. */
  preflight?: boolean;
  functionLogicalId?: string;
  cold?: boolean;
}

class HttpPipeline {
  private readonly routes: HttpRoutes;
  readonly authorization: HttpAuthorization;
  private readonly throttles = new Map<string, StageThrottle>();
  private readonly context: HttpApiContext;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: HttpGatewayOptions) {
    this.routes = new HttpRoutes(options.api);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    this.authorization = new HttpAuthorization({ ...options, now: this.now });
    this.context = { accountId: options.template.accountId, apiId: options.api.apiId, ...(options.api.functionUrl ? { functionUrl: true } : {}) };
    for (const stage of options.api.stages) this.throttles.set(stage.name, new StageThrottle(stage, this.now));
  }

  /** H11.6: the integration on the request as its requestParameters map it; its answer as its responseParameters map it (gateway errors are not mapped). */
  private async integrate(state: HttpRequestState, route: HttpRouteSpec): Promise<Outcome> {
    const integration = route.integration!;
    const mapped = integration.requestParameters ? mapRequest(integration.requestParameters, state, this.context) : state;
    const outcome = await this.invokeIntegration(mapped, route);
    if (mapped !== state && mapped.integration) state.integration = mapped.integration;
    const responseMappings = integration.responseParameters;
    return responseMappings ? { ...outcome, response: mapResponse(responseMappings, outcome.response, state, this.context) } : outcome;
  }

  /** H6: an HTTP endpoint, or the Lambda proxy integration, permission checked (H6.8: unless it invokes with a role), answer per payload version. */
  private async invokeIntegration(state: HttpRequestState, route: HttpRouteSpec): Promise<Outcome> {
    const { template } = this.options;
    const integration = route.integration!;
    if (integration.subtype !== undefined || integration.type === 'http_proxy') {
      const started = performance.now();
      const response = integration.subtype !== undefined ? await runHttpAwsService(integration, state, this.context, this.options.services) : await runHttpProxy(integration, state, this.options.localApis);
      // An AWS service's own request id (x-amzn-RequestId, or S3's x-amz-request-id) is `$context.awsEndpointRequestId`.
      const endpointRequestId = integration.subtype !== undefined ? (response.headers.get('x-amzn-requestid') ?? response.headers.get('x-amz-request-id') ?? undefined) : undefined;
      state.integration = { latencyMs: Math.round(performance.now() - started), status: response.status, service: true, ...(endpointRequestId ? { endpointRequestId } : {}) };
      return { response };
    }
    const fn = integrationFunction(integration, template);
    if (!fn) throw new HttpGatewayError(500, `${route.location}: integration uri names no function of the template`);
    const sourceArn = httpSourceArn(template, this.context.apiId, state.stage?.name ?? '$default', route.routeKey, state.method);
    if (!integration.credentials && !template.apiGatewayMayInvoke(fn.logicalId, sourceArn)) {
      throw new HttpGatewayError(500, `${route.location}: API Gateway has no permission to invoke ${fn.logicalId} for ${sourceArn} (H6.8)`);
    }
    const v2 = integration.payloadFormatVersion === '2.0';
    const event = v2 ? eventV2(state, this.context) : eventV1(state, this.context);
    const eventJson = JSON.stringify(event);
    // [AMBIGUOUS] H10.4: Lambda refuses an event over 6 MB (RequestEntityTooLargeException, 413): the HTTP API's
    // invocation fails (500); a function URL passes Lambda's 413 on.
    if (overRequestLimit(eventJson)) {
      throw new HttpGatewayError(this.options.api.functionUrl ? 413 : 500, `${fn.logicalId}: the event is over Lambda's 6 MB invocation limit (RequestEntityTooLargeException)`);
    }
    // A function URL answers with Lambda's own request id (x-amzn-RequestId is the invocation's, as AWS recorded it).
    // Lambda's request id (a function URL's is the request's own): $context.integration.requestId of the access log.
    const ids = { requestId: this.options.api.functionUrl ? state.requestId : randomUUID() };
    // The alias or version the uri names (SAM's AutoPublishAlias one): Lambda runs the function as it.
    const qualifier = qualifierInUri(integration.uri);
    const qualified = qualifier === undefined ? {} : { qualifier };
    if (this.options.api.functionUrl?.invokeMode === 'RESPONSE_STREAM') return this.streamedUrl(fn.logicalId, event, eventJson, integration.timeoutInMillis, state.requestId, qualified);
    const invoked = performance.now();
    const outcome = await this.options.invoker.invoke(fn.logicalId, event, { deadlineMs: integration.timeoutInMillis, eventJson, ...ids, ...qualified }).catch((error: unknown) => {
      // The local Lambda service itself failed (a build error, no interpreter): one line, as a failed integration (H6.7),
      // with the status a failed function gets (a function URL's 502).
      throw new HttpGatewayError(this.failedStatus(), `${fn.logicalId}: the local Lambda service failed: ${error instanceof Error ? error.message : String(error)} (H6.7)`);
    });
    const meta = { functionLogicalId: fn.logicalId, ...('cold' in outcome ? { cold: outcome.cold } : {}) };
    state.integration = { latencyMs: Math.round(performance.now() - invoked), requestId: ids.requestId, ...(outcome.kind === 'function-error' ? { error: `${outcome.errorType}: ${outcome.errorMessage}` } : {}) };
    // [AMBIGUOUS] H10.5: an integration timeout answers 503 Service Unavailable.
    if (outcome.kind === 'deadline-exceeded') throw Object.assign(new HttpGatewayError(503, `${fn.logicalId}: no answer within ${integration.timeoutInMillis} ms${queuedNote(outcome)}`), { meta });
    const failed = this.failedStatus();
    if (outcome.kind === 'function-error' && outcome.throttled && this.options.api.functionUrl) throw Object.assign(throttledUrl(fn.logicalId, outcome.errorMessage), { meta });
    if (outcome.kind === 'function-error') throw Object.assign(new HttpGatewayError(failed, `${fn.logicalId}: ${outcome.errorType}: ${outcome.errorMessage} (H6.7)`), { meta });
    // A streaming function's bytes (Invoke, not InvokeWithResponseStream) are no JSON result: malformed (H6.7).
    const result = outcome.raw ? { ok: false as const, reason: 'the function streams its response; the integration invoked it without streaming' } : v2 ? responseV2(outcome.payload, this.options.api.functionUrl !== undefined) : responseV1(outcome.payload);
    if (!result.ok) throw Object.assign(new HttpGatewayError(failed, `${fn.logicalId}: ${result.reason} (H6.7)`), { meta });
    state.integration.status = result.response.status;
    return { response: result.response, ...meta };
  }

  /** H6.7: a failed or malformed invocation is 500 on an HTTP API; a function URL answers 502 (choice, README). */
  private failedStatus(): 500 | 502 {
    return this.options.api.functionUrl ? 502 : 500;
  }

  /**
   * A function URL with InvokeMode RESPONSE_STREAM: the answer starts with the function's prelude
   * (`awslambda.HttpResponseStream.from`), or with its first bytes when it writes none (200); the body follows as written.
   */
  private async streamedUrl(logicalId: string, event: unknown, eventJson: string, timeout: number, requestId: string, qualified: { qualifier?: string }): Promise<Outcome> {
    let cold: boolean | undefined;
    let invocation: Promise<InvokeOutcome> | undefined;
    const start = await startStreamedProxy(
      async (onChunk) => {
        invocation = this.options.invoker.invoke(logicalId, event, { deadlineMs: timeout, eventJson, onChunk, requestId, ...qualified });
        const outcome = await invocation;
        if ('cold' in outcome) cold = outcome.cold;
        return outcome;
      },
      [],
      { preludeOptional: true },
    );
    const meta = { functionLogicalId: logicalId, ...(cold !== undefined ? { cold } : {}) };
    if (start.kind === 'reply') {
      // A failure after the answer started only cuts the stream: logged when it comes, as nothing else says it.
      void invocation?.then((outcome) => outcome.kind === 'function-error' && this.log(`[${requestId}] ${logicalId}: ${outcome.errorType}: ${outcome.errorMessage}`), () => undefined);
      return { response: start.reply, ...meta };
    }
    if (start.kind === 'malformed') throw Object.assign(new HttpGatewayError(this.failedStatus(), `${logicalId}: ${start.reason}`), { meta });
    if (start.outcome.kind === 'deadline-exceeded') throw Object.assign(new HttpGatewayError(503, `${logicalId}: no answer within ${timeout} ms`), { meta });
    if (start.outcome.kind === 'function-error' && start.outcome.throttled) throw Object.assign(throttledUrl(logicalId, start.outcome.errorMessage), { meta });
    const why = start.outcome.kind === 'function-error' ? `${start.outcome.errorType}: ${start.outcome.errorMessage}` : 'no answer';
    throw Object.assign(new HttpGatewayError(this.failedStatus(), `${logicalId}: ${why}`), { meta });
  }

  /** H0.1 stage, H0.2 preflight, H3.4 route, H0.4 throttling, H0.3 authorizer, then the integration. */
  private async handle(request: GatewayRequest, state: HttpRequestState): Promise<Outcome> {
    if (Number(headerValue(state.headers, 'content-length') ?? 0) > MAX_PAYLOAD_BYTES) throw new HttpGatewayError(413);
    state.body = new Uint8Array(await request.arrayBuffer());
    if (state.body.byteLength > MAX_PAYLOAD_BYTES) throw new HttpGatewayError(413);
    // H4.3: an HTTP API routes on the path decoded once (its variables are decoded once more); a function URL has one route.
    const routed = this.options.api.functionUrl ? state.rawPath : routedHttpPath(state.rawPath);
    if (routed === undefined) throw new HttpGatewayError(400, `the path ${state.rawPath} does not percent-decode twice (H4.3)`);
    if (!this.options.api.functionUrl) state.routedPath = routed;
    const stage = this.routes.stage(routed);
    if (!stage) throw new HttpGatewayError(404, `no stage serves ${routed} (H0.1)`);
    state.stage = stage.stage;
    state.path = stage.path;
    const match = this.routes.route(state.method, stage.path);
    if (match?.pathParameters && !this.options.api.functionUrl) {
      match.pathParameters = Object.fromEntries(Object.entries(match.pathParameters).map(([name, value]) => [name, decodedPath(value)]));
    }
    // [AMBIGUOUS] H0.2: the gateway answers a preflight only when no route (not even $default) takes the OPTIONS; a
    // function URL's (all $default) are answered from its Cors configuration without invoking the function.
    const answersPreflight = !match || this.options.api.functionUrl !== undefined;
    if (this.options.api.cors && isPreflight(state.method, state.headers) && answersPreflight) return { response: preflightResponse(this.options.api.cors, state.headers, this.options.api.functionUrl === undefined), preflight: true };
    if (!match) throw new HttpGatewayError(404, `no route for ${state.method} ${stage.path} (H3.4)`);
    const missing = this.options.api.functionUrl?.missingPermissions;
    if (missing) throw new HttpGatewayError(403, `the function's resource-based policy grants no public ${missing.join(' and ')} (Principal "*"): a URL with AuthType NONE refuses every request`);
    state.match = match;
    // [AMBIGUOUS] H0.4: throttling is applied before the authorizer.
    if (!this.throttles.get(stage.stage.name)!.take(match.route.routeKey)) throw new HttpGatewayError(429, `${match.route.routeKey} throttled (H11.2)`);
    const unsupported = this.authorization.unsupported(match.route);
    if (unsupported) {
      this.authorization.refuseMissingJwt(state, match.route, this.context);
      throw new HttpGatewayError(500, `${match.route.routeKey}: not emulated: ${unsupported}`);
    }
    // An integration that is not emulated answers 500 only once the route's authorization has had its say (H0.3).
    await this.authorization.run(state, match.route, this.context);
    const problem = routeProblem(match.route, this.options.template, this.options.services?.endpoints);
    if (problem) throw new HttpGatewayError(500, `${match.route.routeKey}: not emulated: ${problem}`);
    return this.integrate(state, match.route);
  }

  private failure(error: unknown, state: HttpRequestState): Outcome {
    const meta = (error as { meta?: Omit<Outcome, 'response'> }).meta ?? {};
    state.errorMessage = error instanceof HttpGatewayError ? error.message : 'Internal Server Error';
    if (error instanceof HttpGatewayError) {
      if (error.log) this.log(`[${state.requestId}] ${error.log}`);
      return { response: gatewayErrorResponse(error, this.options.api.functionUrl !== undefined), ...meta };
    }
    this.log(`[${state.requestId}] ${state.method} ${state.rawPath}: ${(error as Error).stack ?? String(error)}`);
    return { response: gatewayErrorResponse(new HttpGatewayError(500)), ...meta };
  }

  async respond(request: GatewayRequest, connection?: ConnectionInfo): Promise<Reply> {
    const started = performance.now();
    const state = initialHttpState(request, connection, this.now());
    // A function URL's request id is Lambda's, a UUID (as live events show), not API Gateway's.
    if (this.options.api.functionUrl) state.requestId = randomUUID();
    let outcome: Outcome;
    try {
      // H10.7 is API Gateway's: Lambda documents no such limit for function URLs (node's own cap applies to them).
      const refused = this.options.api.functionUrl || connection?.headChecked ? undefined : httpHeadRefusal(request, connection);
      outcome = refused ? { response: refused } : await this.handle(request, state);
    } catch (error) {
      outcome = this.failure(error, state);
    }
    // [AMBIGUOUS] H9.6: gateway errors carry the CORS headers too, so that browsers can read them.
    const response = outcome.preflight ? outcome.response : applyCors(this.options.api.cors, state.headers, outcome.response, state.method);
    // A function URL's answers carry Lambda's request id header, an HTTP API's its own (H10.8).
    response.headers.set(this.options.api.functionUrl ? 'x-amzn-RequestId' : 'apigw-requestid', state.requestId);
    const onRequest = this.options.onRequest;
    if (onRequest) {
      const latencyMs = Math.round(performance.now() - started);
      const accessLog = state.stage?.accessLog;
      onRequest({
        requestId: state.requestId,
        method: state.method,
        path: state.rawPath,
        status: response.status,
        latencyMs,
        ...(outcome.functionLogicalId ? { functionLogicalId: outcome.functionLogicalId } : {}),
        ...(outcome.cold !== undefined ? { cold: outcome.cold } : {}),
        ...(accessLog ? { accessLog: accessLogEntry(accessLog, httpAccessLogValues(state, this.context, response, latencyMs)) } : {}),
      });
    }
    return response;
  }
}

/** H11.5: `$context` of an HTTP API request as its access log reads it (a mapping's variables plus the answer's figures). */
function httpAccessLogValues(state: HttpRequestState, api: HttpApiContext, response: Reply, latencyMs: number): (name: string) => string | undefined {
  const integration = state.integration;
  const figures: Record<string, string | undefined> = {
    // A request no route matched logs `-` as its route key; a mapping never sees one (it runs on a matched route).
    routeKey: state.match ? state.match.route.routeKey : undefined,
    status: String(response.status),
    responseLength: response.stream ? undefined : String(response.bytes().byteLength),
    responseLatency: String(latencyMs),
    dataProcessed: response.stream ? undefined : String(state.body.byteLength + response.bytes().byteLength),
    'error.message': state.errorMessage,
    'error.messageString': state.errorMessage === undefined ? undefined : JSON.stringify(state.errorMessage),
    'integration.latency': integration ? String(integration.latencyMs) : undefined,
    integrationLatency: integration ? String(integration.latencyMs) : undefined,
    'integration.status': integration?.status === undefined ? undefined : String(integration.status),
    // Lambda's own answer (200) for a Lambda integration; an endpoint's status is the integration's.
    integrationStatus: integration ? (integration.service ? String(integration.status) : '200') : undefined,
    'integration.integrationStatus': integration ? (integration.service ? String(integration.status) : '200') : undefined,
    'integration.error': integration?.error,
    'integration.requestId': integration?.requestId,
    awsEndpointRequestId: integration?.endpointRequestId,
    integrationErrorMessage: integration?.error,
  };
  return (name) => (name in figures ? figures[name] : contextValue(name, state, api));
}

/** Builds the gateway of one HTTP API (all its stages on one host, H3.1). */
export function createHttpGateway(options: HttpGatewayOptions): Gateway {
  const pipeline = new HttpPipeline(options);
  const respond: Gateway['respond'] = (request, connection) => pipeline.respond(request, connection);
  return {
    routes: httpRouteReport(options.api, options.template, (route) => pipeline.authorization.unsupported(route), options.services?.endpoints),
    support: httpSupportItems(options.api, (spec) => pipeline.authorization.authorizerProblem(spec)),
    respond,
    fetch: fetchFrom(respond),
    ...(options.api.functionUrl ? {} : { headRefusal: httpHeadRefusal }),
  };
}
