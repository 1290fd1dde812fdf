/**
 * HTTP API conformance: what the SAM transform writes into an HttpApi's OpenAPI document and what it refuses (H1.7,
 * H1.13, H1.14), through the real template loader; the document is the one the gateway imports and /docs shows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpGateway } from '../../../emulator/gateway/http/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { HttpApiSpec, LoadedTemplate } from '../../../emulator/template/model.js';
import { sendRequest } from '../conformance/harness.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { echoedV2, httpHarness } from './harness.js';

type Operation = { parameters?: unknown[]; 'x-amazon-apigateway-integration'?: { payloadFormatVersion?: string } };
const FUNCTIONS = resolve('tests/emulator/fixtures/http-api/functions');
const dir = mkdtempSync(join(tmpdir(), 'http-sam-transform-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A template of `resources` (YAML lines at the resource indent) plus the Echo function with `events`, loaded. */
async function load(resources: string[], events: string[] = []): Promise<LoadedTemplate> {
  const file = join(dir, `template-${(files += 1)}.yaml`);
  const echo = ['  Echo:', '    Type: AWS::Serverless::Function', '    Properties:', `      CodeUri: ${FUNCTIONS}`, '      Handler: echo.handler', '      Runtime: nodejs22.x', ...(events.length ? ['      Events:', ...events] : [])];
  writeFileSync(file, ['Transform: AWS::Serverless-2016-10-31', 'Resources:', ...resources, ...echo].join('\n'));
  return loadTemplate(file);
}

/** An HttpApi event of Echo on `Api` (flow-style properties). */
const event = (id: string, properties: string) => `        ${id}: { Type: HttpApi, Properties: { ApiId: !Ref Api, ${properties} } }`;
/** The reports of the APIs a template lost. */
const refusals = (template: LoadedTemplate) => (template.notEmulated ?? []).filter((n) => / is not served$/.test(n));
const apiOf = (template: LoadedTemplate, id: string): HttpApiSpec | undefined => template.httpApis.find((a) => a.logicalId === id);
const operation = (api: HttpApiSpec | undefined, path: string, method: string) => (api?.definition?.paths as Record<string, Record<string, Operation>> | undefined)?.[path]?.[method];

/** A local OpenAPI file for DefinitionUri / AWS::Include: GET /hello to Echo, its uri written with a long-form Fn::Sub. */
const OPENAPI_FILE = join(dir, 'openapi.yaml');
writeFileSync(
  OPENAPI_FILE,
  [
    'openapi: 3.0.1',
    'info: { title: file, version: "1" }',
    'paths:',
    '  /hello:',
    '    get:',
    '      x-amazon-apigateway-integration:',
    '        type: aws_proxy',
    "        payloadFormatVersion: '2.0'",
    "        credentials: 'arn:aws:iam::123456789012:role/invoke'",
    "        uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations' }",
  ].join('\n'),
);

const h = await httpHarness('ServerlessHttpApi');
const auth = await httpHarness('AuthApi');

describe('H1.7 SAM lists the variables of an event\'s Path as required path parameters', () => {
  it.each([
    { given: 'one variable', api: () => h.api, path: '/pets/dog/{id}', method: 'get', want: [{ name: 'id', in: 'path', required: true }] },
    { given: 'a greedy variable (named with its +, as SAM\'s regex takes it)', api: () => h.api, path: '/pets/{proxy+}', method: 'get', want: [{ name: 'proxy+', in: 'path', required: true }] },
    { given: 'an ANY event', api: () => h.api, path: '/{proxy+}', method: 'x-amazon-apigateway-any-method', want: [{ name: 'proxy+', in: 'path', required: true }] },
    { given: 'an event on an explicit API', api: () => auth.api, path: '/simple/{n}', method: 'get', want: [{ name: 'n', in: 'path', required: true }] },
    { given: 'a path without variables: no parameters', api: () => h.api, path: '/pets/dog/1', method: 'get', want: undefined },
    { given: 'the $default event: no parameters', api: () => h.api, path: '$default', method: 'x-amazon-apigateway-any-method', want: undefined },
  ])('H1.7 $given: $path', ({ api, path, method, want }) => {
    // Act
    const found = operation(api(), path, method);

    // Assess
    expect(found).toBeDefined();
    expect(found?.parameters).toEqual(want);
  });

  it('H1.7 several variables in order; a document\'s own parameter of that name is made a required path one, its others kept', async () => {
    // Prepare
    const api = [
      '  Api:',
      '    Type: AWS::Serverless::HttpApi',
      '    Properties:',
      '      DefinitionBody:',
      '        openapi: 3.0.1',
      '        info: { title: t, version: "1" }',
      '        paths:',
      "          '/a/{x}/b/{y}':",
      '            get:',
      '              parameters: [{ name: y, in: query, description: the y }, { name: q, in: query }]',
    ];

    // Act
    const template = await load(api, [event('Get', "Path: '/a/{x}/b/{y}', Method: get")]);

    // Assess
    expect(operation(apiOf(template, 'Api'), '/a/{x}/b/{y}', 'get')?.parameters).toEqual([
      { name: 'y', in: 'path', required: true, description: 'the y' },
      { name: 'q', in: 'query' },
      { name: 'x', in: 'path', required: true },
    ]);
  });

  it('H1.7 / H1.6 an operation the document already integrates keeps its integration and gets the parameters', async () => {
    // Prepare
    const api = [
      '  Api:',
      '    Type: AWS::Serverless::HttpApi',
      '    Properties:',
      '      DefinitionBody:',
      '        openapi: 3.0.1',
      '        info: { title: t, version: "1" }',
      '        paths:',
      "          '/items/{id}':",
      '            get:',
      "              x-amazon-apigateway-integration: { type: aws_proxy, payloadFormatVersion: '1.0', uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations' }",
    ];

    // Act
    const template = await load(api, [event('Get', "Path: '/items/{id}', Method: GET")]);

    // Assess
    const found = operation(apiOf(template, 'Api'), '/items/{id}', 'get');
    expect(found?.['x-amazon-apigateway-integration']?.payloadFormatVersion).toBe('1.0');
    expect(found?.parameters).toEqual([{ name: 'id', in: 'path', required: true }]);
  });
});

describe('H1.13 what SAM writes into the document needs an inline DefinitionBody', () => {
  const withUri = (property: string) => ['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', `      DefinitionUri: ${OPENAPI_FILE}`, `      ${property}`];
  const withBody = (property: string) => ['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', `      ${property}`, '      DefinitionBody:', "        openapi: '3.0.1'", '        info: { title: t, version: "1" }', '        paths: {}'];

  it.each([
    { property: 'CorsConfiguration: true', message: "Resources.Api.Properties.CorsConfiguration: Cors works only with inline OpenApi specified in 'DefinitionBody' property. (H1.13)" },
    { property: 'Auth: { EnableIamAuthorizer: true }', message: "Resources.Api.Properties.Auth: Auth works only with inline OpenApi specified in the 'DefinitionBody' property. (H1.13)" },
    { property: 'Tags: { team: a }', message: "Resources.Api.Properties.Tags: Tags works only with inline OpenApi specified in the 'DefinitionBody' property. (H1.13)" },
    { property: 'Name: my-api', message: "Resources.Api.Properties.Name: Name works only with inline OpenApi specified in the 'DefinitionBody' property. (H1.13)" },
    { property: 'Description: mine', message: "Resources.Api.Properties.Description: Description works only with inline OpenApi specified in the 'DefinitionBody' property. (H1.13)" },
    { property: 'DisableExecuteApiEndpoint: false', message: "Resources.Api.Properties.DisableExecuteApiEndpoint: DisableExecuteApiEndpoint works only within 'DefinitionBody' property. (H1.13)" },
  ])('H1.13 DefinitionUri with $property: refused as SAM refuses it, the API not served', async ({ property, message }) => {
    // Act
    const template = await load(withUri(property));

    // Assess
    expect(apiOf(template, 'Api')).toBeUndefined();
    expect(refusals(template)).toEqual([expect.stringContaining(`${message}; API Api is not served`)]);
  });

  it.each([
    { given: 'DefinitionUri with CorsConfiguration: false (SAM adds nothing)', lines: withUri('CorsConfiguration: false') },
    { given: 'DefinitionUri with empty Tags', lines: withUri('Tags: {}') },
    { given: 'DefinitionBody with CorsConfiguration: true', lines: withBody('CorsConfiguration: true') },
    { given: 'DefinitionBody with Tags, Name, Description and DisableExecuteApiEndpoint', lines: [...withBody('Tags: { team: a }'), '      Name: my-api', '      Description: mine', '      DisableExecuteApiEndpoint: false'] },
  ])('H1.13 neighbour: $given is served', async ({ lines }) => {
    // Act
    const template = await load(lines);

    // Assess
    expect(refusals(template)).toEqual([]);
    expect(apiOf(template, 'Api')).toBeDefined();
  });

  it.each([
    { given: 'AWS::Include in DefinitionBody resolves it: the route answers', body: ['      DefinitionBody:', `        Fn::Transform: { Name: AWS::Include, Parameters: { Location: ${OPENAPI_FILE} } }`], status: 200 },
    { given: 'DefinitionUri leaves it unresolved: the route names no function (500)', body: [`      DefinitionUri: ${OPENAPI_FILE}`], status: 500 },
  ])('H1.13 an Fn::Sub in the OpenAPI file: $given', async ({ body, status }) => {
    // Prepare
    const template = await load(['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', ...body]);
    const gateway = createHttpGateway({ api: apiOf(template, 'Api')!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });

    // Act
    const got = await sendRequest(gateway, { path: '/hello' });

    // Assess
    expect(got.status).toBe(status);
  });

  it.each([
    { given: 'FailOnWarnings: true renames the path key to /$default', failOnWarnings: 'true', key: '/$default', absent: '$default' },
    { given: 'without FailOnWarnings the key stays $default', failOnWarnings: 'false', key: '$default', absent: '/$default' },
  ])('H1.13 $given; the route is the default route either way', async ({ failOnWarnings, key, absent }) => {
    // Prepare
    const template = await load(['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', `      FailOnWarnings: ${failOnWarnings}`], ["        Default: { Type: HttpApi, Properties: { ApiId: !Ref Api } }"]);
    const api = apiOf(template, 'Api')!;
    const gateway = createHttpGateway({ api, template, invoker: new FakeInProcessInvoker(template) });

    // Act
    const event = echoedV2(await sendRequest(gateway, { method: 'POST', path: '/any/path' }));

    // Assess
    expect(Object.keys(api.definition?.paths ?? {})).toContain(key);
    expect(Object.keys(api.definition?.paths ?? {})).not.toContain(absent);
    expect(event.routeKey).toBe('$default');
  });
});

describe('H1.6 SAM writes an event\'s route only into a DefinitionBody, never into a DefinitionUri document', () => {
  it('H1.6 the event whose route the DefinitionUri file lacks adds no route (404) and is named; the one it declares is served', async () => {
    // Prepare
    const template = await load(['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', `      DefinitionUri: ${OPENAPI_FILE}`], [event('Hello', 'Path: /hello, Method: GET, RouteSettings: { ThrottlingBurstLimit: 1 }'), event('Other', 'Path: /other, Method: GET')]);
    const gateway = createHttpGateway({ api: apiOf(template, 'Api')!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });

    // Act
    const other = await sendRequest(gateway, { path: '/other' });

    // Assess
    expect(other.status).toBe(404);
    expect(Object.keys(apiOf(template, 'Api')?.definition?.paths ?? {})).toEqual(['/hello']);
    // SAM's plugin still writes the event's RouteSettings into the API's RouteSettings property.
    expect(apiOf(template, 'Api')?.stages[0]?.routeThrottle).toEqual({ 'GET /hello': { burstLimit: 1 } });
    expect(template.warnings?.filter((w) => w.includes('SAM adds no'))).toEqual([
      "Resources.Echo.Properties.Events.Other.Properties: SAM adds no GET /other to Api's own DefinitionUri (only the Lambda permission), so the route does not exist on AWS either; write it in the document",
    ]);
  });

  it('H1.6 neighbour: the same events on an inline DefinitionBody add the route', async () => {
    // Act
    const template = await load(['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', '      DefinitionBody:', `        Fn::Transform: { Name: AWS::Include, Parameters: { Location: ${OPENAPI_FILE} } }`], [event('Hello', 'Path: /hello, Method: GET'), event('Other', 'Path: /other, Method: GET')]);

    // Assess
    expect(Object.keys(apiOf(template, 'Api')?.definition?.paths ?? {}).sort()).toEqual(['/hello', '/other']);
    expect(template.warnings?.some((w) => w.includes('SAM adds no'))).toBe(false);
  });
});

describe('H1.14 SAM edits only an OpenAPI 3.x document with a paths map', () => {
  const api = (props: string[], doc: string[]) => ['  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', ...props, '      DefinitionBody:', ...doc.map((line) => `        ${line}`)];
  const INVALID = "Invalid OpenApi document. Invalid values or missing keys for 'openapi' or 'paths' in 'DefinitionBody'. (H1.14)";
  const NO_PATHS = ["openapi: '3.0.1'", 'info: { title: t, version: "1" }'];
  const GET = [event('Get', 'Path: /a, Method: GET')];

  it.each([
    { given: 'no paths, with an event', props: [], doc: NO_PATHS, events: GET, message: INVALID },
    { given: 'paths as a list, with an event', props: [], doc: [...NO_PATHS, 'paths: []'], events: GET, message: INVALID },
    { given: 'no openapi key, with an event', props: [], doc: ['info: { title: t, version: "1" }', 'paths: {}'], events: GET, message: INVALID },
    { given: 'openapi "3.0.1.5", with an event', props: [], doc: ["openapi: '3.0.1.5'", 'paths: {}'], events: GET, message: INVALID },
    { given: 'no paths, with CorsConfiguration', props: ['      CorsConfiguration: true'], doc: NO_PATHS, events: [], message: "Unable to add Cors configuration because 'DefinitionBody' does not contain a valid OpenApi definition. (H1.14)" },
    { given: 'no paths, with Auth', props: ['      Auth: { EnableIamAuthorizer: true }'], doc: NO_PATHS, events: [], message: "Unable to add Auth configuration because 'DefinitionBody' does not contain a valid OpenApi definition. (H1.14)" },
    { given: 'no paths, with Tags', props: ['      Tags: { team: a }'], doc: NO_PATHS, events: [], message: "Unable to add `Tags` because 'DefinitionBody' does not contain a valid OpenApi definition. (H1.14)" },
    { given: 'no paths, with Name', props: ['      Name: my-api'], doc: NO_PATHS, events: [], message: INVALID },
  ])('H1.14 $given: refused, the API not served', async ({ props, doc, events, message }) => {
    // Act
    const template = await load(api(props, doc), events);

    // Assess
    expect(apiOf(template, 'Api')).toBeUndefined();
    expect(refusals(template)).toEqual([expect.stringContaining(`Resources.Api.Properties.DefinitionBody: ${message}; API Api is not served`)]);
  });

  it.each([
    { given: "openapi '3.0.1'", version: "'3.0.1'" },
    { given: "openapi '3.0'", version: "'3.0'" },
    { given: "openapi '3.1.0'", version: "'3.1.0'" },
  ])('H1.14 neighbour: $given with paths and an event is served with the event\'s route', async ({ version }) => {
    // Act
    const template = await load(api([], [`openapi: ${version}`, 'info: { title: t, version: "1" }', 'paths: {}']), GET);

    // Assess
    expect(refusals(template)).toEqual([]);
    expect(apiOf(template, 'Api')?.routes.map((r) => r.routeKey)).toEqual(['GET /a']);
  });

  it('H1.14 / H2.1 neighbour: a Swagger 2.0 body with an event is refused as HTTP APIs refuse Swagger', async () => {
    // Act
    const template = await load(api([], ["swagger: '2.0'", 'paths: {}']), GET);

    // Assess
    expect(refusals(template)).toEqual([expect.stringContaining('HTTP APIs import OpenAPI 3.0 documents only (H2.1)')]);
  });
});
