/**
 * Conformance R11.5: which paths a RestApi whose Body is imported serves under its `basepath` import parameter, as
 * AWS answered LocalStack's recorded test_import_rest_apis_with_base_path_swagger and
 * test_import_rest_api_with_base_path_oas30 (the resources each import made). Documents are our own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { sendRequest } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'base-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SWAGGER = ["swagger: '2.0'", 'basePath: /base'];
const SERVER_VARIABLE = ['openapi: 3.0.1', 'servers:', '  - url: https://example.com', '    variables: {basePath: {default: /base-var}}'];
const SERVER_URL = ['openapi: 3.0.1', 'servers:', '  - url: https://example.com/base-url/part/'];

let n = 0;
/** A template of one RestApi whose Body (`head`, then one GET /test mock) is imported with `basepath` mode. */
function write(head: string[], mode: string | undefined): string {
  const file = join(dir, `template-${++n}.yaml`);
  writeFileSync(file, [
    'Resources:',
    '  Api:',
    '    Type: AWS::ApiGateway::RestApi',
    '    Properties:',
    '      Name: base-path',
    ...(mode === undefined ? [] : [`      Parameters: {basepath: ${mode}}`]),
    '      Body:',
    ...head.map((l) => `        ${l}`),
    "        info: {title: base-path, version: '1'}",
    '        paths:',
    '          /test:',
    '            get:',
    "              responses: {'200': {description: ok}}",
    "              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{\"statusCode\": 200}'}, responses: {default: {statusCode: '200'}}}",
    '  Deployment:',
    '    Type: AWS::ApiGateway::Deployment',
    '    Properties: {RestApiId: !Ref Api, StageName: dev}',
  ].join('\n'));
  return file;
}

async function served(head: string[], mode: string | undefined, paths: string[]): Promise<string[]> {
  const template = await loadTemplate(write(head, mode));
  const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
  const answered: string[] = [];
  for (const path of paths) if ((await sendRequest(gateway, { path: `/dev${path}` })).status === 200) answered.push(path);
  return answered;
}

describe('LS-rec test_import_rest_apis_with_base_path_swagger / _with_base_path_oas30: the paths served', () => {
  const candidates = ['/test', '/base/test', '/base-var/test', '/base-url/part/test', '/part/test'];
  it.each([
    { given: 'swagger basePath /base, no parameter', head: SWAGGER, mode: undefined, want: '/test' },
    { given: 'swagger basePath /base, ignore', head: SWAGGER, mode: 'ignore', want: '/test' },
    { given: 'swagger basePath /base, prepend', head: SWAGGER, mode: 'prepend', want: '/base/test' },
    { given: 'swagger basePath /base, split', head: SWAGGER, mode: 'split', want: '/test' },
    { given: 'a basePath server variable, ignore', head: SERVER_VARIABLE, mode: 'ignore', want: '/test' },
    { given: 'a basePath server variable the url does not use, prepend', head: SERVER_VARIABLE, mode: 'prepend', want: '/base-var/test' },
    { given: 'a basePath server variable, split', head: SERVER_VARIABLE, mode: 'split', want: '/test' },
    { given: 'a server url /base-url/part/, ignore', head: SERVER_URL, mode: 'ignore', want: '/test' },
    { given: 'a server url /base-url/part/, prepend', head: SERVER_URL, mode: 'prepend', want: '/base-url/part/test' },
    { given: 'a server url /base-url/part/, split', head: SERVER_URL, mode: 'split', want: '/part/test' },
  ])('R11.5 $given: only $want is served', async ({ head, mode, want }) => {
    expect(await served(head, mode, candidates)).toEqual([want]);
  });

  it('R11.5 a basepath that is no import mode (API Gateway documents only these three; its answer is not recorded) refuses the API, NOT EMULATED naming the key', async () => {
    const template = await loadTemplate(write(SWAGGER, 'append'));
    expect(template.apis).toEqual([]);
    expect(template.notEmulated?.join('\n')).toMatch(/Parameters\.basepath.*"append" is not a basepath import mode: API Gateway takes ignore, prepend or split.*API Api is not served/);
  });
});
