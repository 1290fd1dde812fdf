/** HTTP API conformance: stages and routing (H0.1, H3), through the implicit SAM API (H1.4, H1.5). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpGateway } from '../../../emulator/gateway/http/pipeline.js';
import { HttpRoutes } from '../../../emulator/gateway/http/routing.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { TemplateError } from '../../../emulator/template/model.js';
import { sendRequest } from '../conformance/harness.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { echoedV2, httpHarness } from './harness.js';

const h = await httpHarness('ServerlessHttpApi');

describe('H3.3 methods HTTP APIs have no route verb for (TRACE, TRACK, CONNECT: passed beside the Fetch Request)', () => {
  it.each(['TRACE', 'TRACK', 'CONNECT'])('%s /pets/dog/1 is not the GET route, nor ANY: the $default route takes it', async (method) => {
    // Prepare
    const request = new Request('http://localhost/pets/dog/1', { method: 'GET' });

    // Act
    const response = await h.gateway.fetch(request, { method, rawHeaders: ['Host', 'localhost'] });

    // Assess
    const event = JSON.parse(await response.text()) as { routeKey: string; requestContext: { http: { method: string } } };
    expect([response.status, event.routeKey, event.requestContext.http.method]).toEqual([200, '$default', method]);
  });

  it('neighbour: GET /pets/dog/1 is the GET route', async () => {
    expect(echoedV2(await h.send({ path: '/pets/dog/1' })).routeKey).toBe('GET /pets/dog/1');
  });
});

describe('H3.4 route priority (DG example) on the implicit ServerlessHttpApi', () => {
  it.each([
    { rule: 'H3.4 static segment beats a variable', method: 'GET', path: '/pets/dog/1', routeKey: 'GET /pets/dog/1', params: undefined },
    { rule: 'H3.4 B2 variable', method: 'GET', path: '/pets/dog/2', routeKey: 'GET /pets/dog/{id}', params: { id: '2' } },
    { rule: 'H3.4 greedy variable', method: 'GET', path: '/pets/cat/1', routeKey: 'GET /pets/{proxy+}', params: { proxy: 'cat/1' } },
    { rule: 'H3.3 B3 ANY catches a method no route defines', method: 'POST', path: '/test/5', routeKey: 'ANY /{proxy+}', params: { proxy: 'test/5' } },
    { rule: 'H3.3 explicit GET route does not take POST', method: 'POST', path: '/pets/dog/1', routeKey: 'ANY /{proxy+}', params: { proxy: 'pets/dog/1' } },
    { rule: 'H1.5 / H3.4 $default route catches what nothing else matches', method: 'GET', path: '/', routeKey: '$default', params: undefined },
  ])('$rule: $method $path → $routeKey', async ({ method, path, routeKey, params }) => {
    const event = echoedV2(await h.send({ method, path }));
    expect(event.routeKey).toBe(routeKey);
    expect(event.requestContext.routeKey).toBe(routeKey);
    expect(event.pathParameters).toEqual(params);
    expect(event.requestContext.http.method).toBe(method);
  });

  it('H3.7 [AMBIGUOUS] a trailing slash matches the route without it, and stays in rawPath', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/1/' }));
    expect(event.routeKey).toBe('GET /pets/dog/1');
    expect(event.rawPath).toBe('/pets/dog/1/');
  });

  // A live HTTP API event for `POST /handler/` on `ANY /handler/{proxy+}` has pathParameters {"proxy": ""} (eu-central-1,
  // 2022-02-06); storacha/w3infra#166 served `/metrics/` with `GET /metrics/{proxy+}`.
  it('H3.2 / H3.7 a trailing slash reaches the greedy route under it with an empty value; without the slash it does not', async () => {
    const slashed = echoedV2(await h.send({ path: '/pets/' }));
    expect([slashed.routeKey, slashed.pathParameters, slashed.rawPath]).toEqual(['GET /pets/{proxy+}', { proxy: '' }, '/pets/']);
    const bare = echoedV2(await h.send({ path: '/pets' }));
    expect([bare.routeKey, bare.pathParameters]).toEqual(['ANY /{proxy+}', { proxy: 'pets' }]);
  });

  it('H3.8 [AMBIGUOUS] paths are case-sensitive: /PETS/dog/1 is not GET /pets/dog/1', async () => {
    expect(echoedV2(await h.send({ path: '/PETS/dog/1' })).routeKey).toBe('ANY /{proxy+}');
  });

  it('H3.1 the $default stage is served at the root: no stage segment in rawPath, stage "$default"', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/7' }));
    expect(event.rawPath).toBe('/pets/dog/7');
    expect(event.requestContext.stage).toBe('$default');
  });
});

describe('H0.1 / H10.1 no route: 404 Not Found', () => {
  it('B1 a named-stage API answers 404 for a path outside its stage and for an unknown route', async () => {
    const named = await httpHarness('AuthApi');
    for (const path of ['/prod/me', '/me', '/dev/nowhere']) {
      const got = await named.send({ path });
      expect(got.status).toBe(404);
      expect(got.json()).toEqual({ message: 'Not Found' });
      expect(got.headers.get('content-type')).toBe('application/json');
      expect(got.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
      expect(got.headers.get('x-amzn-requestid')).toBeNull();
      expect(got.headers.get('x-amzn-errortype')).toBeNull();
    }
    expect(named.invoker.calls).toHaveLength(0);
  });

  it('H3.6 a named stage keeps its segment in rawPath and http.path; routing uses the rest', async () => {
    const named = await httpHarness('AuthApi');
    const event = echoedV2(await named.send({ path: '/dev/open' }));
    expect(event.rawPath).toBe('/dev/open');
    expect(event.requestContext.http.path).toBe('/dev/open');
    expect(event.requestContext.stage).toBe('dev');
    expect(event.routeKey).toBe('ANY /open');
  });
});

describe('H3.2 / H3.7 route keys the gateway refuses', () => {
  const base = { logicalId: 'A', apiId: 'a', stages: [], authorizers: {}, source: 'test', notes: [] };
  const route = (routeKey: string) => ({ routeKey, authorizationType: 'NONE' as const, authorizationScopes: [], location: routeKey });
  it.each([
    { rule: 'H3.7 a path ending with "/"', keys: ['GET /a/'], message: 'cannot end with "/"' },
    { rule: 'H1.5 two $default routes', keys: ['$default', '$default'], message: 'a second $default route' },
    { rule: 'H3.2 a key that is neither "METHOD /path" nor $default', keys: ['/a'], message: 'is not "METHOD /path"' },
    { rule: 'H3.2 a greedy variable that is not the last segment', keys: ['GET /{p+}/x'], message: 'greedy path variable must be the last segment' },
    {
      rule: 'H3.2 two variables of other names at one level (CreateRoute\'s ConflictException)',
      keys: ['GET /groups/{id}', 'PUT /groups/{groupId}/members/{memberId}'],
      message: 'The provided route key "PUT /groups/{groupId}/members/{memberId}" has a conflicting variable on the same hierarchical level as "GET /groups/{id}"',
    },
    { rule: 'H3.2 a variable beside a greedy variable', keys: ['ANY /a/{proxy+}', 'GET /a/{id}'], message: 'The provided route key "GET /a/{id}" has a conflicting variable on the same hierarchical level as "ANY /a/{proxy+}"' },
  ])('$rule: refused as the template\'s error (no stack trace at start)', ({ keys, message }) => {
    const build = () => new HttpRoutes({ ...base, routes: keys.map(route) });

    expect(build).toThrow(message);
    expect(build).toThrow(TemplateError);
  });

  it('H3.2 one variable name at a level, under routes of other methods and depths, is accepted', () => {
    const routes = new HttpRoutes({ ...base, routes: ['GET /groups/{id}', 'PUT /groups/{id}/members/{memberId}', 'DELETE /groups/{id}/members/{memberId}'].map(route) });

    expect(routes.route('PUT', '/groups/g1/members/m1')?.pathParameters).toEqual({ id: 'g1', memberId: 'm1' });
  });

  it('H3.2 the root route "GET /" is accepted', () => {
    expect(new HttpRoutes({ ...base, routes: [route('GET /')] }).route('GET', '/')?.route.routeKey).toBe('GET /');
  });
});

describe('H3.8 [AMBIGUOUS] HEAD', () => {
  it('H3.8 HEAD is not served by a GET route: on the implicit API it falls to ANY /{proxy+}', async () => {
    const got = await h.send({ method: 'HEAD', path: '/pets/dog/1' });
    expect(got.status).toBe(200);
    expect(h.invoker.calls.at(-1)?.event).toMatchObject({ routeKey: 'ANY /{proxy+}' });
  });
});

const dir = mkdtempSync(join(tmpdir(), 'http-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ECHO = `  Echo: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, CodeUri: ${resolve('tests/emulator/fixtures/http-api/functions')}, Handler: echo.handler } }`;
/** An integration to Echo, invoked with a role (no permission needed, H6.8), at the given indent. */
const echoIntegration = (indent: string) =>
  [
    'x-amazon-apigateway-integration:',
    '  type: aws_proxy',
    "  payloadFormatVersion: '2.0'",
    "  credentials: 'arn:aws:iam::123456789012:role/invoke'",
    "  uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations'",
  ].map((line) => `${indent}${line}`);
/** A template file holding `lines` (YAML), in this file's temp folder. */
function templateFile(name: string, lines: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, lines.join('\n'));
  return file;
}
const samApi = (id: string, paths: string[]) => [
  `  ${id}:`,
  '    Type: AWS::Serverless::HttpApi',
  '    Properties:',
  '      DefinitionBody:',
  '        openapi: 3.0.1',
  `        info: { title: ${id}, version: "1" }`,
  '        paths:',
  ...paths,
];

describe('H2.5 x-amazon-apigateway-any-method is the ANY route; path key $default with it is the $default route', () => {
  const ANY = templateFile('any-method', [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    ECHO,
    ...samApi('Api', [
      '          /any:',
      '            x-amazon-apigateway-any-method:',
      ...echoIntegration('              '),
      '          /both:',
      '            get:',
      ...echoIntegration('              '),
      '            x-amazon-apigateway-any-method:',
      ...echoIntegration('              '),
      '          $default:',
      '            x-amazon-apigateway-any-method:',
      ...echoIntegration('              '),
    ]),
  ]);

  it('H2.5 the import makes the routes ANY /any, GET /both, ANY /both and $default', async () => {
    // Act
    const t = await httpHarness('Api', ANY);

    // Assess
    expect(t.api.routes.map((r) => r.routeKey)).toEqual(['ANY /any', 'GET /both', 'ANY /both', '$default']);
  });

  it.each([
    { given: 'GET on the any-method path', method: 'GET', path: '/any', routeKey: 'ANY /any' },
    { given: 'POST on the any-method path', method: 'POST', path: '/any', routeKey: 'ANY /any' },
    { given: 'GET where a path has both ANY and GET: the GET route (H3.3)', method: 'GET', path: '/both', routeKey: 'GET /both' },
    { given: 'DELETE where a path has both: the ANY route', method: 'DELETE', path: '/both', routeKey: 'ANY /both' },
    { given: 'a path no route has: the $default route', method: 'PUT', path: '/elsewhere/x', routeKey: '$default' },
    { given: 'the root: the $default route', method: 'GET', path: '/', routeKey: '$default' },
  ])('H2.5 $given → $routeKey, requestContext.http.method the verb sent', async ({ method, path, routeKey }) => {
    // Prepare
    const t = await httpHarness('Api', ANY);

    // Act
    const event = echoedV2(await t.send({ method, path }));

    // Assess
    expect([event.routeKey, event.requestContext.http.method]).toEqual([routeKey, method]);
  });

  it('H2.5 neighbour: SAM marks its $default operation isDefaultRoute: true, and the route is $default too (H1.5)', () => {
    // Assess
    const paths = h.api.definition?.paths as Record<string, Record<string, { isDefaultRoute?: boolean }>>;
    expect(paths.$default?.['x-amazon-apigateway-any-method']?.isDefaultRoute).toBe(true);
    expect(h.api.routes.filter((r) => r.routeKey === '$default')).toHaveLength(1);
  });
});

/** `count` Route resources on one HTTP API, each with its own Integration resource or all sharing one. */
const cfnApi = (id: string, count: number, ownIntegrations: boolean): string[] => [
  `  ${id}: { Type: AWS::ApiGatewayV2::Api, Properties: { Name: ${id}, ProtocolType: HTTP } }`,
  `  ${id}Stage: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref ${id}, StageName: $default } }`,
  ...Array.from({ length: ownIntegrations ? count : 1 }, (_, i) => `  ${id}Integration${i}: { Type: AWS::ApiGatewayV2::Integration, Properties: { ApiId: !Ref ${id}, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Echo.Arn, PayloadFormatVersion: '2.0', CredentialsArn: 'arn:aws:iam::123456789012:role/invoke' } }`),
  ...Array.from({ length: count }, (_, i) => `  ${id}Route${i}: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref ${id}, RouteKey: 'GET /r${i}', Target: !Sub 'integrations/\${${id}Integration${ownIntegrations ? i : 0}}' } }`),
];
/** A SAM HttpApi whose document has `count` operations, each with its own integration. */
const documentApi = (id: string, count: number) => samApi(id, Array.from({ length: count }, (_, i) => [`          /r${i}:`, '            get:', ...echoIntegration('              ')]).flat());
const quotas = await loadTemplate(
  templateFile('quotas', [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    ECHO,
    ...cfnApi('Shared', 301, false),
    ...cfnApi('AtLimit', 300, true),
    ...cfnApi('OverLimit', 301, true),
    ...documentApi('DocumentAtLimit', 300),
    ...documentApi('DocumentOverLimit', 301),
  ]),
);

describe('H3.9 300 routes (AWS raises it on request) and 300 integrations (it does not) per API', () => {
  it.each([
    { given: '301 routes sharing one integration', api: 'Shared', path: '/r300' },
    { given: '300 routes with 300 Integration resources', api: 'AtLimit', path: '/r299' },
    { given: 'a document of 300 operations, each with its integration', api: 'DocumentAtLimit', path: '/r299' },
  ])('H3.9 $given: served, the last route too', async ({ api, path }) => {
    // Prepare
    const gateway = createHttpGateway({ api: quotas.httpApis.find((a) => a.logicalId === api)!, template: quotas, invoker: new FakeInProcessInvoker(quotas) });

    // Act
    const event = echoedV2(await sendRequest(gateway, { path }));

    // Assess
    expect(event.routeKey).toBe(`GET ${path}`);
  });

  it.each([
    { given: '301 Integration resources', api: 'OverLimit' },
    { given: 'a document of 301 operations, each with its integration', api: 'DocumentOverLimit' },
  ])('H3.9 $given: an API AWS would not create, reported and not served', ({ api }) => {
    // Assess
    expect(quotas.httpApis.map((a) => a.logicalId)).not.toContain(api);
    expect(quotas.notEmulated).toContainEqual(expect.stringMatching(new RegExp(`301 integrations: an HTTP API has at most 300, a quota AWS does not raise \\(H3\\.9\\); API ${api} is not served$`)));
  });
});
