/**
 * A bucket's CORS configuration as S3 applies it (S3 User Guide, "Using cross-origin resource sharing (CORS)"): the
 * first rule whose AllowedOrigins, AllowedMethods and AllowedHeaders admit the request (each may hold one `*`
 * wildcard) answers a preflight and adds the Access-Control-* headers to the actual response; no rule, no headers.
 */
import type { BucketCorsRule as CorsRule } from '../../template/model.js';
import { S3Error } from './errors.js';

/** A rule's value with at most one `*`, matched as S3 matches it (case-insensitive for header names). */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule admitting this origin, method and request headers. */
export function matchingRule(rules: CorsRule[], origin: string, method: string, headers: string[] = []): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcard(o, origin)) &&
      rule.allowedMethods.includes(method.toUpperCase()) &&
      headers.every((h) => rule.allowedHeaders.some((a) => wildcard(a, h, true))),
  );
}

/** The Access-Control-* headers a rule gives an origin (`*` stays `*`, and then without credentials). */
export function corsHeaders(rule: CorsRule, origin: string, preflight?: { method: string; headers: string[] }): Record<string, string> {
  const any = rule.allowedOrigins.includes('*');
  const out: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  // S3 pairs credentials only with a named origin, never with the wildcard.
  if (!any) out['access-control-allow-credentials'] = 'true';
  if (rule.exposedHeaders.length > 0) out['access-control-expose-headers'] = rule.exposedHeaders.join(', ');
  if (preflight) {
    if (preflight.headers.length > 0) out['access-control-allow-headers'] = preflight.headers.join(', ');
    if (rule.maxAge !== undefined) out['access-control-max-age'] = String(rule.maxAge);
  }
  return out;
}

/** A preflight (OPTIONS with Origin and Access-Control-Request-Method): 200 with the rule's headers, or S3's 403. */
export function preflight(rules: CorsRule[] | undefined, origin: string | undefined, method: string | undefined, requestHeaders: string | undefined, resourceType: 'BUCKET' | 'OBJECT'): Record<string, string> {
  if (!origin || !method) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.', 400);
  const forbidden = (message: string) => new S3Error('AccessForbidden', message, 403, { Method: method, ResourceType: resourceType });
  if (!rules || rules.length === 0) throw forbidden('CORSResponse: CORS is not enabled for this bucket.');
  const headers = (requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const rule = matchingRule(rules, origin, method, headers);
  if (!rule) {
    throw forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  return corsHeaders(rule, origin, { method, headers });
}
