/** Conformance: http_proxy and http integrations, against a loopback backend this test starts. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { wireHeaders } from '../../../emulator/gateway/wire-headers.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { headerPairs as pairs, whenReceived, type Seen } from '../support/echo-backend.js';
import { FIDELITY_TEMPLATE } from './harness.js';
import { REFUSED_PORT } from '../support/refused-port.js';

/** The backend: echoes what it received as JSON; /never never answers; /base/status/<n> answers n, /things/missing 404. */
function backend(req: IncomingMessage, res: ServerResponse): void {
  whenReceived(req, (seen) => {
    if (req.url === '/never') return;
    const status = /\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? (req.url?.startsWith('/things/missing') ? '404' : undefined);
    if (status) return void res.writeHead(Number(status), ['Content-Type', 'text/plain']).end('from backend');
    // No Content-Length: node answers chunked, which the gateway must not pass on.
    res.writeHead(200, ['Content-Type', 'application/json', 'X-Backend-Case', 'yes', 'x-backend', 'b1', 'Server', 'backend/1', 'Via', '1.1 backend']);
    res.end(JSON.stringify(seen));
  });
}

const server = createServer(backend);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const closedPort = REFUSED_PORT;
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const template = await loadTemplate(FIDELITY_TEMPLATE);
const base = template.apis.find((a) => a.logicalId === 'FidelityApi')!;
const gatewayTo = (backendHost: string) =>
  createGateway({ api: { ...base, stageVariables: { ...base.stageVariables, backend: backendHost } }, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
const gateway = gatewayTo(`127.0.0.1:${(server.address() as AddressInfo).port}`);

async function send(method: string, path: string, headers: [string, string][] = [], body?: string) {
  const request = new Request(`http://localhost${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const response = await gateway.fetch(request, { rawHeaders: [['Host', 'api.local'], ...headers].flat() });
  return { status: response.status, headers: response.headers, wire: wireHeaders(response), text: await response.text() };
}
const seen = (text: string) => JSON.parse(text) as Seen;
/** The status and the target the endpoint got for a request path as sent (the adapter passes it raw: `path`). */
async function endpointTarget(path: string) {
  const response = await gateway.fetch(new Request(`http://localhost${path}`, { method: 'GET' }), { rawHeaders: ['Host', 'api.local'], path });
  return { status: response.status, url: seen(await response.text()).url };
}

describe('http_proxy: a greedy path value with dot segments [AMBIGUOUS]', () => {
  it.each([
    { given: 'plain dot segments', path: '/v1/fwd/a/../../../admin', want: '/base/a/../../../admin' },
    { given: 'percent-encoded dot segments', path: '/v1/fwd/%2e%2e/%2E%2e/admin', want: '/base/%2e%2e/%2E%2e/admin' },
    { given: 'a single dot', path: '/v1/fwd/./x', want: '/base/./x' },
  ])('$given: the endpoint gets the path as the uri spells it once filled, never a path above its base', async ({ path, want }) => {
    expect(await endpointTarget(path)).toEqual({ status: 200, url: want });
  });

  it('the neighbour: a path without dot segments is sent as before', async () => {
    const got = await send('GET', '/v1/fwd/a..b/.hidden');

    expect(seen(got.text).url).toBe('/base/a..b/.hidden');
  });
});

describe('http_proxy: a greedy path value holding braces', () => {
  it.each([
    { given: 'a {name} spelt in the request path', path: '/v1/fwd/{id}/x', want: '/base/%7Bid%7D/x' },
    { given: 'neighbour: a lone brace (never taken for a variable)', path: '/v1/fwd/a{b', want: '/base/a%7Bb' },
  ])('$given is a value, not a variable of the uri: the endpoint gets it percent-encoded (was a 500)', async ({ path, want }) => {
    expect(await endpointTarget(path)).toEqual({ status: 200, url: want });
  });
});

describe('http_proxy', () => {
  it('forwards method, greedy path, query string, body and headers; the answer comes back as the backend gave it', async () => {
    const got = await send('POST', '/v1/fwd/echo/a%20b?x=1&x=2', [['Content-Type', 'text/plain'], ['X-Client', 'c'], ['Expect', '100-continue']], 'payload');
    expect(got.status).toBe(200);
    const s = seen(got.text);
    expect(s.method).toBe('POST');
    expect(s.url).toBe('/base/echo/a%20b?x=1&x=2');
    expect(s.body).toBe('payload');
    const names = pairs(s.headers).map(([n]) => n.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['x-client', 'x-mapped', 'x-amzn-trace-id', 'x-amzn-apigateway-api-id', 'content-type']));
    expect(names).not.toContain('expect');
    expect(pairs(s.headers).find(([n]) => n.toLowerCase() === 'host')?.[1]).toBe(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`).host);
    expect(got.wire.find(([n]) => n === 'X-Backend-Case')?.[1]).toBe('yes');
    expect(got.wire.find(([n]) => n === 'x-amzn-Remapped-Server')?.[1]).toBe('backend/1');
    expect(got.wire.some(([n]) => /^(transfer-encoding|via)$/i.test(n))).toBe(false);
    expect(got.headers.get('x-amzn-trace-id')).toBeNull();
  });

  it.each(['GET', 'DELETE', 'POST'])('a %s body reaches the endpoint framed with its Content-Length, whatever the method', async (method) => {
    // Prepare: Fetch refuses a GET with a body; the pipeline takes any request with a method, url, headers and bytes.
    const bytes = new TextEncoder().encode('{ "q": 1 }');
    const request = { method, url: 'http://localhost/v1/fwd/echo', headers: new Headers({ 'Content-Type': 'application/json' }), arrayBuffer: async () => bytes.slice().buffer };

    // Act
    const reply = await gateway.respond(request, { rawHeaders: ['Host', 'api.local', 'Content-Type', 'application/json'] });

    // Assess
    expect(reply.status).toBe(200);
    const s = seen(await reply.text());
    expect(s.method).toBe(method);
    expect(s.body).toBe('{ "q": 1 }');
    expect(pairs(s.headers).find(([n]) => n.toLowerCase() === 'content-length')?.[1]).toBe(String(bytes.byteLength));
    expect(pairs(s.headers).some(([n]) => n.toLowerCase() === 'transfer-encoding')).toBe(false);
  });

  it.each([404, 500, 502])('a backend %i is passed through, never a gateway response', async (status) => {
    const got = await send('GET', `/v1/fwd/status/${status}`);
    expect(got.status).toBe(status);
    expect(got.text).toBe('from backend');
    expect(got.headers.get('x-amzn-errortype')).toBeNull();
  });

  it('R1.53 no answer within timeoutInMillis → 504 Endpoint request timed out', async () => {
    const got = await send('GET', '/v1/slow');
    expect(got.status).toBe(504);
    expect(JSON.parse(got.text)).toEqual({ message: 'Endpoint request timed out' });
  });

  it('[AMBIGUOUS] an endpoint that refuses the connection → INTEGRATION_FAILURE (504)', async () => {
    const response = await gatewayTo(`127.0.0.1:${closedPort}`).fetch(new Request('http://localhost/v1/fwd/echo'), { rawHeaders: ['Host', 'api.local'] });
    expect(response.status).toBe(504);
  });
});

describe('http (non-proxy)', () => {
  it('maps path, query and headers from requestParameters, renders the template, selects the response by status', async () => {
    const got = await send('POST', '/v1/http/42?ignored=1', [['Content-Type', 'application/json'], ['X-Caller', 'me'], ['X-Other', 'dropped']], '{"a":1}');
    expect(got.status).toBe(200);
    const s = (JSON.parse(got.text) as { backendSaw: Seen }).backendSaw;
    expect(s.method).toBe('PUT');
    expect(s.url).toBe('/things/42?source=gateway');
    expect(JSON.parse(s.body)).toEqual({ wrapped: { a: 1 } });
    const headers = pairs(s.headers);
    expect(headers.find(([n]) => n === 'X-Caller')?.[1]).toBe('me');
    expect(headers.some(([n]) => n.toLowerCase() === 'x-other')).toBe(false);
    expect(headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1]).toMatch(/^AmazonAPIGateway_/);
    expect(got.wire.find(([n]) => n === 'X-Backend')?.[1]).toBe('b1');
  });

  it('R2.6 a backend 404 selects the 404 integration response and its template', async () => {
    const got = await send('POST', '/v1/http/missing', [['Content-Type', 'application/json']], '{}');
    expect(got.status).toBe(404);
    expect(JSON.parse(got.text)).toEqual({ missing: true });
  });
});
