/**
 * API Gateway REST's request pipeline (reference 0.1): stage + route → identity → validation → integration.
 * Framework-free: a request in (a Fetch Request or the adapter's lighter one), a Reply out (`fetch`: a Fetch Response).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDbTarget } from '../services/dynamodb.js';
import type { FunctionSpec, OpenApiDocument } from '../template/model.js';
import { isStreamingUri } from '../template/uris.js';
import { accessLogEntry, accessLogValues, destinationName, unfilledVariablesItem } from './access-log.js';
import { contextVariables, type ApiEnvironment } from './context.js';
import { GatewayError, gatewayResponse, integrationGatewayHeaders, MAX_PAYLOAD_BYTES, payloadTooLarge } from './gateway-responses.js';
import type { CacheHook, FirewallHook, LimitsHook } from './hooks.js';
import { restHeadRefusal } from './head-limits.js';
import { systemClock, type Clock } from '../limits/clock.js';
import { cognitoTokenHeader, methodSecurity, type IdentityStage, type MethodSecurity } from './identity.js';
import { jwtShapeProblem } from '../identity/jwt-authorizer.js';
import { dynamoDbAction, runDynamoDb } from './integration-dynamodb.js';
import { runAwsService, type AwsServiceTarget } from './integration-aws-service.js';
import { mappedTenantId, runLambda } from './integration-lambda.js';
import { runHttp, runHttpProxy } from './integration-http.js';
import { runMock } from './integration-mock.js';
import { integrationParameters } from './integration-parameters.js';
import { integrationTimeout } from './integration-request.js';
import type { MethodResponse } from './integration-response.js';
import { buildProxyEvent } from './proxy-event.js';
import { base64TextNote, parseProxyResponse, proxyResultToResponse } from './proxy-response.js';
import { startStreamedProxy } from './proxy-stream.js';
import { convertRequest, convertResponseBody } from './content-handling.js';
import { acceptIsBinary, headerValue, newExtendedRequestId, newRequestId, readHeaders, readQuery, type RequestState } from './request-state.js';
import { BodyValidator, validateRequest } from './request-validation.js';
import { splitStage } from './router.js';
import { incompleteAuthorization } from '../services/sigv4.js';
import { buildRouter, integrationType, type OperationRoute } from './routes.js';
import type { Router } from './router.js';
import { extensionItems, identityNotEmulated, integrationNotEmulated, isLambdaUri, routeReport } from './support-report.js';
import type { ConnectionInfo, Gateway, GatewayOptions, GatewayRequest, SupportItem } from './types.js';
import { undeclaredHeaderItems } from './undeclared-headers.js';
import { binaryRequestTemplateItems } from './binary-request-templates.js';
import { VtlError } from './vtl/engine.js';
import { invokeLambda, lambdaQualifier, lambdaTarget } from './lambda-target.js';
import { overRequestLimit, queuedNote, type InvokeOutcome } from '../lambda/types.js';
import { integrationTraceHeader, traceFor } from './trace.js';
import { fetchFrom, Reply } from './reply.js';

export interface PipelineOptions extends GatewayOptions {
  /** Part 2's authorizer + API key stage; without it, secured methods answer 500 "not emulated yet". */
  identity?: IdentityStage;
  /** Emulator diagnostics (never sent to clients); console.error by default. */
  log?: (line: string) => void;
  /** Embedded AWS services reached by `type: aws` service integrations (reference 12), and where other services' calls are forwarded. */
  services?: { dynamodb?: DynamoDbTarget; aws?: AwsServiceTarget };
  /** Throttling and quotas (section 6, emulator/limits/); without it nothing is throttled. */
  limits?: LimitsHook;
  /** The stage cache (section 9, emulator/limits/); without it nothing is cached. */
  cache?: CacheHook;
  /** The stage's WAF web ACL (W1, emulator/waf/); without it nothing is filtered. */
  firewall?: FirewallHook;
  /** When each request arrives (requestTimeEpoch, requestTime, the trace Root's epoch, R1.24, R3.20); the system clock by default. */
  clock?: Clock;
  /** The APIs served beside this one, by API id, at their local origins: an HTTP integration to their execute-api URL reaches them. */
  localApis?: ReadonlyMap<string, string>;
}

interface Outcome {
  response: Reply;
  functionLogicalId?: string;
  cold?: boolean;
}

interface RouteFacts {
  security: MethodSecurity;
  identityNotEmulated: string | undefined;
  integrationNotEmulated: string | undefined;
}

function binaryMediaTypes(doc: OpenApiDocument): string[] {
  const raw = doc['x-amazon-apigateway-binary-media-types'];
  return Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/~1/g, '/')) : [];
}

function stageSupportItems(options: PipelineOptions): SupportItem[] {
  const items: SupportItem[] = [];
  const where = `${options.api.logicalId} stage ${options.api.stageName}`;
  if (options.api.cacheClusterEnabled && !options.cache) items.push({ subject: 'CacheClusterEnabled', location: where, status: 'not-emulated', detail: 'stage caching is not emulated' });
  if (options.api.accessLog) {
    items.push({ subject: 'AccessLogSetting', location: where, status: 'emulated', detail: `each request's line (its Format's $context variables) in the request log, under ${destinationName(options.api.accessLog.destinationArn)}` });
    items.push(...unfilledVariablesItem(options.api.accessLog, where));
  }
  if (options.api.methodSettings.length > 0 && !(options.limits && options.cache)) items.push({ subject: 'MethodSettings', location: where, status: 'not-emulated', detail: 'throttling/caching settings are reported, not enforced' });
  return items;
}

/** `$context` of a REST request as its access log reads it: requestContext, identity, authorizer, error, and the answer's figures. */
function restAccessLogValues(state: RequestState, env: ApiEnvironment, response: Reply, latencyMs: number): (name: string) => string | undefined {
  const { requestOverride: _req, responseOverride: _res, error, ...context } = contextVariables(state, env, state.gatewayError);
  const values = accessLogValues({ ...context, ...(state.gatewayError ? { error } : {}) });
  values.set('status', String(response.status));
  if (!response.stream) values.set('responseLength', String(response.bytes().byteLength));
  values.set('responseLatency', String(latencyMs));
  if (state.integration) {
    values.set('integrationLatency', String(state.integration.latencyMs));
    values.set('integration.latency', String(state.integration.latencyMs));
    // What Lambda's Invoke answered (200, a function error included), or the backend's own status.
    const invokeStatus = state.integration.service ? state.integration.status : 200;
    if (invokeStatus !== undefined) {
      values.set('integrationStatus', String(invokeStatus));
      values.set('integration.integrationStatus', String(invokeStatus));
    }
    if (state.integration.status !== undefined) values.set('integration.status', String(state.integration.status));
    if (state.integration.requestId !== undefined) values.set('integration.requestId', state.integration.requestId);
  }
  return (name) => values.get(name);
}

/** One API stage's pipeline; methods are the stages of reference 0.1. */
class Pipeline {
  private readonly doc: OpenApiDocument;
  private readonly log: (line: string) => void;
  private readonly router: Router<OperationRoute>;
  private readonly bodies: BodyValidator;
  private readonly env: ApiEnvironment;
  private readonly binaries: string[];
  private readonly routeFacts = new WeakMap<OperationRoute, RouteFacts>();

  constructor(private readonly options: PipelineOptions) {
    const { api, template } = options;
    this.doc = api.openapi;
    this.log = options.log ?? ((line: string) => console.error(line));
    const { router } = buildRouter(this.doc, api.openapiSource);
    this.router = router;
    this.bodies = new BodyValidator(this.doc);
    this.env = {
      accountId: template.accountId,
      apiId: api.restApiId,
      stageVariables: api.stageVariables,
      ...(options.localApis ? { localApis: options.localApis } : {}),
      ...(api.resourceIds ? { resourceIds: api.resourceIds } : {}),
    };
    this.binaries = binaryMediaTypes(this.doc);
  }

  /** R1: Lambda proxy integration, payload 1.0. */
  private async proxy(op: OperationRoute, state: RequestState): Promise<Outcome> {
    const integration = op.integration ?? {};
    const fn = lambdaTarget(op, state, this.env, this.options.template);
    // R2.10: with a proxy only its run-time refusals show, and the tenant id Lambda takes.
    const tenant = mappedTenantId(integrationParameters(integration, state, this.env, true).header);
    const event = buildProxyEvent(state, this.env, this.binaries);
    const eventJson = JSON.stringify(event);
    if (overRequestLimit(eventJson)) throw new GatewayError('REQUEST_TOO_LARGE');
    const timeout = integrationTimeout(integration);
    if (isStreamingUri(integration.uri)) return this.streamedProxy(fn, event, eventJson, timeout, state, tenant);
    const invoked = performance.now();
    // Lambda's request id for this invocation: $context.integration.requestId of the access log.
    const requestId = randomUUID();
    const outcome = await invokeLambda(this.options.invoker, fn, event, timeout, { eventJson, traceHeader: integrationTraceHeader(state.trace), requestId, ...tenant, ...lambdaQualifier(op, this.env) });
    state.integration = { latencyMs: Math.round(performance.now() - invoked), requestId };
    const meta = { functionLogicalId: fn.logicalId, ...('cold' in outcome ? { cold: outcome.cold } : {}) };
    if (outcome.kind === 'deadline-exceeded') {
      throw Object.assign(new GatewayError('INTEGRATION_TIMEOUT', { log: `${fn.logicalId}: no answer within ${timeout} ms${queuedNote(outcome)}` }), { meta });
    }
    // [AMBIGUOUS R1.57] Lambda errors and malformed results answer 502 through DEFAULT_5XX's customisation.
    const lambdaFailure = (why: string) => Object.assign(new GatewayError('DEFAULT_5XX', { status: 502, log: `${fn.logicalId}: ${why}` }), { meta });
    if (outcome.kind === 'function-error') throw lambdaFailure(`${outcome.errorType}: ${outcome.errorMessage}`);
    const parsed = parseProxyResponse(outcome.payload, outcome.payloadJson?.length);
    if (!parsed.ok) throw lambdaFailure(parsed.reason);
    state.integration.status = parsed.result.status;
    const binary = acceptIsBinary(state.headers, this.binaries);
    // Not an error on AWS either, but the client gets base64 text where the function meant bytes: say why.
    if (parsed.result.isBase64Encoded && !binary) this.log(`[${state.requestId}] ${fn.logicalId}: ${base64TextNote(headerValue(state.headers, 'accept'), this.binaries)}`);
    try {
      return { response: proxyResultToResponse(parsed.result, binary, integrationGatewayHeaders(state)), ...meta };
    } catch (error) {
      throw Object.assign(error as Error, { meta });
    }
  }

  /**
   * Response streaming (responseTransferMode STREAM): the answer starts once the function's prelude has come, its
   * body follows as the function writes it. Before that, failures answer as on a buffered proxy (502, 504); after,
   * a failure ends the stream where it was.
   */
  private async streamedProxy(fn: FunctionSpec, event: unknown, eventJson: string, timeout: number, state: RequestState, tenant: { tenantId?: string }): Promise<Outcome> {
    let cold: boolean | undefined;
    let invocation: Promise<InvokeOutcome> | undefined;
    const start = await startStreamedProxy(async (onChunk) => {
      invocation = this.options.invoker.invoke(fn.logicalId, event, { deadlineMs: timeout, eventJson, onChunk, traceHeader: integrationTraceHeader(state.trace), ...tenant });
      const outcome = await invocation;
      if ('cold' in outcome) cold = outcome.cold;
      return outcome;
    }, integrationGatewayHeaders(state));
    const meta = { functionLogicalId: fn.logicalId, ...(cold !== undefined ? { cold } : {}) };
    if (start.kind === 'reply') {
      // A failure after the answer started only cuts the stream: logged when it comes (one before it is the 502's log, once).
      void invocation?.then((outcome) => outcome.kind === 'function-error' && this.log(`[${state.requestId}] ${fn.logicalId}: ${outcome.errorType}: ${outcome.errorMessage}`), () => undefined);
      return { response: start.reply, ...meta };
    }
    if (start.kind === 'malformed') throw Object.assign(new GatewayError('DEFAULT_5XX', { status: 502, log: `${fn.logicalId}: ${start.reason}` }), { meta });
    if (start.outcome.kind === 'deadline-exceeded') throw Object.assign(new GatewayError('INTEGRATION_TIMEOUT', { log: `${fn.logicalId}: no answer within ${timeout} ms` }), { meta });
    const failed = start.outcome.kind === 'function-error' ? start.outcome : undefined;
    const why = failed ? `${failed.errorType}: ${failed.errorMessage}` : 'no prelude';
    // R1.55: Lambda's throttle and refusal of the request are 500, as on a buffered proxy (lambda-target.ts invokeLambda).
    const status = failed?.throttled || failed?.refused ? 500 : 502;
    throw Object.assign(new GatewayError('DEFAULT_5XX', { status, log: `${fn.logicalId}: ${why}` }), { meta });
  }

  /** What every request of a route shares, worked out at its first request: its security, and why it is not emulated, if so. */
  private factsOf(op: OperationRoute): RouteFacts {
    let facts = this.routeFacts.get(op);
    if (!facts) {
      facts = {
        security: methodSecurity(this.doc, op.operation),
        identityNotEmulated: identityNotEmulated(this.doc, op, this.options.identity),
        integrationNotEmulated: integrationNotEmulated(op, this.options.template, this.env.stageVariables, this.options.services?.aws?.endpoints),
      };
      this.routeFacts.set(op, facts);
    }
    return facts;
  }

  /** After routing: identity (R0.3/R0.4), throttling and quota (R0.4, R6), validation (R0.5), cache (R9), integration; each not-emulated guard where AWS would reach it. */
  private async route(state: RequestState, op: OperationRoute): Promise<Outcome> {
    const identity = this.options.identity;
    const notEmulated = (reason: string | undefined) => {
      if (reason) throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.method} ${op.resourcePath}: not emulated yet: ${reason}` });
    };
    const facts = this.factsOf(op);
    const security = facts.security;
    // R7.21: a request without a Cognito token (or with one that is no JWT) is refused before any pool is asked, so a
    // pool the gateway cannot verify tokens of (one outside the template) still answers it as AWS does.
    const tokenHeader = facts.identityNotEmulated ? cognitoTokenHeader(security) : undefined;
    const tokenProblem = tokenHeader ? jwtShapeProblem(headerValue(state.headers, tokenHeader)) : undefined;
    if (tokenProblem) {
      throw new GatewayError('UNAUTHORIZED', { log: `${op.method} ${op.resourcePath}: ${tokenHeader}: ${tokenProblem} (R7.21); a JWT would answer 500: not emulated yet: ${facts.identityNotEmulated}` });
    }
    notEmulated(facts.identityNotEmulated);
    if (identity && (security.authorizer || security.apiKeyRequired)) {
      const outcome = await identity.run(state, security, op);
      if (!outcome.ok) throw outcome.error;
    }
    const refused = this.options.limits?.admit(state, op, security.apiKeyRequired);
    if (refused) throw refused;
    validateRequest(this.doc, this.bodies, op, state);
    notEmulated(facts.integrationNotEmulated);
    const cache = this.options.cache;
    const hit = cache?.lookup(state, op);
    if (hit) return { response: hit };
    const outcome = await this.integrate(op, state);
    return cache ? { ...outcome, response: cache.store(state, op, outcome.response) } : outcome;
  }

  /** The method's integration (R1-R4, R12); a non-proxy one gets the request and gives the answer as R2.11 converts them. */
  private async integrate(op: OperationRoute, state: RequestState): Promise<Outcome> {
    const type = integrationType(op);
    if (type === 'aws_proxy') return this.proxy(op, state);
    if (type === 'http_proxy') return { response: await runHttpProxy(op, state, this.env) };
    const input = convertRequest(op.integration ?? {}, state, this.binaries, op.location);
    const answer = (method: MethodResponse, traced = true): Reply => methodResponse(method, state, this.binaries, op.location, traced);
    // `$context.integrationLatency` of a backend that answered (the access log's; a mock calls none).
    const started = performance.now();
    // The endpoint's status lands on the request the integration was given, a converted copy when R2.11 converted it.
    const endpointStatus = () => input.endpointStatus ?? state.endpointStatus;
    const timed = <T>(result: T, service = true): T => {
      const requestId = state.integration?.requestId;
      state.integration = { latencyMs: Math.round(performance.now() - started), ...(requestId ? { requestId } : {}), ...(service ? { service } : {}), ...(service && endpointStatus() !== undefined ? { status: endpointStatus() } : {}) };
      return result;
    };
    if (type === 'aws' && dynamoDbAction(op.integration?.uri)) return { response: answer(timed(await runDynamoDb(op, input, this.env, this.options.services?.dynamodb))) };
    if (type === 'http') return { response: answer(timed(await runHttp(op, input, this.env, this.binaries))) };
    if (type === 'aws' && !isLambdaUri(op.integration?.uri)) return { response: answer(timed(await runAwsService(op, input, this.env, this.options.services?.aws, this.binaries))) };
    if (type === 'aws') {
      const run = timed(await runLambda(op, input, this.env, this.options.invoker, this.options.template), false);
      return { ...run, response: answer(run.response) };
    }
    // A mock integration calls no backend, so its answer carries no X-Ray trace header (as recorded against AWS).
    return { response: answer(runMock(op, input, this.env), false) };
  }

  /** R8.8 size check, the WAF web ACL (W1.4), then R11.1/R0.1 stage and route match before anything else. */
  private async handle(request: GatewayRequest, state: RequestState): Promise<Outcome> {
    if (Number(headerValue(state.headers, 'content-length') ?? 0) > MAX_PAYLOAD_BYTES) return { response: payloadTooLarge(state) };
    state.body = new Uint8Array(await request.arrayBuffer());
    if (state.body.byteLength > MAX_PAYLOAD_BYTES) return { response: payloadTooLarge(state) };
    const filtered = this.options.firewall?.inspect(state);
    if (filtered instanceof Reply) return { response: filtered };
    if (filtered) throw filtered;
    const split = splitStage(state.contextPath, this.options.api.stageName);
    if (!split) throw noRoute(state, this.stageHint(state));
    const match = this.router.match(state.httpMethod, split.path);
    if (!match) throw noRoute(state);
    state.path = split.path;
    state.route = match;
    return this.route(state, match.route);
  }

  /**
   * R11.2 answers a path without the stage 403, as AWS does; `sam local start-api` serves REST routes without it, so a
   * request that would match a route under the stage is told where it is, in the log only.
   */
  private stageHint(state: RequestState): string | undefined {
    const stage = this.options.api.stageName;
    const { httpMethod: method, contextPath: path } = state;
    const first = path.split('/').find((segment) => segment !== '') ?? '';
    if (first !== stage && first.toLowerCase() === stage.toLowerCase()) {
      return `${method} ${path}: no stage "${first}"; stage names are case-sensitive (R11.2): this API's stage is /${stage}`;
    }
    if (!this.router.match(method, path)) return undefined;
    return `${method} ${path}: no stage in the path; this REST API serves its routes under its stage, as API Gateway does (R11.2): ${method} /${stage}${path === '/' ? '' : path}`;
  }

  private failure(error: unknown, state: RequestState): Outcome {
    const meta = (error as { meta?: Omit<Outcome, 'response'> }).meta ?? {};
    if (error instanceof GatewayError) {
      if (error.detail.log) this.log(`[${state.requestId}] ${error.detail.log}`);
      return { response: gatewayResponse(this.doc, error, state, this.env), ...meta };
    }
    const why = error instanceof VtlError ? error.message : ((error as Error).stack ?? String(error));
    this.log(`[${state.requestId}] ${state.httpMethod} ${state.contextPath}: ${why}`);
    return { response: gatewayResponse(this.doc, new GatewayError('API_CONFIGURATION_ERROR'), state, this.env), ...meta };
  }

  async respond(request: GatewayRequest, connection?: ConnectionInfo): Promise<Reply> {
    const started = performance.now();
    const state = initialState(request, connection, this.options.api.stageName, (this.options.clock ?? systemClock).now());
    let outcome: Outcome;
    try {
      const refused = connection?.headChecked ? undefined : restHeadRefusal(request, connection);
      outcome = refused ? { response: refused } : await this.handle(request, state);
    } catch (error) {
      outcome = this.failure(error, state);
    }
    const onRequest = this.options.onRequest;
    if (onRequest) {
      const latencyMs = Math.round(performance.now() - started);
      const accessLog = this.options.api.accessLog;
      onRequest({
        requestId: state.requestId,
        method: state.httpMethod,
        path: state.contextPath,
        status: outcome.response.status,
        latencyMs,
        ...(outcome.functionLogicalId ? { functionLogicalId: outcome.functionLogicalId } : {}),
        ...(outcome.cold !== undefined ? { cold: outcome.cold } : {}),
        ...(accessLog ? { accessLog: accessLogEntry(accessLog, restAccessLogValues(state, this.env, outcome.response, latencyMs)) } : {}),
      });
    }
    return outcome.response;
  }
}

/** Builds the gateway for one API stage: API Gateway's pipeline (R0.1-R0.6) over the given invoker. */
export function createGateway(options: PipelineOptions): Gateway {
  const pipeline = new Pipeline(options);
  const doc = options.api.openapi;
  const respond: Gateway['respond'] = (request, connection) => pipeline.respond(request, connection);
  return {
    routes: routeReport(doc, options.template, options.identity, options.api, options.services?.aws?.endpoints),
    support: [
      ...extensionItems(doc, options.identity !== undefined, options.cache !== undefined, options.services?.aws?.endpoints),
      ...undeclaredHeaderItems(doc),
      ...binaryRequestTemplateItems(doc),
      ...stageSupportItems(options),
      ...(options.limits?.support() ?? []),
      ...(options.cache?.support() ?? []),
      ...(options.firewall?.support() ?? []),
    ],
    respond,
    fetch: fetchFrom(respond),
    headRefusal: restHeadRefusal,
  };
}

/** The method response of a non-proxy integration on the wire, with API Gateway's standard headers, its body converted as R2.11 says. */
function methodResponse(method: MethodResponse, state: RequestState, binaryMediaTypes: string[], location: string, traced: boolean): Reply {
  for (const [name, value] of integrationGatewayHeaders(state)) if (traced || name !== 'X-Amzn-Trace-Id') method.headers.set(name, value);
  if ([204, 304].includes(method.status)) return new Reply(method.status, method.headers, null);
  if (method.bytes) return new Reply(method.status, method.headers, new Uint8Array(method.bytes));
  return new Reply(method.status, method.headers, convertResponseBody(method.body, state, binaryMediaTypes, method.contentHandling, location));
}

function initialState(request: GatewayRequest, connection: ConnectionInfo | undefined, stage: string, requestTimeEpoch: number): RequestState {
  const url = new URL(request.url);
  // R11.1: slashes doubled before the stage count as one, in $context.path too (`//v1/x` is `/v1/x`), while those
  // after it are kept there (`/v1//x`), as AWS answered LocalStack's recorded proxy test.
  const pathname = (connection?.path ?? url.pathname).replace(/^\/{2,}/, '/');
  const headers = readHeaders(request, connection?.rawHeaders);
  return {
    requestId: newRequestId(),
    extendedRequestId: newExtendedRequestId(),
    requestTimeEpoch,
    httpMethod: (connection?.method ?? request.method).toUpperCase(),
    stage,
    contextPath: pathname,
    path: pathname,
    headers,
    query: readQuery(url),
    rawQuery: url.search.slice(1),
    body: new Uint8Array(),
    sourceIp: (connection?.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    trace: traceFor(headers, requestTimeEpoch),
  };
}

/**
 * R0.1 no stage or route: MISSING_AUTHENTICATION_TOKEN. With an Authorization header that is no SigV4 one (a bearer
 * token sent to a path or verb the API lacks), AWS reads it as a malformed signature: the same response type, its
 * message IncompleteSignatureException's and so its x-amzn-ErrorType (quoted answers: serverless/serverless#3205,
 * amazon-archives/aws-cognito-angular-quickstart#50 "That error will return for any invalid endpoints", where
 * customising MISSING_AUTHENTICATION_TOKEN replaced it; HumanCellAtlas/data-store#328).
 */
function noRoute(state: RequestState, log?: string): GatewayError {
  const authorization = headerValue(state.headers, 'authorization');
  const problem = authorization === undefined ? undefined : incompleteAuthorization(authorization, { 'x-amz-date': headerValue(state.headers, 'x-amz-date') });
  if (!problem) return new GatewayError('MISSING_AUTHENTICATION_TOKEN', log === undefined ? {} : { log });
  return new GatewayError('MISSING_AUTHENTICATION_TOKEN', { message: problem.message, errorType: problem.type, ...(log === undefined ? {} : { log }) });
}
