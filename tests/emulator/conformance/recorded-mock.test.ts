/**
 * Conformance: mock integrations replayed from what AWS answered LocalStack's recorded tests
 * (test_apigateway_basic: test_api_gateway_mock_integration, test_mock_integration_response; test_apigateway_integrations:
 * test_integration_mock_with_*). Templates are our own; requests and answers are the recordings'.
 */
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { loadSwaggerApi, yamlQuoted } from '../support/template-text.js';
import { sendRequest } from './harness.js';

const lines = (...l: string[]) => l.join('\n');
const mock = (path: string, method: string, request: string, response: string | undefined, extra = '') => `
          ${path}:
            ${method}:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: mock
${extra}                requestTemplates: {application/json: ${yamlQuoted(request)}}
                responses: {default: {statusCode: '200'${response === undefined ? '' : `, responseTemplates: {application/json: ${yamlQuoted(response)}}`}}}`;

const passthroughs = ['when_no_match', 'never', 'when_no_templates'];
const template = await loadSwaggerApi('test', [
  mock('/echo/{data}', 'x-amazon-apigateway-any-method', '{"statusCode": 200}', '{"echo": "$input.params(\'data\')", "response": "mocked"}', '                passthroughBehavior: when_no_templates\n'),
  // One method per path: the same mock is served for GET on /<passthrough>/{id} and POST on /<passthrough>-post/{id}.
  ...passthroughs.flatMap((p) =>
    ['get', 'post'].map((m) => mock(`/${p}${m === 'post' ? '-post' : ''}/{id}`, m, '{"statusCode":200}', '{"statusCode": 200, "id": $input.params().path.id}', `                passthroughBehavior: ${p}\n`)),
  ),
  `
          /param/{testPath}:
            get:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: mock
                requestParameters: {integration.request.path.integrationPath: method.request.path.testPath}
                requestTemplates: {application/json: '{statusCode: 200}'}
                responses: {'2\\d{2}': {statusCode: '200'}}`,
  mock('/carry/{testPath}', 'get', lines(
    "#set($body = $util.base64Decode($input.params('testPath')))",
    '#set($context.requestOverride.path.body = $body)',
    '{"statusCode": 200}',
  ), lines(
    '#set($body = $util.parseJson($context.requestOverride.path.body))',
    '#set($inputBody = $body.message)',
    '#if($inputBody == "path1")',
    '{"response": "path was path one"}',
    '#elseif($inputBody == "path2")',
    '{"response": "path was path two"}',
    '#else',
    '{"response": "this is the else clause"}',
    '#end',
  )),
  ...[['/override', true], ['/override-bare', false]].map(([path, withTemplate]) => mock(String(path), 'get', lines(
    '#set($context.responseOverride.status = 444)',
    '#set($context.responseOverride.header.foo = "bar")',
    '#set($context.responseOverride.custom = "is also passed around")',
    '{"statusCode": 200}',
  ), withTemplate ? lines(
    '#set($statusOverride = $context.responseOverride.status)',
    '#set($fooHeader = $context.responseOverride.header.foo)',
    '#set($custom = $context.responseOverride.custom)',
    '{"statusOverride": "$statusOverride", "fooHeader": "$fooHeader", "custom": "$custom"}',
  ) : undefined)),
  mock('/assign', 'get', lines(
    '#set($paramName = "foo")',
    '#set($context.requestOverride.querystring[$paramName] = "bar")',
    '#set($paramPutName = "putfoo")',
    '$context.requestOverride.querystring.put($paramPutName, "putBar")',
    '#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")',
    '{"statusCode": 200}',
  ), lines(
    '#set($value = $context.requestOverride.querystring["foo"])',
    '#set($value2 = $context.requestOverride.querystring["putfoo"])',
    '#set($value3 = $context.requestOverride.querystring["nestedfoo"])',
    '{"value": "$value", "value2": "$value2", "value3": "$value3"}',
  )),
].join(''));
const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
const send = (method: string, path: string, headers: [string, string][] = []) => sendRequest(gateway, { method, path: `/test${path}`, headers });

describe('LS-rec test_api_gateway_mock_integration: an imported any-method mock', () => {
  it('R4.1 GET with no Content-Type takes the application/json templates: {"echo": "foobar", "response": "mocked"}', async () => {
    const got = await send('GET', '/echo/foobar');
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ echo: 'foobar', response: 'mocked' });
  });
});

describe('LS-rec test_mock_integration_response: $input.params().path in a mock response template', () => {
  it.each(passthroughs.flatMap((p) => ['GET', 'POST'].map((m) => ({ p, m }))))('R4.1 $p $m /42 answers {"statusCode": 200, "id": 42}', async ({ p, m }) => {
    const got = await send(m, `/${p}${m === 'POST' ? '-post' : ''}/42`, [['Content-Type', 'application/json']]);
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ id: 42, statusCode: 200 });
  });
});

describe('LS-rec test_integration_mock_with_*: $context overrides set in a mock request template', () => {
  it('R4.4 with_path_param: a path mapping on a mock, the template `{statusCode: 200}`, a 2\\d{2} response: 200, empty body', async () => {
    const got = await send('GET', '/param/test-path');
    expect([got.status, got.text]).toEqual([200, '']);
  });

  const b64 = (message: string) => Buffer.from(JSON.stringify({ message })).toString('base64');
  it.each([
    { message: 'path1', want: 'path was path one' },
    { message: 'path2', want: 'path was path two' },
    { message: 'whatever', want: 'this is the else clause' },
  ])('R2.12 request_overrides_in_response_template: requestOverride.path carries "$message" to the response template', async ({ message, want }) => {
    const got = await send('GET', `/carry/${b64(message)}`);
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ response: want });
  });

  it('R2.12 response_override_in_request_template[True]: status 444, header foo, and a key of our own all reach the response template', async () => {
    const got = await send('GET', '/override');
    expect([got.status, got.headers.get('foo')]).toEqual([444, 'bar']);
    expect(got.json()).toEqual({ statusOverride: '444', fooHeader: 'bar', custom: 'is also passed around' });
  });

  it('R2.12 response_override_in_request_template[False]: without a response template, 444 with header foo and an empty body', async () => {
    const got = await send('GET', '/override-bare');
    expect([got.status, got.headers.get('foo'), got.text]).toEqual([444, 'bar', '']);
  });

  it('R2.12 vtl_map_assignation: requestOverride.querystring set by [key], put() and $context["requestOverride"] all read back', async () => {
    const got = await send('GET', '/assign');
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ value: 'bar', value2: 'putBar', value3: 'nestedFoo' });
  });
});
