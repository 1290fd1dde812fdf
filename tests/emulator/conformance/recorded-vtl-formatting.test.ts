/**
 * Conformance: how `$input.path` and `$input.body` print in templates, replayed from what AWS answered LocalStack's
 * recorded test_input_path_template_formatting and test_input_body_formatting (REST, `http` integrations). Templates
 * are our own; the requests and the answers are the recordings'.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { whenReceived } from '../support/echo-backend.js';
import { loadSwaggerApi, yamlQuoted } from '../support/template-text.js';
import { sendRequest } from './harness.js';

// /json answers as httpbin's /post does (the parsed body under "json"); /raw answers with the body it received.
const server = createServer((req, res) =>
  whenReceived(req, (seen) => {
    if (req.url === '/json') {
      let json: unknown = null;
      try {
        json = JSON.parse(seen.body);
      } catch {
        // httpbin reports a body that is no JSON as "json": null.
      }
      res.writeHead(200, ['Content-Type', 'application/json']).end(JSON.stringify({ data: seen.body, json }));
    } else res.writeHead(200, ['Content-Type', 'application/json']).end(seen.body);
  }),
);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const route = (path: string, endpoint: string, request: string | undefined, response: string) => `
          /${path}:
            post:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: http
                httpMethod: POST
                uri: ${base}/${endpoint}
${request === undefined ? '' : `                requestTemplates: {application/json: ${yamlQuoted(request)}}\n`}                responses: {default: {statusCode: '200', responseTemplates: {application/json: ${yamlQuoted(response)}}}}`;

const probe = (ref: string) => `#set($result = ${ref}){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}`;
const RAW = '#set($result = $input.body)$result';
const IN_STR = 'Action=SendMessage&MessageBody=$input.body';

const template = await loadSwaggerApi('dev', [
  route('path', 'json', undefined, '#set($result = $input.path("$.json"))$result'),
  route('nested', 'json', undefined, '#set($result = $input.path("$.json"))$result.nested'),
  route('list', 'json', undefined, '#set($result = $input.path("$.json"))$result[0]'),
  route('to-string', 'json', undefined, '#set($result = $input.path("$.json"))$result.toString()'),
  route('invalid-path', 'json', undefined, probe('$input.path("$.nonExisting")')),
  route('nested-list', 'json', undefined, probe('$input.path("$.json.listValue")')),
  route('raw-body', 'raw', RAW, RAW),
  route('str-body-input', 'raw', IN_STR, RAW),
  route('str-body-output', 'raw', RAW, IN_STR),
  route('str-body-all', 'raw', IN_STR, IN_STR),
  route('body-attr-access', 'raw', '#set($result = $input.body.testAccess)$result', RAW),
  route('url-encode', 'raw', 'EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)', RAW),
].join(''));
const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
const post = async (path: string, body?: string) => {
  const got = await sendRequest(gateway, { method: 'POST', path: `/dev/${path}`, headers: [['Content-Type', 'application/json']], ...(body === undefined ? {} : { body }) });
  expect(got.status).toBe(200);
  return got.text;
};

describe('LS-rec test_input_path_template_formatting: $input.path results printed by a response template', () => {
  it.each([
    { given: 'dict-response', path: 'path', body: '{"foo": "bar"}', want: '{foo=bar}' },
    { given: 'json-list', path: 'path', body: '[{"foo": "bar"}]', want: '[{"foo":"bar"}]' },
    { given: 'nested-dict', path: 'nested', body: '{"nested": {"foo": "bar"}}', want: '{foo=bar}' },
    { given: 'nested-list', path: 'nested', body: '{"nested": [{"foo": "bar"}]}', want: '[{"foo":"bar"}]' },
    { given: 'dict-in-list', path: 'list', body: '[{"foo": "bar"}]', want: '{foo=bar}' },
    { given: 'list-with-nested-list', path: 'list', body: '[[{"foo": "bar"}]]', want: '[{"foo":"bar"}]' },
    { given: 'dict-with-nested-list', path: 'path', body: '{"foo": [{"nested": "bar"}]}', want: '{foo=[{"nested":"bar"}]}' },
    { given: 'bigger-dict', path: 'path', body: '{"bigger": "dict", "to": "test", "with": "separators"}', want: '{bigger=dict, to=test, with=separators}' },
    { given: 'to-string', path: 'to-string', body: '{"foo": "bar"}', want: '{foo=bar}' },
    { given: 'list-to-string', path: 'to-string', body: '{"list": [{"foo": "bar"}]}', want: '{list=[{"foo":"bar"}]}' },
    { given: 'empty-body', path: 'invalid-path', body: undefined, want: '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}' },
    { given: 'nested-empty-list', path: 'nested-list', body: '{"listValue": []}', want: '{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}' },
    { given: 'nested-null-list', path: 'nested-list', body: '{"listValue": null}', want: '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}' },
  ])('R3.4 $given: $want', async ({ path, body, want }) => {
    expect(await post(path, body)).toBe(want);
  });
});

describe('LS-rec test_input_body_formatting: $input.body in request and response templates', () => {
  // An absent body is `{}` to $input.body; the endpoint answers with what it received.
  const bodies = { 'empty-body': undefined, 'json-body': '{"some": "value"}', 'str-body': 'some raw data' } as const;
  it.each([
    { route: 'raw-body', want: { 'empty-body': '{}', 'json-body': '{"some": "value"}', 'str-body': 'some raw data' } },
    { route: 'str-body-input', want: { 'empty-body': 'Action=SendMessage&MessageBody={}', 'json-body': 'Action=SendMessage&MessageBody={"some": "value"}', 'str-body': 'Action=SendMessage&MessageBody=some raw data' } },
    { route: 'str-body-output', want: { 'empty-body': 'Action=SendMessage&MessageBody={}', 'json-body': 'Action=SendMessage&MessageBody={"some": "value"}', 'str-body': 'Action=SendMessage&MessageBody=some raw data' } },
    {
      route: 'str-body-all',
      want: {
        'empty-body': 'Action=SendMessage&MessageBody=Action=SendMessage&MessageBody={}',
        'json-body': 'Action=SendMessage&MessageBody=Action=SendMessage&MessageBody={"some": "value"}',
        'str-body': 'Action=SendMessage&MessageBody=Action=SendMessage&MessageBody=some raw data',
      },
    },
    // $input.body is a string: .testAccess is nothing, so the endpoint got an empty body, which reads back as {}.
    { route: 'body-attr-access', want: { 'empty-body': '{}', 'json-body': '{}', 'str-body': '{}' } },
    {
      route: 'url-encode',
      want: {
        'empty-body': 'EncodedBody=%7B%7D&EncodedBodyAccess=',
        'json-body': 'EncodedBody=%7B%22some%22%3A+%22value%22%7D&EncodedBodyAccess=',
        'str-body': 'EncodedBody=some+raw+data&EncodedBodyAccess=',
      },
    },
  ])('R3.4 $route', async ({ route: path, want }) => {
    const got: Record<string, string> = {};
    for (const [name, body] of Object.entries(bodies)) got[name] = await post(path, body);
    expect(got).toEqual(want);
  });
});
