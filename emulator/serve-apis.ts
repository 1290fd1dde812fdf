/**
 * Serving one API of a stack: its identity stage, its gateway with /docs in front, its port, and where its AWS
 * service integrations go; --strict refuses what is not emulated. One function per kind (REST, HTTP, WebSocket).
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorOptions, ServedApi } from './app.js';
import { CLIENT_CLOSED_STATUS } from './report.js';
import type { ApiSpec, HttpApiSpec, LoadedTemplate } from './template/model.js';
import type { WebSocketApiSpec } from './template/websocket-apis.js';
import type { LambdaInvoker } from './lambda/types.js';
import type { ServiceEndpoints } from './gateway/aws-service-uri.js';
import { createGateway } from './gateway/pipeline.js';
import { defaultStage, stagesGateway } from './gateway/stages.js';
import { createHttpGateway } from './gateway/http/pipeline.js';
import type { Gateway, RouteInfo, SupportItem } from './gateway/types.js';
import type { ApiKeyRegistry } from './identity/api-keys.js';
import { createIdentityStage, explainAuthorizers, explainRoutes } from './identity/gateway-stage.js';
import type { LocalCertificate } from './identity/local-certificate.js';
import type { LocalServices } from './local-services.js';
import type { Identity } from './prepare-stack.js';
import { StrictModeError, withUnbuiltRoutes } from './start-gaps.js';
import { serveGateway, type ListeningServer, type ServeExtras } from './server.js';
import { DOCS_PATH, withDocs, type DocsApi, type DocsLink } from './docs/docs-page.js';
import { httpApiOwnsDocs, httpDocsDocument } from './docs/http-document.js';

function notEmulated(routes: RouteInfo[], support: SupportItem[]): string[] {
  const fromRoutes = routes.filter((r) => !r.emulated).map((r) => `${r.method} ${r.path}: ${r.detail ?? 'not emulated'}`);
  const fromKeys = support.filter((s) => s.status === 'not-emulated').map((s) => `${s.subject} at ${s.location}${s.detail ? `: ${s.detail}` : ''}`);
  return [...fromRoutes, ...fromKeys];
}

/** A key value API Gateway would accept for this API stage (R6.4), for the report's curl example. */
function keyFor(registry: ApiKeyRegistry, api: LoadedTemplate['apis'][number]): string | undefined {
  for (const key of registry.keys) {
    const check = registry.checkApiKey({ source: 'HEADER', headerValue: key.value, restApiId: api.restApiId, apiLogicalId: api.logicalId, stage: api.stageName });
    if (check.ok) return key.value;
  }
  return undefined;
}

/**
 * Where the gateways' AWS service integrations go: the user's AWS_ENDPOINT_URL_<SERVICE>, then the embedded SQS,
 * EventBridge, SNS, S3, Step Functions, Kinesis and SSM for theirs, then the user's AWS_ENDPOINT_URL ([AMBIGUOUS] choice, services/README.md "SQS": a service's own
 * variable wins, as in the SDKs, and the template's queues and rules are in the embedded services).
 */
export function gatewayEndpoints(options: Pick<EmulatorOptions, 'serviceEndpoints'>, services: Pick<LocalServices, 'sqsUrl' | 'eventBridgeUrl' | 'snsUrl' | 's3Url' | 'sfnUrl' | 'kinesisUrl' | 'ssmUrl'>): ServiceEndpoints {
  const user = options.serviceEndpoints ?? process.env;
  const embedded: Record<string, string> = {};
  if (services.sqsUrl && !user.AWS_ENDPOINT_URL_SQS) embedded.AWS_ENDPOINT_URL_SQS = services.sqsUrl;
  if (services.eventBridgeUrl && !user.AWS_ENDPOINT_URL_EVENTBRIDGE) embedded.AWS_ENDPOINT_URL_EVENTBRIDGE = services.eventBridgeUrl;
  if (services.snsUrl && !user.AWS_ENDPOINT_URL_SNS) embedded.AWS_ENDPOINT_URL_SNS = services.snsUrl;
  if (services.s3Url && !user.AWS_ENDPOINT_URL_S3) embedded.AWS_ENDPOINT_URL_S3 = services.s3Url;
  if (services.sfnUrl && !user.AWS_ENDPOINT_URL_SFN) embedded.AWS_ENDPOINT_URL_SFN = services.sfnUrl;
  if (services.kinesisUrl && !user.AWS_ENDPOINT_URL_KINESIS) embedded.AWS_ENDPOINT_URL_KINESIS = services.kinesisUrl;
  if (services.ssmUrl && !user.AWS_ENDPOINT_URL_SSM) embedded.AWS_ENDPOINT_URL_SSM = services.ssmUrl;
  return Object.keys(embedded).length === 0 ? user : { ...user, ...embedded };
}

/** The scheme of a REST or HTTP API's printed URLs: https with the user's certificate (SAM's Mounting lines say https:// then). */
const schemeOf = (options: EmulatorOptions): 'http' | 'https' => (options.tls ? 'https' : 'http');

/** The user's certificate on a REST or HTTP API's port (serveGateway tells TLS from plain HTTP by the first byte). */
const tlsExtras = (options: EmulatorOptions): ServeExtras => ({ ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}), ...clientClosedExtras(options) });

/** A request its client abandoned mid-way gets its request log line too (it never reached the gateway). */
function clientClosedExtras(options: EmulatorOptions): ServeExtras {
  const onRequest = options.onRequest;
  if (!onRequest) return {};
  return { onClientClosed: ({ method, path, latencyMs }) => onRequest({ requestId: randomUUID(), method, path, status: CLIENT_CLOSED_STATUS, latencyMs, clientClosed: true }) };
}

/** Build and serve one API: its identity stage, its gateway, its port; --strict refuses what is not emulated. */
export async function serveApi(api: ApiSpec, template: LoadedTemplate, lambda: LambdaInvoker, identity: Identity, services: LocalServices, port: number, options: EmulatorOptions, links: DocsLink[], localApis: Map<string, string>, unbuilt: ReadonlyMap<string, string>, stackPath = ''): Promise<{ served: ServedApi; close: () => Promise<void> }> {
  // One gateway per stage: each stage has its own identity checks (usage plans name stages), limits and cache.
  const stageGateway = (stageApi: ApiSpec) => {
    const identityStage = createIdentityStage({ template, api: stageApi, invoker: lambda, state: identity.state, apiKeys: identity.apiKeys, cognito: identity.cognito, iam: identity.iam });
    const stageGw = createGateway({
      api: stageApi,
      template,
      invoker: lambda,
      identity: identityStage,
      services: { dynamodb: services.dynamodb, aws: { endpoints: gatewayEndpoints(options, services), credentials: services.dynamodb.credentials, region: template.region } },
      onRequest: options.onRequest,
      localApis,
      ...(options.log ? { log: options.log } : {}),
      ...identity.limits.forApi(stageApi, template, identity.apiKeys),
    });
    return { identityStage, gateway: stageGw };
  };
  const { identityStage: stage, gateway: own } = stageGateway(api);
  const extraStages = api.extraStages ?? [];
  const gateway = stagesGateway(own, new Map(extraStages.map((name) => [name, stageGateway(defaultStage(api, name)).gateway])));
  const routes = withUnbuiltRoutes(explainRoutes(gateway.routes, stage), unbuilt);
  const support = explainAuthorizers(gateway.support, stage);
  const problems = notEmulated(routes, support);
  if (options.strict && problems.length > 0) throw new StrictModeError(problems);
  // A stage named "docs" owns /docs: the page is not served in front of it.
  const docs = docsFront(gateway, api.stageName === DOCS_PATH.slice(1) ? `the stage named "docs" owns ${DOCS_PATH}` : undefined, links);
  const listening: ListeningServer = await serveGateway(docs.front, port, options.host, undefined, tlsExtras(options));
  localApis.set(api.restApiId, `http://${options.host ?? '127.0.0.1'}:${listening.port}`);
  const key = keyFor(identity.apiKeys, api);
  const base = `${schemeOf(options)}://${options.host ?? '127.0.0.1'}:${listening.port}`;
  const served: ServedApi & { kind: 'rest' } = {
    logicalId: `${stackPath}${api.logicalId}`,
    kind: 'rest',
    stageName: api.stageName,
    url: `${base}/${api.stageName}`,
    ...(extraStages.length > 0 ? { extraStageUrls: extraStages.map((name) => `${base}/${name}`) } : {}),
    port: listening.port,
    gateway,
    routes,
    support,
    ...(key ? { apiKey: key } : {}),
  };
  docs.serve(served, api.openapi as Record<string, unknown>, options.host);
  return { served, close: () => listening.close() };
}

/**
 * `/docs` in front of an API's gateway, on its port, unless the API owns that path itself (then the report says why).
 * `serve` completes it once the port is known: the page's document targets the API's local base URL.
 */
function docsFront(gateway: Gateway, ownedBecause: string | undefined, links: DocsLink[]): { front: Gateway; serve: (served: ServedApi & { kind: 'rest' | 'http' }, document: Record<string, unknown>, host?: string) => void } {
  const docs: DocsApi[] = [];
  return {
    front: ownedBecause ? gateway : withDocs(gateway, docs, links),
    serve(served, document, host = '127.0.0.1') {
      if (ownedBecause) {
        served.docsNotServed = ownedBecause;
        return;
      }
      served.docsUrl = `${new URL(served.url).protocol}//${host}:${served.port}${DOCS_PATH}`;
      docs.push({ logicalId: served.logicalId, kind: served.kind, url: served.url, document });
      links.push({ logicalId: served.logicalId, kind: served.kind, docsUrl: served.docsUrl });
    },
  };
}

/** Build and serve one HTTP API, all its stages on one port (H3.1); --strict refuses what is not emulated. */
export async function serveHttpApi(api: HttpApiSpec, template: LoadedTemplate, lambda: LambdaInvoker, identity: Identity, local: LocalServices, port: number, options: EmulatorOptions, links: DocsLink[], localApis: Map<string, string>, unbuilt: ReadonlyMap<string, string>, stackPath = ''): Promise<{ served: ServedApi; close: () => Promise<void> }> {
  const services = { endpoints: gatewayEndpoints(options, local), credentials: identity.iam.credentials, region: template.region };
  const gateway = createHttpGateway({ api, template, invoker: lambda, cognito: identity.cognito, iam: identity.iam, onRequest: options.onRequest, localApis, services, ...(options.log ? { log: options.log } : {}) });
  const routes = withUnbuiltRoutes(gateway.routes, unbuilt);
  const problems = notEmulated(routes, gateway.support);
  if (options.strict && problems.length > 0) throw new StrictModeError(problems);
  const docs = docsFront(gateway, httpApiOwnsDocs(api), links);
  const listening = await serveGateway(docs.front, port, options.host, undefined, tlsExtras(options));
  localApis.set(api.apiId, `http://${options.host ?? '127.0.0.1'}:${listening.port}`);
  const stage = api.stages[0]?.name ?? '$default';
  const served: ServedApi & { kind: 'http' } = {
    logicalId: `${stackPath}${api.logicalId}`,
    kind: 'http',
    stageName: stage,
    url: `${schemeOf(options)}://${options.host ?? '127.0.0.1'}:${listening.port}${stage === '$default' ? '' : `/${stage}`}`,
    port: listening.port,
    gateway,
    routes,
    support: gateway.support,
    ...(api.functionUrl ? { functionUrl: `function ${api.functionUrl.functionLogicalId}, AuthType ${api.functionUrl.authType}, InvokeMode ${api.functionUrl.invokeMode}` } : {}),
  };
  docs.serve(served, httpDocsDocument(api), options.host);
  return { served, close: () => listening.close() };
}

/**
 * Serve one WebSocket API, all its stages on one port: plain (ws://) and TLS (wss://, https://) alike, so that a
 * function posting to `https://<domainName>/<stage>/@connections/<id>` reaches it; --strict refuses what is not emulated.
 */
export async function serveWebSocketApi(api: WebSocketApiSpec, template: LoadedTemplate, lambda: LambdaInvoker, identity: Identity, local: LocalServices, certificate: LocalCertificate, port: number, options: EmulatorOptions, localApis: Map<string, string>, unbuilt: ReadonlyMap<string, string>, stackPath = ''): Promise<{ served: ServedApi; close: () => Promise<void> }> {
  // Loaded only for a template that has one (it brings the ws package): other templates start without it.
  const { WebSocketGateway } = await import('./gateway/websocket/gateway.js');
  // AWS integrations reach the embedded services, DynamoDB included (the user's AWS_ENDPOINT_URL_DYNAMODB wins, as for the others).
  const endpoints = gatewayEndpoints(options, local);
  const services = { endpoints: endpoints.AWS_ENDPOINT_URL_DYNAMODB ? endpoints : { ...endpoints, AWS_ENDPOINT_URL_DYNAMODB: local.dynamodb.endpoint }, credentials: identity.iam.credentials, region: template.region };
  const gateway = new WebSocketGateway({ api, template, invoker: lambda, iam: identity.iam, services, ...(options.log ? { log: options.log } : {}), ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  const routes = withUnbuiltRoutes(gateway.routes, unbuilt);
  const problems = notEmulated(routes, gateway.support);
  if (options.strict && problems.length > 0) throw new StrictModeError(problems);
  const listening = await serveGateway(gateway, port, options.host, undefined, { upgrade: (req, socket, head) => gateway.upgrade(req, socket, head), tls: { key: certificate.keyPem, cert: certificate.certPem }, ...clientClosedExtras(options) });
  const origin = `${options.host ?? '127.0.0.1'}:${listening.port}`;
  localApis.set(api.apiId, `http://${origin}`);
  const stage = api.stages[0]?.name ?? '';
  const served: ServedApi = { logicalId: `${stackPath}${api.logicalId}`, kind: 'websocket', stageName: stage, url: `ws://${origin}/${stage}`, port: listening.port, gateway, routes, support: gateway.support, docsNotServed: 'a WebSocket API has no OpenAPI document' };
  return {
    served,
    close: async () => {
      await gateway.close();
      await listening.close();
    },
  };
}
