/** `/docs` for HTTP APIs (emulator/docs/http-document.ts): the document each kind of HTTP API gets, and when the API owns /docs. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { displayDocument } from '../../../emulator/docs/display-document.js';
import { httpApiOwnsDocs, httpDocsDocument } from '../../../emulator/docs/http-document.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { HttpApiSpec } from '../../../emulator/template/model.js';

const fixture = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DOCS = fixture('../fixtures/docs/template.yaml');
const HTTP_FIXTURE = fixture('../fixtures/http-api/template.yaml');
const CFN_FIXTURE = fixture('../fixtures/http-api/cfn-template.yaml');
const TASK_API = fixture('../../../template.yaml');

async function httpApi(templatePath: string, logicalId: string, parameterOverrides?: Record<string, string>): Promise<HttpApiSpec> {
  const template = await loadTemplate(templatePath, parameterOverrides ? { parameterOverrides } : {});
  const api = template.httpApis.find((a) => a.logicalId === logicalId);
  if (!api) throw new Error(`no HTTP API ${logicalId} in ${templatePath}`);
  return api;
}

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  description?: string;
  security?: unknown;
  responses?: unknown;
  parameters: Json[];
}
interface Shown {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation> & { parameters?: Json[] }>;
  components: { securitySchemes: Record<string, Json> };
}
const shown = (api: HttpApiSpec): Shown => displayDocument(httpDocsDocument(api)) as unknown as Shown;

describe('httpDocsDocument', () => {
  it('H2.9 an API with a DefinitionBody (the Task API at ApiType=HTTP): its own operations, JWT as a bearer token, no API key scheme', async () => {
    const api = await httpApi(TASK_API, 'TaskHttpApi', { ApiType: 'HTTP' });

    const doc = shown(api);

    expect(doc.info.title).toContain('Task API');
    expect(doc.paths['/tasks']!.get!).toMatchObject({ operationId: 'listTasks', security: [{ CognitoUserPool: [] }] });
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.paths['/admin/users/{userId}/tasks']!.get!.security).toEqual([{ AdminAuthorizer: [] }]);
    expect(doc.components.securitySchemes.CognitoUserPool).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.securitySchemes.AdminAuthorizer).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(Object.values(doc.components.securitySchemes).map((s) => s.name)).not.toContain('x-api-key');
    // Declared through a $ref at the path level: not declared a second time.
    expect(doc.paths['/tasks/{taskId}']!.get!.parameters.filter((p) => p.in === 'path')).toEqual([]);
  });

  it('H1.4 an HttpApi without a definition: the operations SAM writes for its events, with path parameters, a response and the ANY route as verbs (H3.3)', async () => {
    const api = await httpApi(DOCS, 'FilesApi');

    const doc = shown(api);

    expect(Object.keys(doc.paths).sort()).toEqual(['/files/{proxy+}', '/items/{id}']);
    expect(Object.keys(doc.paths['/items/{id}']!).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    expect(doc.paths['/items/{id}']!.put!).toMatchObject({ summary: 'ANY /items/{id}', security: [{ Jwt: [] }], parameters: [{ name: 'id', in: 'path', required: true }] });
    expect(doc.paths['/files/{proxy+}']!.get!.security).toEqual([]);
    expect(doc.paths['/files/{proxy+}']!.get!.responses).toEqual({ default: { description: "the integration's answer" } });
  });

  it('H3.2 a greedy path keeps its {proxy+} template, with a parameter named "proxy+" so that Swagger UI fills it in', async () => {
    const doc = shown(await httpApi(DOCS, 'FilesApi'));

    expect(doc.paths['/files/{proxy+}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'proxy+', in: 'path', required: true })]);
  });

  it('a greedy variable declared "proxy" (as AWS exports it) is renamed "proxy+", not declared twice', () => {
    const doc = displayDocument({ openapi: '3.0.1', paths: { '/{proxy+}': { parameters: [{ name: 'proxy', in: 'path', required: true }], get: { responses: {} } } } }) as unknown as Shown;

    expect(doc.paths['/{proxy+}']!.parameters).toEqual([{ name: 'proxy+', in: 'path', required: true }]);
    expect(doc.paths['/{proxy+}']!.get!.parameters).toEqual([]);
  });

  it('H2.8 an API whose routes are AWS::ApiGatewayV2::Route resources only: one operation per route, its authorizer as the resource declares it', async () => {
    const api = await httpApi(CFN_FIXTURE, 'PlainApi');

    const doc = shown(api);

    expect(doc.paths['/items/{id}']!.get!).toMatchObject({ summary: 'GET /items/{id}', security: [{ CognitoAuthorizer: [] }], parameters: [{ name: 'id', in: 'path' }] });
    expect(doc.paths['/locked']!.get!.security).toEqual([{ LockedAuthorizer: [] }]);
    expect(doc.components.securitySchemes.LockedAuthorizer).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-key' });
    expect(doc.paths['/iam']!.get!.description).toContain('AWS_IAM: sign the request with SigV4');
  });

  it('H3.2 the $default route is no path of the document: its info says where unmatched requests go', async () => {
    const doc = shown(await httpApi(CFN_FIXTURE, 'PlainApi'));

    expect(Object.keys(doc.paths).some((p) => p.includes('$default'))).toBe(false);
    expect(doc.info.description).toContain('`$default` route (EchoFunction)');
  });

  it('H7.4 a route that requires scopes says which', async () => {
    const doc = shown(await httpApi(HTTP_FIXTURE, 'AuthApi'));

    expect(doc.paths['/scoped']!.get!.description).toContain('tasks/read');
    expect(doc.paths['/scoped']!.get!.security).toEqual([{ Jwt: [] }]);
  });
});

describe('httpApiOwnsDocs', () => {
  it.each([
    { given: 'an API on a named stage only', template: DOCS, id: 'PlainApi' },
    { given: 'a $default stage whose routes do not match /docs', template: DOCS, id: 'FilesApi' },
  ])('H0.1 $given: /docs is free (API Gateway would answer 404)', async ({ template, id }) => {
    expect(httpApiOwnsDocs(await httpApi(template, id))).toBeUndefined();
  });

  it.each([
    { given: 'a $default stage with a $default route and ANY /{proxy+}', template: HTTP_FIXTURE, id: 'ServerlessHttpApi', owner: 'route ANY /{proxy+} owns GET /docs' },
    { given: 'a $default stage with a $default route and a named stage', template: CFN_FIXTURE, id: 'PlainApi', owner: 'route $default owns GET /docs' },
  ])('H3.4 $given: the route keeps /docs', async ({ template, id, owner }) => {
    expect(httpApiOwnsDocs(await httpApi(template, id))).toBe(owner);
  });

  it('H0.1 a stage named "docs" owns /docs', async () => {
    const api = await httpApi(DOCS, 'PlainApi');

    expect(httpApiOwnsDocs({ ...api, stages: [{ ...api.stages[0]!, name: 'docs' }] })).toBe('the stage named "docs" owns /docs');
  });
});
