/** An HTTP API's built-in CORS (H9): preflights answered by the gateway, configured headers on responses. */
import type { HttpCorsSpec } from '../../template/model.js';
import { Reply } from '../reply.js';
import { headerValue, type HeaderList } from '../request-state.js';

/** H9.1: `*`, an exact origin, or `https://*` / `http://*` for any origin of that scheme. */
function originAllowed(cors: HttpCorsSpec, origin: string): boolean {
  return cors.allowOrigins.some((allowed) => allowed === '*' || allowed.toLowerCase() === origin.toLowerCase() || (/^https?:\/\/\*$/.test(allowed) && origin.startsWith(allowed.slice(0, -1))));
}

/**
 * [AMBIGUOUS] H9.5: `*` when `*` is configured, else the request's origin when it is allowed. With credentials (only a
 * function URL gets here: HTTP APIs refuse the pair at start) the origin itself, as a browser refuses `*` with credentials.
 */
function allowOriginValue(cors: HttpCorsSpec, origin: string): string | undefined {
  if (!originAllowed(cors, origin)) return undefined;
  return cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

/** H9.2: a preflight is an OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(method: string, headers: HeaderList): boolean {
  return method === 'OPTIONS' && headerValue(headers, 'origin') !== undefined && headerValue(headers, 'access-control-request-method') !== undefined;
}

/**
 * H9.1: the preflight's requested method is an allowed one and so is every requested header (`*` allows any). A
 * configuration without AllowMethods allows no preflight, as LocalStack's AWS-validated HTTP API CORS tests say ("if
 * you don't specify AllowMethods and AllowHeaders to be either values or *, you can't match a request").
 */
function requestAllowed(cors: HttpCorsSpec, headers: HeaderList): boolean {
  const method = (headerValue(headers, 'access-control-request-method') ?? '').trim().toUpperCase();
  if (!cors.allowMethods.includes('*') && !cors.allowMethods.includes(method)) return false;
  const requested = (headerValue(headers, 'access-control-request-headers') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const allowed = new Set(cors.allowHeaders.map((h) => h.toLowerCase()));
  return allowed.has('*') || requested.every((h) => allowed.has(h));
}

/**
 * [AMBIGUOUS] H9.3: 204 with the configured headers. H9.6: a preflight the configuration does not allow, for its
 * origin, its method or one of its headers, gets no CORS headers at all (still 204), as the W3C CORS resource
 * processing model has it (section 6.2: "do not set any additional headers"); a disallowed method or header got the
 * allowed origin and the configured lists before. `matchRequest` is false for a function URL, whose front end is
 * Lambda's, not API Gateway's: nothing recorded says it checks the method and headers, so only the origin counts.
 */
export function preflightResponse(cors: HttpCorsSpec, headers: HeaderList, matchRequest = true): Reply {
  const out = new Headers();
  const origin = allowOriginValue(cors, headerValue(headers, 'origin') ?? '');
  if (origin !== undefined && (!matchRequest || requestAllowed(cors, headers))) {
    out.set('access-control-allow-origin', origin);
    if (cors.allowMethods.length) out.set('access-control-allow-methods', cors.allowMethods.join(','));
    if (cors.allowHeaders.length) out.set('access-control-allow-headers', cors.allowHeaders.join(','));
    if (cors.maxAge !== undefined) out.set('access-control-max-age', String(cors.maxAge));
    if (cors.allowCredentials) out.set('access-control-allow-credentials', 'true');
  }
  return new Reply(204, out);
}

/**
 * H9.4: the backend's CORS headers are dropped and the configured ones added, when the request has an Origin (H9.2).
 * [AMBIGUOUS] H0.2: a preflight a route took (ANY /{proxy+}, $default) gets the configured preflight headers too
 * (Allow-Methods, Allow-Headers, Max-Age), since the backend's are dropped: else no browser could follow it.
 */
export function applyCors(cors: HttpCorsSpec | undefined, requestHeaders: HeaderList, response: Reply, method = ''): Reply {
  if (!cors) return response;
  const headers = new Headers(response.headers);
  const backend: string[] = [];
  headers.forEach((_value, name) => {
    if (name.startsWith('access-control-')) backend.push(name);
  });
  for (const name of backend) headers.delete(name);
  const origin = allowOriginValue(cors, headerValue(requestHeaders, 'origin') ?? '');
  if (headerValue(requestHeaders, 'origin') !== undefined && origin !== undefined) {
    headers.set('access-control-allow-origin', origin);
    if (cors.exposeHeaders.length) headers.set('access-control-expose-headers', cors.exposeHeaders.join(','));
    if (cors.allowCredentials) headers.set('access-control-allow-credentials', 'true');
    if (isPreflight(method, requestHeaders)) {
      if (cors.allowMethods.length) headers.set('access-control-allow-methods', cors.allowMethods.join(','));
      if (cors.allowHeaders.length) headers.set('access-control-allow-headers', cors.allowHeaders.join(','));
      if (cors.maxAge !== undefined) headers.set('access-control-max-age', String(cors.maxAge));
    }
  }
  return new Reply(response.status, headers, response.body, response.stream);
}
