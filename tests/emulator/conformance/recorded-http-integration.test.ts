/**
 * Conformance: REST `http` and `http_proxy` integrations replayed from what AWS answered LocalStack's recorded
 * test_apigateway_http tests (test_http_integration_with_lambda, _invoke_status_code_passthrough, _method,
 * test_http_proxy_integration_request_data_mappings). The recordings' endpoint was a Lambda function URL echoing what
 * it received; headers a function URL adds itself (X-Forwarded-*, x-amzn-tls-*) are not API Gateway's and are not
 * compared. Templates are our own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { headerPairs, whenReceived } from '../support/echo-backend.js';
import { loadSwaggerApi } from '../support/template-text.js';
import { sendRequest } from './harness.js';

// /status/<n> answers <n> with {"message": "", "status_code": n}; anything else echoes the request as JSON.
const server = createServer((req, res) =>
  whenReceived(req, (seen) => {
    const url = new URL(seen.url, 'http://x');
    const status = /^\/status\/(\d{3})$/.exec(url.pathname);
    if (status) {
      res.writeHead(Number(status[1]), ['Content-Type', 'application/json']).end(JSON.stringify({ message: '', status_code: Number(status[1]) }));
      return;
    }
    const args: Record<string, string> = {};
    for (const [k, v] of url.searchParams) args[k] = k in args ? `${args[k]},${v}` : v;
    const headers: Record<string, string> = {};
    for (const [k, v] of headerPairs(seen.headers)) headers[k.toLowerCase()] = v;
    const text = JSON.stringify({ args, data: seen.body, headers, method: seen.method, path: url.pathname });
    // Framed with its length, as the recordings' function URL answered.
    res.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(text))]).end(text);
  }),
);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const route = (path: string, method: string, type: string, uri: string, params = '') => `
          ${path}:
            ${method}:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: ${type}
                httpMethod: POST
                uri: '${uri}'
${params}                responses: {default: {statusCode: '200'}}`;
const mapped = (pairs: Record<string, string>) => `                requestParameters:\n${Object.entries(pairs).map(([k, v]) => `                  ${k}: ${v}\n`).join('')}`;

const template = await loadSwaggerApi('test', [
  ...['http', 'http_proxy'].map((t) => route(`/${t}/test`, 'x-amazon-apigateway-any-method', t, `${base}/`)),
  ...['http', 'http_proxy'].map((t) => route(`/${t}/status/{map+}`, 'post', t, `${base}/status/{map}`, mapped({ 'integration.request.path.map': 'method.request.path.map' }))),
  route('/', 'get', 'http', `${base}/`, mapped({ 'integration.request.header.testHeader': 'method.request.header.customHeader', 'integration.request.header.contextHeader': 'context.resourceId' })),
  route('/mapped/{pathVariable}', 'post', 'http_proxy', `${base}/?testVar={pathVar}&testQs={qsVar}`, mapped({
    'integration.request.header.headerVar': 'method.request.header.foobar',
    'integration.request.path.qsVar': 'method.request.querystring.testVar',
    'integration.request.path.pathVar': 'method.request.path.pathVariable',
    'integration.request.querystring.queryString': 'method.request.querystring.testQueryString',
    'integration.request.querystring.testQs': 'method.request.querystring.testQueryString',
    'integration.request.querystring.testEmptyQs': 'method.request.header.emptyheader',
  })),
].join(''));
const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });

interface Echo { args: Record<string, string>; data: string; headers: Record<string, string>; method: string; path: string }
// As Python's json.dumps wrote it (26 bytes).
const BODY = '{"message": "hello world"}';
const post = async (path: string, headers: [string, string][], method = 'POST') => {
  const got = await sendRequest(gateway, { method, path: `/test${path}`, body: BODY, headers: [['Content-Type', 'application/json'], ...headers] });
  expect(got.status).toBe(200);
  return { got, echo: got.json() as Echo };
};

describe('LS-rec test_http_integration_with_lambda: what the endpoint receives and what the client gets back', () => {
  // As Python's requests sent them (it adds Accept-Encoding itself).
  const client: [string, string][] = [['Accept', 'application/xml'], ['User-Agent', 'test/integration'], ['Accept-Encoding', 'gzip, deflate']];

  it('R2.1 http: Accept application/json and User-Agent AmazonAPIGateway_<apiId> in place of the client`s, with the api id and a trace id', async () => {
    const { got, echo } = await post('/http/test', client);
    const apiId = echo.headers['x-amzn-apigateway-api-id'];
    expect(apiId).toBeTruthy();
    expect(echo.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'content-length': '26', 'user-agent': `AmazonAPIGateway_${apiId}` });
    expect(echo.headers['x-amzn-trace-id']).toMatch(/^Root=1-/);
    expect([echo.method, echo.path, echo.data, echo.args]).toEqual(['POST', '/', BODY, {}]);
    // The client's Accept-Encoding is not sent on: AWS's recording has none (only http_proxy passes it).
    expect(echo.headers['accept-encoding']).toBeUndefined();
    // The integration response's body goes back as it is; none of the endpoint's headers are remapped.
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.wire.filter(([n]) => /^x-amzn-remapped-/i.test(n))).toEqual([]);
  });

  it('R2.1 http_proxy: the client`s Accept and User-Agent pass, with the api id and a trace id', async () => {
    const { got, echo } = await post('/http_proxy/test', client);
    // The endpoint's Connection, Content-Length and Date come back renamed (the recording's function URL also sent
    // x-amzn-RequestId, renamed the same way).
    const remapped = got.wire.filter(([n]) => /^x-amzn-remapped-/i.test(n)).map(([n]) => n.toLowerCase()).sort();
    expect(remapped).toEqual(['x-amzn-remapped-connection', 'x-amzn-remapped-content-length', 'x-amzn-remapped-date']);
    expect(echo.headers).toMatchObject({ accept: 'application/xml', 'accept-encoding': 'gzip, deflate', 'content-type': 'application/json', 'content-length': '26', 'user-agent': 'test/integration' });
    expect(echo.headers['x-amzn-apigateway-api-id']).toBeTruthy();
    expect(echo.headers['x-amzn-trace-id']).toMatch(/^Root=1-/);
    expect([echo.method, echo.path, echo.data]).toEqual(['POST', '/', BODY]);
  });
});

describe('LS-rec test_http_integration_method: an ANY method whose integration method is POST', () => {
  it.each(['http', 'http_proxy'])('R2.1 %s: the endpoint is called with POST', async (type) => {
    const { echo } = await post(`/${type}/test`, [['Accept', 'application/json'], ['User-Agent', 'test/integration']], 'PUT');
    expect(echo.method).toBe('POST');
    expect(echo.headers['user-agent']).toBe(type === 'http' ? `AmazonAPIGateway_${echo.headers['x-amzn-apigateway-api-id']}` : 'test/integration');
  });
});

describe('LS-rec test_http_integration_invoke_status_code_passthrough: an endpoint answering 400', () => {
  it.each([
    { type: 'http', code: 200, want: 200 },
    { type: 'http', code: 400, want: 200 },
    { type: 'http_proxy', code: 200, want: 200 },
    { type: 'http_proxy', code: 400, want: 400 },
  ])('R2.6 $type, endpoint $code: the client gets $want and the endpoint`s body', async ({ type, code, want }) => {
    const got = await sendRequest(gateway, { method: 'POST', path: `/test/${type}/status/${code}` });
    expect(got.status).toBe(want);
    expect(got.json()).toEqual({ message: '', status_code: code });
  });
});

describe('LS-rec test_http_proxy_integration_request_data_mappings', () => {
  it('R2.10 mapped query values follow the uri`s, the client`s query passes after them, a mapped header replaces the client`s', async () => {
    const { echo } = await post('/mapped/foobar?testQueryString=foo&testVar=bar', [
      ['Accept', 'application/json'], ['foobar', 'mapped-value'], ['User-Agent', 'test/integration'], ['headerVar', 'request-value'],
    ]);
    expect(echo.args).toEqual({ queryString: 'foo', testQs: 'bar,foo', testQueryString: 'foo', testVar: 'foobar,bar' });
    expect(echo.headers).toMatchObject({ foobar: 'mapped-value', headervar: 'mapped-value', 'user-agent': 'test/integration', accept: 'application/json' });
    expect(echo.path).toBe('/');
  });
});

describe('LS-rec test_integration_request_parameters_mapping (validated, asserted in code)', () => {
  it('R2.10 a header from a method request header and one from context.resourceId (the root resource`s id)', async () => {
    const got = await sendRequest(gateway, { path: '/test/', headers: [['customHeader', 'test']] });
    expect(got.status).toBe(200);
    const { headers } = got.json() as Echo;
    expect(headers.testheader).toBe('test');
    expect(headers.contextheader).toMatch(/^[a-z0-9]{10}$/);
    expect(headers.contextheader).toBe(template.apis[0]!.resourceIds?.['/']);
  });
});
