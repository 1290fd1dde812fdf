/**
 * Conformance: an HTTP API's HTTP proxy integration (H2.3) against a loopback backend this test starts: path
 * variables and the `$default` route's path (H3.5), the query string, the `Forwarded` header (H10.10), the answer as
 * the backend gave it, and what the gateway answers itself when the backend fails (H10.4/H10.5 choices).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headerPairs, whenReceived, type Seen } from '../support/echo-backend.js';
import { httpHarness, samHttpApiHead, v2Route } from './harness.js';
import { REFUSED_ORIGIN } from '../support/refused-port.js';

/** Echoes what it received as JSON, with the status asked for in `?status=`; /never never answers. */
let requestsSeen = 0;
function backend(req: IncomingMessage, res: ServerResponse): void {
  requestsSeen += 1;
  whenReceived(req, (seen) => {
    if (req.url === '/never') return;
    const status = Number(/[?&]status=(\d+)/.exec(req.url ?? '')?.[1] ?? 200);
    // No Content-Length: node answers chunked, which the gateway must not pass on.
    res.writeHead(status, ['Content-Type', 'application/json', 'X-Backend', 'b1', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Access-Control-Allow-Origin', 'https://backend.example']);
    res.end(status === 204 ? undefined : JSON.stringify(seen));
  });
}

const server = createServer(backend);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const closedOrigin = REFUSED_ORIGIN;

const dir = mkdtempSync(join(tmpdir(), 'http-proxy-'));
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One AWS::ApiGatewayV2::Integration and Route per row (CloudFormation resources, as CDK's HttpUrlIntegration writes them). */
const ROUTES: { id: string; routeKey: string; uri: string; method?: string; timeout?: number }[] = [
  { id: 'Greedy', routeKey: 'ANY /api/{proxy+}', uri: `${origin}/base/{proxy}` },
  { id: 'Pet', routeKey: 'GET /pets/{petId}', uri: `${origin}/pets/extendedpath/{petId}` },
  { id: 'Fixed', routeKey: 'POST /fixed', uri: `${origin}/fixed?from=uri`, method: 'GET' },
  { id: 'Staged', routeKey: 'GET /staged', uri: '${stageVariables.backend}/staged' },
  { id: 'Slow', routeKey: 'GET /slow', uri: `${origin}/never`, timeout: 50 },
  { id: 'Down', routeKey: 'GET /down', uri: `${closedOrigin}/down` },
  { id: 'Default', routeKey: '$default', uri: `${origin}/root/` },
];
const resources = ROUTES.flatMap(({ id, routeKey, uri, method, timeout }) =>
  v2Route(id, routeKey, ['      IntegrationType: HTTP_PROXY', `      IntegrationMethod: ${method ?? 'ANY'}`, `      IntegrationUri: '${uri}'`, "      PayloadFormatVersion: '1.0'", ...(timeout ? [`      TimeoutInMillis: ${timeout}`] : [])]),
);
const template = join(dir, 'template.yaml');
writeFileSync(
  template,
  [
    'Resources:',
    '  Api:',
    '    Type: AWS::ApiGatewayV2::Api',
    '    Properties:',
    '      Name: proxy',
    '      ProtocolType: HTTP',
    '      CorsConfiguration: { AllowOrigins: [https://app.example] }',
    ...resources,
    '  Stage:',
    '    Type: AWS::ApiGatewayV2::Stage',
    '    Properties:',
    '      ApiId: !Ref Api',
    '      StageName: $default',
    `      StageVariables: { backend: '${origin}' }`,
    '  Quick:',
    '    Type: AWS::ApiGatewayV2::Api',
    '    Properties:',
    '      Name: quick',
    '      ProtocolType: HTTP',
    `      Target: ${origin}/quick`,
    ...samHttpApiHead('Sam'),
    '          /items/{id}:',
    '            get:',
    `              x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: '${origin}/items/{id}', payloadFormatVersion: '1.0' }`,
  ].join('\n'),
);

const h = await httpHarness('Api', template);
const seen = (text: string) => JSON.parse(text) as Seen;
const header = (s: Seen, name: string) => headerPairs(s.headers).filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

describe('H2.3 http_proxy: the request as the endpoint receives it', () => {
  it('forwards the method, the greedy path into {proxy}, the query string, the body and the headers, Host being the endpoint`s', async () => {
    // Act
    const got = await h.send({ method: 'PUT', path: '/api/a/b%20c?x=1&x=2&y=%2F', headers: [['Content-Type', 'text/plain'], ['X-Client', 'c']], body: 'payload' });

    // Assess
    const s = seen(got.text);
    expect(got.status).toBe(200);
    expect(s).toMatchObject({ method: 'PUT', url: '/base/a/b%20c?x=1&x=2&y=%2F', body: 'payload' });
    expect(header(s, 'host')).toEqual([new URL(origin).host]);
    expect(header(s, 'x-client')).toEqual(['c']);
    expect(header(s, 'content-length')).toEqual(['7']);
  });

  it.each([
    { given: 'a plain value', path: '/pets/6', want: '/pets/extendedpath/6' },
    { given: 'an encoded space', path: '/pets/a%20b', want: '/pets/extendedpath/a%20b' },
    { given: 'a double-encoded space (decoded twice, H4.3)', path: '/pets/a%2520b', want: '/pets/extendedpath/a%20b' },
    { given: 'UTF-8 escapes', path: '/pets/caf%C3%A9', want: '/pets/extendedpath/caf%C3%A9' },
    { given: 'an encoded NUL, encoded again ([AMBIGUOUS])', path: '/pets/a%00b', want: '/pets/extendedpath/a%00b' },
  ])('fills {petId} from the route`s path variable: $given', async ({ path, want }) => {
    expect(seen((await h.send({ path })).text).url).toBe(want);
  });

  it('H4.3 an encoded slash separates segments before routing: /pets/a%2Fb is no {petId}, so $default forwards it', async () => {
    expect(seen((await h.send({ path: '/pets/a%2Fb' })).text).url).toBe('/root/pets/a/b');
  });

  it.each([
    { given: 'an encoded slash making ../../etc on $default', path: '/x/..%2F..%2Fetc' },
    { given: 'a double-encoded slash making ../../admin in {petId}', path: '/pets/..%252F..%252Fadmin' },
    { given: 'an encoded dot segment in {petId}', path: '/pets/%252E%252E' },
  ])('H4.3 a path whose decoding makes a dot segment ($given) is 400, nothing sent: it cannot climb out of the uri`s path', async ({ path }) => {
    const before = requestsSeen;
    const got = await h.send({ path });
    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'Bad Request' });
    expect(requestsSeen).toBe(before);
  });

  it.each([
    { given: 'dots inside a segment', path: '/pets/a..b', want: '/pets/extendedpath/a..b' },
    { given: 'a leading dot', path: '/pets/.hidden', want: '/pets/extendedpath/.hidden' },
    { given: 'an escape kept after one decoding on $default (%2541 is %41, as AWS decodes twice)', path: '/x/a%2541', want: '/root/x/a%41' },
  ])('neighbour: $given is sent', async ({ path, want }) => {
    expect(seen((await h.send({ path })).text).url).toBe(want);
  });

  it('a client`s dot segments are resolved before routing: the endpoint path cannot climb out of the uri`s', async () => {
    expect(seen((await h.send({ path: '/api/x/%2E%2E/%2e%2e/etc' })).text).url).toBe('/root/etc');
  });

  it('sends the integration`s own method when it names one, and keeps the uri`s query before the client`s', async () => {
    const s = seen((await h.send({ method: 'POST', path: '/fixed?a=1', body: '{}' })).text);
    expect(s).toMatchObject({ method: 'GET', url: '/fixed?from=uri&a=1' });
  });

  it('H3.5 the $default route appends the request path to the uri; a route with no variable does not', async () => {
    expect(seen((await h.send({ path: '/store/checkout?q=1' })).text).url).toBe('/root/store/checkout?q=1');
    expect(seen((await h.send({ method: 'POST', path: '/fixed' })).text).url).toBe('/fixed?from=uri');
  });

  it('H11.4 fills ${stageVariables.name} in the uri from the stage', async () => {
    expect(seen((await h.send({ path: '/staged' })).text).url).toBe('/staged');
  });

  it('H10.10 turns X-Forwarded-* into one Forwarded header, the caller`s addresses first, and drops hop-by-hop headers', async () => {
    // Act
    const s = seen((await h.send({ path: '/api/x', headers: [['X-Forwarded-For', '203.0.113.7, 198.51.100.1'], ['X-Forwarded-Proto', 'https'], ['Connection', 'keep-alive, X-Drop'], ['TE', 'trailers'], ['Host', 'api.example']] })).text);

    // Assess
    expect(header(s, 'forwarded')).toEqual(['for=203.0.113.7, for=198.51.100.1, for=127.0.0.1;host=api.example;proto=http']);
    expect(header(s, 'x-forwarded-for')).toEqual([]);
    expect(header(s, 'x-forwarded-proto')).toEqual([]);
    expect(header(s, 'te')).toEqual([]);
    expect(header(s, 'x-amzn-trace-id')[0]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });
});

describe('H2.3 http_proxy: the answer as the client receives it', () => {
  it('keeps the backend`s status, headers (each Set-Cookie) and body; the length is the gateway`s, never chunked', async () => {
    // Act
    const got = await h.send({ path: '/api/thing?status=201' });

    // Assess
    expect(got.status).toBe(201);
    expect(got.headers.get('x-backend')).toBe('b1');
    expect(got.wire.filter(([n]) => n.toLowerCase() === 'set-cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2']);
    expect(got.wire.some(([n]) => n.toLowerCase() === 'transfer-encoding')).toBe(false);
    expect(got.headers.get('apigw-requestid')).toBeTruthy();
    expect(seen(got.text).url).toBe('/base/thing?status=201');
  });

  it('passes a 204 on with no body', async () => {
    const got = await h.send({ path: '/api/nothing?status=204' });
    expect(got.status).toBe(204);
    expect(got.text).toBe('');
  });

  it('H9.4 with CORS configured, the API`s headers replace the backend`s', async () => {
    const got = await h.send({ path: '/api/x', headers: [['Origin', 'https://app.example']] });
    expect(got.status).toBe(200);
    expect(got.wire.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin').map(([, v]) => v)).toEqual(['https://app.example']);
  });
});

describe('H10.4 / H10.5 (choices): a backend that fails', () => {
  it.each([
    { given: 'no answer within timeoutInMillis', path: '/slow', status: 503, message: 'Service Unavailable', log: /gave no answer within 50 ms/ },
    { given: 'a refused connection', path: '/down', status: 500, message: 'Internal Server Error', log: /failed: .*ECONNREFUSED/ },
  ])('$given answers $status {"message":"$message"} and logs why', async ({ path, status, message, log }) => {
    const got = await h.send({ path });
    expect(got.status).toBe(status);
    expect(got.json()).toEqual({ message });
    expect(h.logs.some((l) => log.test(l))).toBe(true);
  });
});

describe('http_proxy as templates declare it', () => {
  it('reports every HTTP proxy route emulated, with its method and endpoint', () => {
    const greedy = h.gateway.routes.find((r) => r.path === '/api/{proxy+}');
    expect(greedy).toMatchObject({ integration: 'http_proxy', emulated: true, detail: `ANY ${origin}/base/{proxy}` });
    expect(h.gateway.routes.find((r) => r.method === '$default')?.detail).toBe(`ANY ${origin}/root/ + request path`);
  });

  it('an AWS::ApiGatewayV2::Api quick create whose Target is a URL proxies its $default route there', async () => {
    const quick = await httpHarness('Quick', template);
    expect(seen((await quick.send({ method: 'DELETE', path: '/a/b' })).text)).toMatchObject({ method: 'DELETE', url: '/quick/a/b' });
  });

  it('a SAM HttpApi DefinitionBody with an http_proxy integration', async () => {
    const sam = await httpHarness('Sam', template);
    expect(seen((await sam.send({ path: '/items/7' })).text)).toMatchObject({ method: 'GET', url: '/items/7' });
  });
});
