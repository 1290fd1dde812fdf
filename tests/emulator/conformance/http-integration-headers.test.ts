/**
 * Conformance: the headers of http and http_proxy integrations, request and response, as AWS answered LocalStack's
 * AWS-validated header-remapping tests (mapped request headers, the mapped method response header table, framing).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { wireHeaders } from '../../../emulator/gateway/wire-headers.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { OpenApiDocument } from '../../../emulator/template/model.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { headerPairs, whenReceived, type Seen } from '../support/echo-backend.js';
import { FIDELITY_TEMPLATE } from './harness.js';

/** The endpoint: echoes what it received; answers with a Content-Length and an X-Ray header of its own. */
function backend(req: IncomingMessage, res: ServerResponse): void {
  whenReceived(req, (seen) => {
    const body = JSON.stringify(seen);
    res.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(body)), 'X-Amzn-Trace-Id', 'Root=1-5759e988-bd862e3fe1be46a994272793']);
    res.end(body);
  });
}
const server = createServer(backend);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const MAPPED_REQUEST = {
  'integration.request.header.Expect': "'200-ok'",
  'integration.request.header.Proxy-Authenticate': "'Basic realm=\"x\"'",
  'integration.request.header.TE': "'gzip'",
  'integration.request.header.Via': "'othersite.net'",
  'integration.request.header.Connection': "'keep-alive'",
  'integration.request.header.Trailer': "'user-agent'",
  'integration.request.header.Host': 'method.request.header.Host',
  'integration.request.header.Max-Forwards': "'2'",
  'integration.request.header.Upgrade': "'HTTP/2.0'",
  'integration.request.header.X-Kept': "'kept'",
  'integration.request.header.X-Client-Chain': 'method.request.header.X-Forwarded-For',
  'integration.request.header.X-Client-Proto': 'method.request.multivalueheader.x-forwarded-proto',
};
const MAPPED_RESPONSE_NAMES = ['Accept', 'TE', 'Via', 'Warn', 'Content-Length', 'Expect', 'Host', 'Proxy-Authenticate', 'Trailer', 'Upgrade', 'Server', 'Transfer-Encoding'];

const doc = (endpoint: string): OpenApiDocument => ({
  openapi: '3.0.1',
  info: { title: 'headers', version: '1' },
  paths: {
    '/mapped': {
      get: {
        responses: { '200': { description: 'ok', headers: Object.fromEntries(MAPPED_RESPONSE_NAMES.map((n) => [n, { schema: { type: 'string' } }])) } },
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'POST',
          uri: `${endpoint}/echo`,
          requestParameters: MAPPED_REQUEST,
          responses: { default: { statusCode: '200', responseParameters: Object.fromEntries(MAPPED_RESPONSE_NAMES.map((n) => [`method.response.header.${n}`, `'value-${n}'`])) } },
        },
      },
    },
    '/plain': {
      get: {
        responses: { '200': { description: 'ok' } },
        'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'POST', uri: `${endpoint}/echo`, responses: { default: { statusCode: '200' } } },
      },
    },
    '/proxied': {
      get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'POST', uri: `${endpoint}/echo`, requestParameters: MAPPED_REQUEST } },
    },
    '/bare-proxy': {
      get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: `${endpoint}/echo` } },
    },
  },
});

const template = await loadTemplate(FIDELITY_TEMPLATE);
const base = template.apis.find((a) => a.logicalId === 'FidelityApi')!;
const api = { ...base, openapi: doc(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
const gateway = createGateway({ api, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });

async function send(path: string, headers: [string, string][] = []) {
  const response = await gateway.fetch(new Request(`http://localhost/v1${path}`, { headers }), { rawHeaders: [['Host', 'api.example.com'], ...headers].flat() });
  const text = await response.text();
  return { status: response.status, wire: wireHeaders(response), text };
}
const received = (text: string) => {
  const seen = JSON.parse(text) as Seen;
  return { seen, headers: headerPairs(seen.headers), value: (name: string) => headerPairs(seen.headers).filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v) };
};

describe.each(['/mapped', '/proxied'])('mapped request headers reaching the endpoint (%s)', (path) => {
  it('Connection, Expect, Proxy-Authenticate, TE and Via are dropped; Trailer too (node cannot frame it); the others are sent', async () => {
    // Act
    const got = await send(path);

    // Assess
    expect(got.status).toBe(200);
    const r = received(got.text);
    for (const name of ['Expect', 'Proxy-Authenticate', 'TE', 'Via', 'Trailer']) expect(r.value(name)).toEqual([]);
    expect(r.value('X-Kept')).toEqual(['kept']);
    expect(r.value('Max-Forwards')).toEqual(['2']);
    expect(r.value('Upgrade')).toEqual(['HTTP/2.0']);
  });

  it('a mapped Host is the one Host the endpoint gets', async () => {
    const r = received((await send(path)).text);
    expect(r.value('Host')).toEqual(['api.example.com']);
  });

  it('an empty body goes out as Content-Length: 0, never chunked', async () => {
    const r = received((await send(path)).text);
    expect(r.seen.method).toBe('POST');
    expect(r.value('Content-Length')).toEqual(['0']);
    expect(r.value('Transfer-Encoding')).toEqual([]);
  });
});

describe('R1.13 a mapping of the headers API Gateway sets reads its values, as $input.params() does', () => {
  it.each([
    { given: 'no X-Forwarded-For sent', sent: [] as [string, string][], chain: '127.0.0.1' },
    { given: 'a chain sent', sent: [['X-Forwarded-For', '203.0.113.9']] as [string, string][], chain: '203.0.113.9, 127.0.0.1' },
  ])('method.request.header.X-Forwarded-For with $given; X-Forwarded-Proto is http whatever was sent', async ({ sent, chain }) => {
    const r = received((await send('/mapped', [...sent, ['X-Forwarded-Proto', 'gopher']])).text);
    expect(r.value('X-Client-Chain')).toEqual([chain]);
    expect(r.value('X-Client-Proto')).toEqual(['http']);
  });
});

describe('http (non-proxy) request headers', () => {
  it('without mappings: Accept, User-Agent, Host, Content-Length 0, the trace and API id; no Content-Type for an empty body', async () => {
    // Act
    const r = received((await send('/plain', [['Content-Type', 'application/json']])).text);

    // Assess
    // node's client always adds a Connection header of its own (AWS's request had none): it is left out of the comparison.
    const names = r.headers.map(([n]) => n.toLowerCase()).filter((n) => n !== 'connection');
    expect(names.sort()).toEqual(['accept', 'content-length', 'host', 'user-agent', 'x-amzn-apigateway-api-id', 'x-amzn-trace-id']);
    expect(r.value('Accept')).toEqual(['application/json']);
    expect(r.value('User-Agent')[0]).toMatch(/^AmazonAPIGateway_/);
  });
});

// An REST API's http_proxy endpoint on AWS (fireprox issue 39) got the caller's headers with X-Forwarded-For (the
// caller), X-Forwarded-Port, X-Forwarded-Proto, X-Amzn-Trace-Id and x-amzn-apigateway-api-id, and no Via.
describe('R1.13 http_proxy request headers: the method request API Gateway saw, its X-Forwarded-* included', () => {
  it.each([
    { given: 'no X-Forwarded-For sent', sent: [] as [string, string][], chain: '127.0.0.1' },
    { given: 'a chain sent', sent: [['X-Forwarded-For', '203.0.113.9']] as [string, string][], chain: '203.0.113.9, 127.0.0.1' },
  ])('R1.13 with $given: X-Forwarded-For $chain, X-Forwarded-Port and -Proto the gateway’s, one of each', async ({ sent, chain }) => {
    // Act
    const r = received((await send('/bare-proxy', [...sent, ['X-Forwarded-Proto', 'gopher'], ['X-Forwarded-Port', '1'], ['User-Agent', 'probe/1']])).text);

    // Assess
    expect([r.value('X-Forwarded-For'), r.value('X-Forwarded-Port'), r.value('X-Forwarded-Proto')]).toEqual([[chain], ['80'], ['http']]);
    expect(r.value('User-Agent')).toEqual(['probe/1']);
    expect(r.value('X-Amzn-Apigateway-Api-Id')[0]).toMatch(/^[a-z0-9]{10}$/);
    expect(r.value('X-Amzn-Trace-Id')).toHaveLength(1);
    expect(r.value('Via')).toEqual([]);
  });

  it('R1.13 neighbour: a non-proxy http endpoint gets no X-Forwarded-* unless mapped (AWS sends none: dev.to "API Gateway + HTTP Host = no X_forwarded_for header")', async () => {
    const r = received((await send('/plain', [['X-Forwarded-For', '203.0.113.9']])).text);
    expect([r.value('X-Forwarded-For'), r.value('X-Forwarded-Port'), r.value('X-Forwarded-Proto')]).toEqual([[], [], []]);
  });
});

describe('the method response headers an integration response maps', () => {
  it('pass TE, Via and the ordinary names; rename Content-Length, Expect, Host, Proxy-Authenticate, Trailer, Upgrade, Server; drop Transfer-Encoding', async () => {
    // Act
    const got = await send('/mapped');

    // Assess
    const wire = new Map(got.wire.map(([n, v]) => [n, v]));
    for (const name of ['Accept', 'TE', 'Via', 'Warn']) expect(wire.get(name)).toBe(`value-${name}`);
    for (const name of ['Content-Length', 'Expect', 'Host', 'Proxy-Authenticate', 'Trailer', 'Upgrade', 'Server']) expect(wire.get(`x-amzn-Remapped-${name}`)).toBe(`value-${name}`);
    expect(got.wire.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' || v === 'value-Transfer-Encoding')).toBe(false);
  });
});

describe('an http_proxy endpoint`s answer', () => {
  it('its Content-Length is renamed even when it is right, and its own X-Amzn-Trace-Id passes as sent', async () => {
    // Act
    const got = await send('/proxied');

    // Assess
    const wire = new Map(got.wire.map(([n, v]) => [n, v]));
    expect(wire.get('x-amzn-Remapped-Content-Length')).toBe(String(Buffer.byteLength(got.text)));
    expect(wire.get('X-Amzn-Trace-Id')).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
    expect(wire.has('x-amzn-Remapped-X-Amzn-Trace-Id')).toBe(false);
  });
});
