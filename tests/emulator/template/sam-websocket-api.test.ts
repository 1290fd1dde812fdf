/**
 * SAM's AWS::Serverless::WebSocketApi (template/sam-websocket-api.ts): the resources the SAM translator generates
 * for it (logical ids as SAM names them, the stage, routes, integrations, permissions, the $connect authorizer), its
 * `<Api>.Stage` referenceable property, and the templates SAM's transform refuses.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, readStack } from '../../../emulator/template/load.js';
import { expandSamWebSocketApis } from '../../../emulator/template/sam-websocket-api.js';

const FUNCTION = `  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: 'exports.handler = async () => ({})' }
`;

async function load(api: string, outputs = '', globals = '') {
  const dir = mkdtempSync(join(tmpdir(), 'sam-ws-'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\n${globals}Resources:\n${FUNCTION}  Ws:\n    Type: AWS::Serverless::WebSocketApi\n    Properties:\n${api}${outputs}`);
  return loadTemplate(join(dir, 'template.yaml'));
}

const ROUTES = `      RouteSelectionExpression: $request.body.action\n      Routes:\n        $connect: { FunctionArn: !GetAtt Fn.Arn }\n        sendMessage: { FunctionArn: !GetAtt Fn.Arn, IntegrationTimeout: 5000 }\n`;

describe('AWS::Serverless::WebSocketApi as SAM generates it', () => {
  it('serves its routes on the stage StageName names, each to its function, with the timeout given', async () => {
    // Act
    const t = await load(`      StageName: prod\n${ROUTES}`);

    // Assess
    const api = t.websocketApis?.find((a) => a.logicalId === 'Ws');
    expect(api?.stages.map((s) => s.name)).toEqual(['prod']);
    expect(api?.routes.map((r) => [r.routeKey, r.integration?.type, r.integration?.timeoutMs, r.authorizationType])).toEqual([
      ['$connect', 'AWS_PROXY', 29_000, 'NONE'],
      ['sendMessage', 'AWS_PROXY', 5000, 'NONE'],
    ]);
    expect(t.resources?.find((g) => g.type === 'AWS::Serverless::WebSocketApi')).toMatchObject({ logicalIds: ['Ws'], status: 'emulated' });
  });

  it('names the generated resources as SAM does, so that templates can Ref them, and resolves Ws.Stage', async () => {
    // Act
    const t = await load(ROUTES, `Outputs:\n  Stage: { Value: !Ref WsDefaultStage }\n  Referenceable: { Value: !Ref Ws.Stage }\n  Sub: { Value: !Sub '\${Ws.Stage}' }\n  Route: { Value: !Ref WsSendmessageRoute }\n  Integration: { Value: !Ref WsConnectIntegration }\n  Permission: { Value: !Ref WsConnectPermission }\n`);

    // Assess
    const outputs = Object.fromEntries(t.stack!.outputs.map((o) => [o.key, o.value ?? o.unresolved]));
    expect(outputs).toMatchObject({ Stage: 'default', Referenceable: 'default', Sub: 'default' });
    for (const key of ['Route', 'Integration', 'Permission']) expect(outputs[key]).toEqual(expect.any(String));
  });

  it('names the stage <Api>Stage when StageName is an intrinsic, as SAM does (no name in its logical id)', async () => {
    // Act
    const t = await load(`      StageName: !Sub live\n${ROUTES}`, `Outputs:\n  Stage: { Value: !Ref WsStage }\n  Referenceable: { Value: !Ref Ws.Stage }\n`);

    // Assess
    const outputs = Object.fromEntries(t.stack!.outputs.map((o) => [o.key, o.value ?? o.unresolved]));
    expect(outputs).toEqual({ Stage: 'live', Referenceable: 'live' });
    expect(t.websocketApis?.find((a) => a.logicalId === 'Ws')?.stages.map((s) => s.name)).toEqual(['live']);
  });

  it.each([
    { given: 'AuthType CUSTOM', auth: '      Auth: { AuthType: CUSTOM, AuthArn: !GetAtt Fn.Arn, IdentitySource: [route.request.header.Auth] }\n', want: { type: 'CUSTOM', authorizer: 'WsConnectAuthorizer' } },
    { given: 'AuthType AWS_IAM', auth: '      Auth: { AuthType: AWS_IAM }\n', want: { type: 'AWS_IAM', authorizer: undefined } },
    // SAM validates the type in upper case but applies it as written: a lower-case one authorizes nothing on AWS.
    { given: 'AuthType custom (lower case: NONE)', auth: '      Auth: { AuthType: custom, AuthArn: !GetAtt Fn.Arn }\n', want: { type: 'NONE', authorizer: undefined, note: true } },
    { given: 'AuthType aws_iam (lower case: NONE)', auth: '      Auth: { AuthType: aws_iam }\n', want: { type: 'NONE', authorizer: undefined, note: true } },
  ])('gives $given to the $connect route only', async ({ auth, want }) => {
    // Act
    const t = await load(`${auth}${ROUTES}`);

    // Assess
    const routes = t.websocketApis?.find((a) => a.logicalId === 'Ws')?.routes ?? [];
    expect(routes.map((r) => [r.routeKey, r.authorizationType, r.authorizer])).toEqual([
      ['$connect', want.type, want.authorizer],
      ['sendMessage', 'NONE', undefined],
    ]);
    expect((t.warnings ?? []).some((w) => w.startsWith('Resources.Ws.Properties.Auth.AuthType:') && w.includes('is deployed as NONE'))).toBe(want.note ?? false);
  });

  it.each([
    { given: 'no Routes', props: '      RouteSelectionExpression: $request.body.action\n', message: /at least one route/ },
    { given: 'a route key SAM cannot name', props: '      RouteSelectionExpression: $request.body.action\n      Routes:\n        send-message: { FunctionArn: !GetAtt Fn.Arn }\n', message: /must be alphanumeric/ },
    { given: 'a route without FunctionArn', props: '      RouteSelectionExpression: $request.body.action\n      Routes:\n        send: {}\n', message: /must have associated function/ },
    { given: 'StageName $default', props: `      StageName: $default\n${ROUTES}`, message: /cannot be named \$default/ },
    { given: 'a StageName that cannot be part of a logical id', props: `      StageName: my-stage\n${ROUTES}`, message: /Resource with id \[Wsmy-stageStage\] is invalid\. Logical ids must be alphanumeric\./ },
    { given: 'Auth without a $connect route', props: '      Auth: { AuthType: AWS_IAM }\n      RouteSelectionExpression: $request.body.action\n      Routes:\n        send: { FunctionArn: !GetAtt Fn.Arn }\n', message: /only available if there is a \$connect route/ },
    { given: 'AuthType CUSTOM without AuthArn', props: `      Auth: { AuthType: CUSTOM }\n${ROUTES}`, message: /AuthArn must be specified/ },
    // SAM asks for a truthy AuthArn (auth_config.get("AuthArn")): an empty or null one is none.
    { given: "AuthType CUSTOM with AuthArn ''", props: `      Auth: { AuthType: CUSTOM, AuthArn: '' }\n${ROUTES}`, message: /AuthArn must be specified if AuthType is CUSTOM\./ },
    { given: 'AuthType CUSTOM with AuthArn null', props: `      Auth: { AuthType: CUSTOM, AuthArn: null }\n${ROUTES}`, message: /AuthArn must be specified if AuthType is CUSTOM\./ },
  ])('refuses $given, as SAM`s transform does', async ({ props, message }) => {
    await expect(load(props)).rejects.toThrow(message);
  });
});

describe("the $connect authorizer's resources, as samtranslator 1.110 writes them", () => {
  it.each([
    { given: 'Name', auth: 'Name: mine', name: 'mine', permission: true },
    // SAM names the authorizer after itself unless Name is truthy (auth_config.get("Name")).
    { given: "Name ''", auth: "Name: ''", name: 'WsConnectAuthorizer', permission: true },
    { given: 'Name null', auth: 'Name: null', name: 'WsConnectAuthorizer', permission: true },
    { given: 'an InvokeRole', auth: 'InvokeRole: arn:aws:iam::123456789012:role/r', name: 'WsConnectAuthorizer', permission: false },
    // SAM passes any InvokeRole on as the credentials, but leaves out the permission only for a truthy one.
    { given: "InvokeRole ''", auth: "InvokeRole: ''", name: 'WsConnectAuthorizer', permission: true },
  ])('$given: the authorizer named $name, the Lambda permission written: $permission', async ({ auth, name, permission }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'sam-ws-'));
    writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${FUNCTION}  Ws:\n    Type: AWS::Serverless::WebSocketApi\n    Properties:\n      Auth: { AuthType: CUSTOM, AuthArn: !GetAtt Fn.Arn, ${auth} }\n${ROUTES}`);
    const { stack, raw } = await readStack(join(dir, 'template.yaml'));

    // Act
    expandSamWebSocketApis(stack, raw.Globals);

    // Assess
    expect(stack.resources.WsConnectAuthorizer?.Properties.Name).toBe(name);
    expect(stack.resources.WsAuthorizerPermission !== undefined).toBe(permission);
  });
});

/** The properties samtranslator 1.110's Globals take for WebSocketApi (plugins/globals/globals.py), as its message lists them. */
const GLOBAL_PROPERTIES = "['AccessLogSettings', 'ApiKeySelectionExpression', 'DefaultRouteSettings', 'DisableExecuteApiEndpoint', 'DisableSchemaValidation', 'Domain', 'FailOnWarnings', 'IpAddressType', 'PropagateTags', 'RouteSelectionExpression', 'RouteSettings', 'StageVariables', 'Tags']";

describe('Globals.WebSocketApi', () => {
  it('merges what SAM takes there into each WebSocketApi (the API wins key by key)', async () => {
    // Act
    const t = await load(`      StageVariables: {own: '1'}\n${ROUTES}`, '', "Globals:\n  WebSocketApi:\n    StageVariables: {shared: g, own: g}\n");

    // Assess
    expect(t.websocketApis?.find((a) => a.logicalId === 'Ws')?.stages[0]?.stageVariables).toEqual({ shared: 'g', own: '1' });
  });

  it.each([
    { given: 'Name (a property of the API, not of its Globals)', globals: '    Name: shared\n', key: 'Globals.WebSocketApi.Name', message: `'Globals' section is invalid. 'Name' is not a supported property of 'WebSocketApi'. Must be one of the following values - ${GLOBAL_PROPERTIES}` },
    { given: 'Routes', globals: '    Routes: {}\n', key: 'Globals.WebSocketApi.Routes', message: `'Globals' section is invalid. 'Routes' is not a supported property of 'WebSocketApi'. Must be one of the following values - ${GLOBAL_PROPERTIES}` },
    // SAM's own message leaves "${section}" as written (not an f-string).
    { given: 'a value that is not a map', globals: '    - Tags\n', key: 'Globals.WebSocketApi', message: "'Globals' section is invalid. Value of ${section} must be a dictionary" },
  ])('refuses $given in its words, as SAM`s transform refuses the template', async ({ globals, key, message }) => {
    // Act
    const loading = load(ROUTES, '', `Globals:\n  WebSocketApi:\n${globals}`);

    // Assess
    await expect(loading).rejects.toThrow(`${key}: ${message}`);
  });
});
