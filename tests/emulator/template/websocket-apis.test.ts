/**
 * Reading WebSocket APIs (emulator/template/websocket-apis.ts) through the real template loader: an
 * AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET and its Route, Integration, Authorizer, RouteResponse and Stage
 * resources; an API AWS would refuse is not served and reported (template.notEmulated).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import type { WebSocketApiSpec } from '../../../emulator/template/websocket-apis.js';
import { refusedApis } from './api-refusal.js';

const INTEGRATION_URI = '!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations';

const FUNCTION = `  Fn:
    Type: AWS::Serverless::Function
    Properties: { InlineCode: "exports.handler = async () => ({})", Handler: index.handler, Runtime: nodejs20.x }
`;

function api(id = 'WsApi', extra = '      RouteSelectionExpression: $request.body.action\n'): string {
  return `  ${id}:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: ${id}\n      ProtocolType: WEBSOCKET\n${extra}`;
}

const integration = (id: string, props = '') => `  ${id}:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref WsApi\n      IntegrationType: AWS_PROXY\n      IntegrationUri: ${INTEGRATION_URI}\n${props}`;
const route = (id: string, key: string, props = '') => `  ${id}:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref WsApi\n      RouteKey: "${key}"\n      Target: !Sub integrations/\${Integ}\n${props}`;
const stage = (name = 'prod', props = '') => `  Stage${name}:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref WsApi\n      StageName: ${name}\n${props}`;
const authorizer = (id = 'Auth', props = "      IdentitySource: ['route.request.querystring.token']\n") =>
  `  ${id}:\n    Type: AWS::ApiGatewayV2::Authorizer\n    Properties:\n      ApiId: !Ref WsApi\n      Name: ${id}\n      AuthorizerType: REQUEST\n      AuthorizerUri: ${INTEGRATION_URI}\n${props}`;

async function load(resources: string): Promise<LoadedTemplate> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-tpl-'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}${FUNCTION}`);
  return loadTemplate(join(dir, 'template.yaml'));
}

function only(template: LoadedTemplate, id = 'WsApi'): WebSocketApiSpec {
  const found = (template.websocketApis ?? []).find((a) => a.logicalId === id);
  if (!found) throw new Error(`${id} was not read: ${(template.notEmulated ?? []).join('; ')}`);
  return found;
}

const BASE = api() + integration('Integ') + stage();

describe('loadWebSocketApis: a WEBSOCKET API and its children', () => {
  it('reads the routes, their Lambda integration, the stages and the route selection expression', async () => {
    // Prepare / Act
    const template = await load(BASE + route('ConnectRoute', '$connect') + route('SendRoute', 'send') + stage('dev', '      StageVariables: { a: b }\n'));

    // Assess
    const spec = only(template);
    expect(spec.routeSelectionExpression).toBe('$request.body.action');
    expect(spec.routes.map((r) => r.routeKey)).toEqual(['$connect', 'send']);
    expect(spec.routes[1]).toMatchObject({ authorizationType: 'NONE', apiKeyRequired: false, twoWay: false });
    expect(spec.routes[1]?.integration).toMatchObject({ type: 'AWS_PROXY', timeoutMs: 29_000 });
    expect(spec.routes[1]?.integration?.uri).toMatch(/^arn:aws:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/arn:aws:lambda:.*\/invocations$/);
    expect(spec.stages).toEqual([
      { name: 'prod', stageVariables: {} },
      { name: 'dev', stageVariables: { a: 'b' } },
    ]);
    expect(spec.apiId).toEqual(expect.any(String));
  });

  it('WS fact 5: a route with an AWS::ApiGatewayV2::RouteResponse is two-way', async () => {
    // Prepare / Act
    const response = '  EchoResponse:\n    Type: AWS::ApiGatewayV2::RouteResponse\n    Properties:\n      ApiId: !Ref WsApi\n      RouteId: !Ref EchoRoute\n      RouteResponseKey: $default\n';
    const template = await load(BASE + route('EchoRoute', 'echo', '      RouteResponseSelectionExpression: $default\n') + response + route('OneWay', 'oneway'));

    // Assess
    const spec = only(template);
    expect(spec.routes.find((r) => r.routeKey === 'echo')?.twoWay).toBe(true);
    expect(spec.routes.find((r) => r.routeKey === 'oneway')?.twoWay).toBe(false);
  });

  it('WS fact 8: a REQUEST authorizer on $connect (AuthorizationType CUSTOM, AuthorizerId !Ref)', async () => {
    // Prepare / Act
    const template = await load(BASE + authorizer() + route('ConnectRoute', '$connect', '      AuthorizationType: CUSTOM\n      AuthorizerId: !Ref Auth\n'));

    // Assess
    const spec = only(template);
    expect(spec.routes[0]).toMatchObject({ routeKey: '$connect', authorizationType: 'CUSTOM', authorizer: 'Auth' });
    expect(spec.authorizers.Auth).toMatchObject({ name: 'Auth', identitySource: ['route.request.querystring.token'] });
    expect(spec.authorizers.Auth?.uri).toMatch(/lambda:path\/2015-03-31\/functions\/arn:aws:lambda:/);
  });

  it('WS fact 14: an HTTP API (ProtocolType HTTP) in the same template stays in httpApis and is not in websocketApis', async () => {
    // Prepare / Act
    const http = '  HttpApi:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: h\n      ProtocolType: HTTP\n      Target: !GetAtt Fn.Arn\n';
    const template = await load(BASE + route('SendRoute', 'send') + http);

    // Assess
    expect((template.websocketApis ?? []).map((a) => a.logicalId)).toEqual(['WsApi']);
    expect(template.httpApis.map((a) => a.logicalId)).toContain('HttpApi');
    expect(template.httpApis.map((a) => a.logicalId)).not.toContain('WsApi');
  });
});

describe('loadWebSocketApis: what AWS refuses is not served (reported in template.notEmulated)', () => {
  it.each([
    { given: 'no RouteSelectionExpression', resources: () => api('WsApi', '') + integration('Integ') + stage() + route('SendRoute', 'send'), mention: 'RouteSelectionExpression' },
    {
      given: 'an authorizer on a non-$connect route',
      resources: () => BASE + authorizer() + route('SendRoute', 'send', '      AuthorizationType: CUSTOM\n      AuthorizerId: !Ref Auth\n'),
      mention: 'AuthorizationType',
    },
    { given: 'TimeoutInMillis 30000', resources: () => api() + integration('Integ', '      TimeoutInMillis: 30000\n') + stage() + route('SendRoute', 'send'), mention: 'TimeoutInMillis' },
    { given: 'the same route key twice', resources: () => BASE + route('SendRoute', 'send') + route('SendAgain', 'send'), mention: 'send' },
  ])('WS fact 14: $given → the API is refused', async ({ resources, mention }) => {
    // Prepare / Act
    const template = await load(resources() + '  Other:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: o\n      ProtocolType: HTTP\n      Target: !GetAtt Fn.Arn\n');

    // Assess
    expect((template.websocketApis ?? []).map((a) => a.logicalId)).not.toContain('WsApi');
    const reports = refusedApis(template).filter((r) => r.endsWith('API WsApi is not served'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(mention);
  });

  it('WS fact 14: TimeoutInMillis 29000 is accepted', async () => {
    // Prepare / Act
    const template = await load(api() + integration('Integ', '      TimeoutInMillis: 29000\n') + stage() + route('SendRoute', 'send'));

    // Assess
    expect(only(template).routes[0]?.integration?.timeoutMs).toBe(29_000);
  });
});

describe('loadWebSocketApis: settings that change nothing locally are reported, never silent', () => {
  it('names each one the template sets, where, and why it is ignored', async () => {
    // Prepare / Act
    const template = await load(
      api() +
        integration('Integ', '      ContentHandlingStrategy: CONVERT_TO_TEXT\n      PassthroughBehavior: NEVER\n') +
        stage('prod', '      DefaultRouteSettings: { ThrottlingRateLimit: 10 }\n      AccessLogSettings: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:ws, Format: $context.requestId }\n') +
        route('ConnectRoute', '$connect', "      RequestParameters: { route.request.querystring.token: { Required: true } }\n"),
    );

    // Assess
    const notes = only(template).notes.map((n) => `${n.status} ${n.subject} at ${n.location}`);
    expect(notes).toEqual(
      expect.arrayContaining([
        'ignored ContentHandlingStrategy at Resources.Integ.Properties',
        'ignored PassthroughBehavior at Resources.Integ.Properties',
        'ignored DefaultRouteSettings at Resources.Stageprod.Properties',
        'ignored AccessLogSettings at Resources.Stageprod.Properties',
        'ignored RequestParameters at Resources.ConnectRoute.Properties',
      ]),
    );
  });

  it('reports nothing for a plain API (no setting to account for)', async () => {
    // Prepare / Act
    const template = await load(BASE + route('ConnectRoute', '$connect'));

    // Assess
    expect(only(template).notes).toEqual([]);
  });
});
