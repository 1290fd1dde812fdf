/** `/docs` (emulator/docs/docs-page.ts): Swagger UI from node_modules, the local document, nothing else. */
import { describe, expect, it } from 'vitest';
import { docsResponse, localDocument, withDocs, type DocsApi } from '../../../emulator/docs/docs-page.js';
import type { Gateway } from '../../../emulator/gateway/types.js';

const API: DocsApi = { logicalId: 'TaskApi', url: 'http://127.0.0.1:3000/v1', document: { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {} } };
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
    { given: 'a method other than GET or HEAD', path: '/docs', method: 'POST', status: 405 },
  ])('$given is a $status, not a 500', ({ path, method, status }) => {
    expect(get(path, method)?.status).toBe(status);
  });

  it.each(['/v1/docs', '/docsx', '/'])('leaves %s to the gateway', (path) => {
    expect(get(path)).toBeUndefined();
  });
});

describe('withDocs', () => {
  it('passes every other request to the gateway unchanged, and keeps its routes and support report', async () => {
    const seen: string[] = [];
    const gateway: Gateway = { fetch: async (request) => (seen.push(new URL(request.url).pathname), new Response('from the gateway')), routes: [], support: [] };
    const wrapped = withDocs(gateway, [API]);

    const staged = await wrapped.fetch(new Request('http://127.0.0.1:3000/v1/tasks'));
    const docs = await wrapped.fetch(new Request('http://127.0.0.1:3000/docs'));

    expect(await staged.text()).toBe('from the gateway');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(seen).toEqual(['/v1/tasks']);
    expect(wrapped.routes).toBe(gateway.routes);
  });
});
