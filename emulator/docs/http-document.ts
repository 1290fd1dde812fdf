/**
 * What `/docs` shows for an HTTP API (v2): its definition (the document SAM writes, or the Body) with every route the
 * gateway serves added, those of AWS::ApiGatewayV2::Route resources and of definition-less APIs included, each
 * operation's security as the route table applies it (operation-level only, H2.9), and the authorizers as schemes
 * Swagger UI can fill in (a JWT from the Authorization header as a bearer token; HTTP APIs have no API keys, H12.1).
 */
import { HttpRoutes, splitRouteKey } from '../gateway/http/routing.js';
import type { HttpApiSpec, HttpAuthorizerSpec, HttpRouteSpec, OpenApiDocument } from '../template/model.js';
import { ANY_METHOD } from './display-document.js';
import { DOCS_PATH } from './docs-page.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `$request.header.X` / `$request.querystring.X` → where Swagger UI sends the value; other sources have no field. */
function sourceField(source: string): { in: 'header' | 'query'; name: string } | undefined {
  const match = /^\$request\.(header|querystring)\.(.+)$/.exec(source);
  if (!match) return undefined;
  return { in: match[1] === 'header' ? 'header' : 'query', name: match[2]! };
}

/** H7.1 (JWT from its identity source, `Bearer ` optional) and H2.8 (Lambda REQUEST identity sources) as a security scheme. */
function scheme(spec: HttpAuthorizerSpec, declared: unknown): Json {
  const sources = spec.identitySource.length > 0 ? spec.identitySource : ['$request.header.Authorization'];
  const field = sources.map(sourceField).find((f) => f !== undefined);
  if (spec.type === 'jwt') {
    const description = `JWT authorizer (issuer ${spec.issuer ?? '?'}, audience ${spec.audience.join(', ') || '?'}): a local token, \`sam-local-gateway token --sub alice\`.`;
    if (field?.in === 'header' && field.name.toLowerCase() === 'authorization') return { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description };
    return { type: 'apiKey', in: field?.in ?? 'header', name: field?.name ?? 'Authorization', description };
  }
  const own = isRecord(declared) && typeof declared.description === 'string' ? `${declared.description}\n\n` : '';
  const description = `${own}Lambda REQUEST authorizer, payload ${spec.payloadFormatVersion}; identity sources: ${sources.join(', ')}${sources.length > 1 ? ' (only the first request value is filled in here)' : ''}.`;
  return { type: 'apiKey', in: field?.in ?? 'header', name: field?.name ?? 'Authorization', description };
}

/** The route's authorization as Swagger UI applies it: `[]` (none) or the authorizer's scheme. */
function security(route: HttpRouteSpec): Json[] {
  if ((route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') && route.authorizer) return [{ [route.authorizer]: [] }];
  return [];
}

/** What the route table adds to the operation's own description: required scopes, how to call an IAM route. */
function describeRoute(route: HttpRouteSpec): string {
  const notes: string[] = [];
  if (route.authorizationScopes.length > 0) notes.push(`the token must hold a scope among: ${route.authorizationScopes.join(', ')} (H7.4)`);
  // Swagger UI cannot sign a request: IAM routes are called with a SigV4 client (the start report prints an awscurl line).
  if (route.authorizationType === 'AWS_IAM') notes.push('AWS_IAM: sign the request with SigV4 and the local credentials (awscurl); "Try it out" sends it unsigned, which API Gateway refuses with 403');
  return notes.join('; ');
}

const isDefaultPath = (path: string, item: unknown): boolean =>
  path === '$default' || path === '/$default' || (isRecord(item) && Object.values(item).some((op) => isRecord(op) && op.isDefaultRoute === true));

/** The HTTP API's document for /docs, before the local server URL is set (localDocument does that). */
export function httpDocsDocument(api: HttpApiSpec): OpenApiDocument {
  const doc: OpenApiDocument = api.definition ? structuredClone(api.definition) : { openapi: '3.0.1', info: { title: api.logicalId, version: '1.0' }, paths: {} };
  const paths: Record<string, Json> = {};
  for (const [path, item] of Object.entries(isRecord(doc.paths) ? doc.paths : {})) if (!isDefaultPath(path, item) && isRecord(item)) paths[path] = item;
  doc.paths = paths;
  for (const route of api.routes) {
    const key = splitRouteKey(route.routeKey);
    if (!key) continue;
    const item = (paths[key.path] ??= {});
    const method = key.method === 'ANY' ? ANY_METHOD : key.method.toLowerCase();
    const operation: Json = { summary: route.routeKey, ...(isRecord(item[method]) ? item[method] : {}) };
    // SAM writes `responses: {}`; OpenAPI (and Swagger UI) want at least one.
    if (!isRecord(operation.responses) || Object.keys(operation.responses).length === 0) operation.responses = { default: { description: "the integration's answer" } };
    const description = [operation.description, describeRoute(route)].filter(Boolean).join('\n\n');
    item[method] = { ...operation, security: security(route), ...(description ? { description } : {}) };
  }
  const components = isRecord(doc.components) ? doc.components : {};
  const declared = isRecord(components.securitySchemes) ? components.securitySchemes : {};
  const schemes = Object.fromEntries(Object.entries(api.authorizers).map(([name, spec]) => [name, scheme(spec, declared[name])]));
  doc.components = { ...components, securitySchemes: { ...declared, ...schemes } };
  const fallback = api.routes.find((r) => r.routeKey === '$default');
  if (fallback) {
    const info = isRecord(doc.info) ? doc.info : {};
    const note = `Any request no route matches goes to the \`$default\` route${fallback.integration ? ` (${fallback.integration.uri.replace(/^.*:function:([^/:]+).*$/, '$1')})` : ''}; it has no operation here.`;
    doc.info = { ...info, description: [info.description, note].filter(Boolean).join('\n\n') };
  }
  return doc;
}

/**
 * Why this HTTP API keeps `/docs` for itself, if it does: a stage named `docs`, or a route of its `$default` stage
 * that matches the page's paths (H0.1, H3.4). Undefined when every such request would be a 404 on AWS.
 */
export function httpApiOwnsDocs(api: HttpApiSpec): string | undefined {
  const routes = new HttpRoutes(api);
  for (const path of [DOCS_PATH, `${DOCS_PATH}/`, `${DOCS_PATH}/assets/swagger-ui.css`, `${DOCS_PATH}/${api.logicalId}.json`]) {
    const stage = routes.stage(path);
    if (!stage) continue;
    if (stage.stage.name !== '$default') return `the stage named "${stage.stage.name}" owns ${DOCS_PATH}`;
    const match = routes.route('GET', stage.path);
    if (match) return `route ${match.route.routeKey} owns GET ${path}`;
  }
  return undefined;
}
