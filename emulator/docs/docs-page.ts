/**
 * `/docs`: each served API's OpenAPI document (REST or HTTP) in Swagger UI (from the swagger-ui-dist package, no
 * CDN), with "Try it out" sent to the local gateway: each document's `servers` is the API's local base URL, and the
 * page is served on that API's own port, outside any stage path, so calls are same-origin and need no CORS. The
 * page links the other APIs' pages. No credentials are embedded: the page says how to mint a local token and key.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fetchFrom, Reply, type ReplyBody } from '../gateway/reply.js';
import type { Gateway, GatewayRequest } from '../gateway/types.js';
import { displayDocument } from './display-document.js';

export interface DocsApi {
  logicalId: string;
  kind: 'rest' | 'http';
  /** Stage base URL, e.g. http://127.0.0.1:3000/v1 (REST) or http://127.0.0.1:3001 (an HTTP API's $default stage) */
  url: string;
  document: Record<string, unknown>;
}

/** Every docs page of the running template (one per API port), filled once all are listening. */
export interface DocsLink {
  logicalId: string;
  kind: 'rest' | 'http';
  docsUrl: string;
}

export const DOCS_PATH = '/docs';

/** The Swagger UI files the page loads, with their media types (nothing else under the package is served). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const assetDir = (): string => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The document as the page shows it: "Try it out" targets the local stage (OpenAPI 3 servers, Swagger 2 host/basePath). */
export function localDocument(api: DocsApi): Record<string, unknown> {
  const url = new URL(api.url);
  const document = displayDocument(api.document);
  if (typeof document.swagger === 'string') return { ...document, schemes: ['http'], host: url.host, basePath: url.pathname };
  return { ...document, servers: [{ url: api.url, description: 'local gateway' }] };
}

const KIND = { rest: 'REST', http: 'HTTP' } as const;
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CREDENTIALS = {
  rest: 'Authorize with a local API key (<code>sam-local-gateway keys</code>, or <code>npm run --silent keys</code>) and a local token (<code>sam-local-gateway token --sub alice</code>)',
  http: 'Authorize with a local token as the bearer JWT (<code>sam-local-gateway token --sub alice</code>, or <code>npm run --silent token -- --sub alice</code>); HTTP APIs take no API key',
};

/** Links to the other APIs' pages (each on its own port, so that its "Try it out" stays same-origin). */
function otherPages(apis: DocsApi[], links: DocsLink[]): string {
  const others = links.filter((l) => !apis.some((a) => a.logicalId === l.logicalId));
  if (others.length === 0) return '';
  const items = others.map((l) => `<a href="${escapeHtml(l.docsUrl)}">${escapeHtml(l.logicalId)} (${KIND[l.kind]})</a>`).join(', ');
  return `\n<p id="other-apis" class="local-note">Other APIs of this template: ${items}</p>`;
}

/** The page's own style: in a <style> element (its hash in the CSP), as style attributes would need 'unsafe-inline'. */
const PAGE_STYLE = '\n.local-note { font-family: sans-serif; margin: 1em 2em }\n';

const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

let swaggerStyles: string[] | undefined;

/**
 * The <style> elements Swagger UI's scripts create (its logo's): fixed text in the package, read from the files the
 * page loads so that the policy follows the installed version.
 */
function libraryStyles(): string[] {
  swaggerStyles ??= ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'].flatMap((file) =>
    [...readFileSync(join(assetDir(), file), 'utf8').matchAll(/createElement\("style",null,("(?:[^"\\]|\\.)*")\)/g)].map((m) => JSON.parse(m[1]!) as string),
  );
  return swaggerStyles;
}

/**
 * The page's Content-Security-Policy: its scripts, styles, images and calls from this origin only (Swagger UI's own
 * files and this gateway), its one inline script and the inline styles (its own, Swagger UI's) by their hashes, no
 * plugins, no framing, no base URL.
 */
function contentSecurityPolicy(script: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${cspHash(script)}`,
    `style-src 'self' ${[PAGE_STYLE, ...libraryStyles()].map(cspHash).join(' ')}`,
    // Swagger UI's stylesheet draws its icons from data: URLs.
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function page(apis: DocsApi[], links: DocsLink[]): { html: string; csp: string } {
  const urls = apis.map((api) => ({ url: `${DOCS_PATH}/${encodeURIComponent(api.logicalId)}.json`, name: `${api.logicalId} (${KIND[api.kind]}, ${api.url})` }));
  const kind = apis[0]?.kind ?? 'rest';
  const config = JSON.stringify({ urls, dom_id: '#swagger-ui', layout: 'StandaloneLayout', deepLinking: true, tryItOutEnabled: true, persistAuthorization: false }).replace(/</g, '\\u003c');
  const script = `\nwindow.ui = SwaggerUIBundle(Object.assign(${config}, { presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset] }));\n`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>API docs (local gateway)</title>
<link rel="icon" href="${DOCS_PATH}/assets/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_PATH}/assets/swagger-ui.css">
<style>${PAGE_STYLE}</style>
</head>
<body>
<p id="local-credentials" class="local-note">
Local gateway. ${CREDENTIALS[kind]}; "Try it out" calls this gateway.
</p>${otherPages(apis, links)}
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/assets/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/assets/swagger-ui-standalone-preset.js"></script>
<script>${script}</script>
</body>
</html>
`;
  return { html, csp: contentSecurityPolicy(script) };
}

/** Every answer under /docs is read as the type it says, never sniffed (a JSON document or a 404 text is no script). */
const reply = (body: ReplyBody, headers: Record<string, string>, status = 200) => new Reply(status, new Headers({ ...headers, 'x-content-type-options': 'nosniff' }), body);
const text = (status: number, body: string, extra: Record<string, string> = {}) => reply(body, { 'content-type': 'text/plain; charset=utf-8', ...extra }, status);

/** The page writes a nested stack's API (Child/Api) escaped; an escape that decodes to no UTF-8 names none (undefined). */
function decodedName(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Answers requests under /docs; undefined for every other path (the gateway's). */
export function docsResponse(request: GatewayRequest, apis: DocsApi[], links: DocsLink[] = []): Reply | undefined {
  const { pathname } = new URL(request.url);
  if (pathname !== DOCS_PATH && !pathname.startsWith(`${DOCS_PATH}/`)) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
  const rest = pathname.slice(DOCS_PATH.length);
  if (rest === '' || rest === '/') {
    const { html, csp } = page(apis, links);
    return reply(html, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
  }
  const asset = /^\/assets\/([\w.-]+)$/.exec(rest)?.[1];
  if (asset !== undefined && ASSETS[asset]) return reply(readFileSync(join(assetDir(), asset)), { 'content-type': ASSETS[asset], 'cache-control': 'max-age=3600' });
  const doc = /^\/([^/]+)\.json$/.exec(rest)?.[1];
  const api = doc === undefined ? undefined : apis.find((a) => a.logicalId === decodedName(doc));
  if (api) return reply(JSON.stringify(localDocument(api)), { 'content-type': 'application/json' });
  return text(404, `Not Found: ${pathname}\n`);
}

/** The gateway with /docs in front of it; every other request goes to the gateway unchanged. */
export function withDocs(gateway: Gateway, apis: DocsApi[], links: DocsLink[] = []): Gateway {
  const respond: Gateway['respond'] = async (request, connection) => docsResponse(request, apis, links) ?? gateway.respond(request, connection);
  return {
    respond,
    fetch: fetchFrom(respond),
    ...(gateway.headRefusal ? { headRefusal: gateway.headRefusal } : {}),
    get routes() {
      return gateway.routes;
    },
    get support() {
      return gateway.support;
    },
  };
}
