/** `/docs` (emulator/docs/docs-page.ts): Swagger UI from node_modules, the local document, nothing else. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { docsResponse, localDocument, withDocs, type DocsApi } from '../../../emulator/docs/docs-page.js';
import { fetchFrom, Reply } from '../../../emulator/gateway/reply.js';
import type { Gateway } from '../../../emulator/gateway/types.js';

const API: DocsApi = { logicalId: 'TaskApi', kind: 'rest', url: 'http://127.0.0.1:3000/v1', document: { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {} } };
const get = (path: string, method = 'GET') => docsResponse(new Request(`http://127.0.0.1:3000${path}`, { method }), [API]);

describe('docsResponse', () => {
  it('serves the Swagger UI page, loading its assets from /docs/assets (no CDN)', async () => {
    const res = get('/docs');
    const html = await res?.text();

    expect(res?.status).toBe(200);
    expect(res?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('src="/docs/assets/swagger-ui-bundle.js"');
    expect(html).toContain('"url":"/docs/TaskApi.json"');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });

  it.each([
    { path: '/docs/assets/swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
    { path: '/docs/assets/swagger-ui.css', type: 'text/css; charset=utf-8' },
  ])('serves $path from the swagger-ui-dist package', ({ path, type }) => {
    const res = get(path);

    expect(res?.status).toBe(200);
    expect(res?.headers.get('content-type')).toBe(type);
  });

  it('the document targets the local stage: "Try it out" calls this gateway', async () => {
    const res = get('/docs/TaskApi.json');

    expect(await res?.json()).toMatchObject({ openapi: '3.0.3', servers: [{ url: 'http://127.0.0.1:3000/v1' }] });
  });

  it('a Swagger 2.0 document gets the local host and basePath instead of servers', () => {
    expect(localDocument({ ...API, document: { swagger: '2.0', host: 'example.com', basePath: '/prod' } })).toMatchObject({ host: '127.0.0.1:3000', basePath: '/v1', schemes: ['http'] });
  });

  it.each([
    { given: 'a file of the package that the page does not load', path: '/docs/assets/package.json', status: 404 },
    { given: 'a path out of the assets folder', path: '/docs/assets/..%2F..%2Fpackage.json', status: 404 },
    { given: 'an API the gateway does not serve', path: '/docs/Other.json', status: 404 },
    { given: 'an API name whose escape is no UTF-8', path: '/docs/%E0%A4%A.json', status: 404 },
    { given: 'a method other than GET or HEAD', path: '/docs', method: 'POST', status: 405 },
  ])('$given is a $status, not a 500', ({ path, method, status }) => {
    expect(get(path, method)?.status).toBe(status);
  });

  it.each([['/docs'], ['/docs/assets/swagger-ui-bundle.js'], ['/docs/TaskApi.json'], ['/docs/Other.json']])('%s is never sniffed (X-Content-Type-Options: nosniff)', (path) => {
    expect(get(path)?.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the page carries a Content-Security-Policy: this origin only, its inline script and styles (Swagger UI`s logo`s too) by their hashes', async () => {
    const res = get('/docs');
    const html = (await res?.text()) ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const inline = (tag: string) => [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => hash(m[1]!));
    // The <style> Swagger UI's standalone preset puts in its logo (swagger-ui-dist 5), which the browser test meets.
    const logo = hash('.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}');

    const csp = res?.headers.get('content-security-policy') ?? '';

    expect(inline('script')).toHaveLength(1);
    expect(inline('style')).toHaveLength(1);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': `'self' ${inline('script')[0]}`,
      'style-src': `'self' ${inline('style')[0]} ${logo}`,
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    // No attribute the policy would block: style attributes and inline handlers need 'unsafe-inline'.
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/);
  });

  it.each(['/v1/docs', '/docsx', '/'])('leaves %s to the gateway', (path) => {
    expect(get(path)).toBeUndefined();
  });
});

describe('the page per API kind', () => {
  const HTTP: DocsApi = { logicalId: 'TaskHttpApi', kind: 'http', url: 'http://127.0.0.1:3001', document: { openapi: '3.0.1', info: { title: 'T', version: '1' }, paths: {} } };
  const links = [
    { logicalId: 'TaskApi', kind: 'rest' as const, docsUrl: 'http://127.0.0.1:3000/docs' },
    { logicalId: 'TaskHttpApi', kind: 'http' as const, docsUrl: 'http://127.0.0.1:3001/docs' },
  ];

  it('H12.1 an HTTP API page asks for a bearer token and no API key, and links the REST API page', async () => {
    const html = await docsResponse(new Request('http://127.0.0.1:3001/docs'), [HTTP], links)?.text();

    expect(html).toContain('"name":"TaskHttpApi (HTTP, http://127.0.0.1:3001)"');
    expect(html).toContain('HTTP APIs take no API key');
    expect(html).not.toContain('sam-local-gateway keys');
    expect(html).toContain('<a href="http://127.0.0.1:3000/docs">TaskApi (REST)</a>');
    expect(html).not.toContain('>TaskHttpApi (HTTP)</a>');
  });

  it('a REST API page asks for a key and a token, and links the HTTP API page', async () => {
    const html = await docsResponse(new Request('http://127.0.0.1:3000/docs'), [API], links)?.text();

    expect(html).toContain('sam-local-gateway keys');
    expect(html).toContain('<a href="http://127.0.0.1:3001/docs">TaskHttpApi (HTTP)</a>');
  });

  it('a template with one API has no list of other pages', async () => {
    const html = await docsResponse(new Request('http://127.0.0.1:3000/docs'), [API], [links[0]!])?.text();

    expect(html).not.toContain('id="other-apis"');
  });

  it("an HTTP API's $default stage document targets the port's root", async () => {
    const res = docsResponse(new Request('http://127.0.0.1:3001/docs/TaskHttpApi.json'), [HTTP]);

    expect(await res?.json()).toMatchObject({ servers: [{ url: 'http://127.0.0.1:3001' }] });
  });

  it.each([
    { doc: { swagger: '2.0', paths: { '/pets/{id}': { 'x-amazon-apigateway-any-method': { responses: {} } } } }, param: { name: 'id', in: 'path', required: true, type: 'string' } },
    { doc: { openapi: '3.0.1', paths: { '/pets/{id}': { 'x-amazon-apigateway-any-method': { responses: {} } } } }, param: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
  ])('R11.11 a REST ANY method is shown as GET, POST, PUT, PATCH and DELETE, each with its path parameter ($doc.swagger$doc.openapi)', ({ doc, param }) => {
    const shown = localDocument({ ...API, document: doc }) as { paths: Record<string, Record<string, { parameters: unknown[] }>> };

    expect(Object.keys(shown.paths['/pets/{id}']!).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    expect(shown.paths['/pets/{id}']!.get!.parameters).toEqual([param]);
  });

  it('R11.11 an explicit method next to ANY stays as declared', () => {
    const doc = { openapi: '3.0.1', paths: { '/p': { get: { summary: 'explicit', responses: {} }, 'x-amazon-apigateway-any-method': { summary: 'any', responses: {} } } } };

    const shown = localDocument({ ...API, document: doc }) as { paths: Record<string, Record<string, { summary: string }>> };

    expect(shown.paths['/p']!.get!.summary).toBe('explicit');
    expect(shown.paths['/p']!.post!.summary).toBe('any');
  });
});

describe('withDocs', () => {
  it('passes every other request to the gateway unchanged, and keeps its routes and support report', async () => {
    const seen: string[] = [];
    // FAKE gateway: records the paths it is asked for.
    const respond: Gateway['respond'] = async (request) => (seen.push(new URL(request.url).pathname), new Reply(200, new Headers(), 'from the gateway'));
    const gateway: Gateway = { respond, fetch: fetchFrom(respond), routes: [], support: [] };
    const wrapped = withDocs(gateway, [API]);

    const staged = await wrapped.fetch(new Request('http://127.0.0.1:3000/v1/tasks'));
    const docs = await wrapped.fetch(new Request('http://127.0.0.1:3000/docs'));

    expect(await staged.text()).toBe('from the gateway');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(seen).toEqual(['/v1/tasks']);
    expect(wrapped.routes).toBe(gateway.routes);
  });
});
