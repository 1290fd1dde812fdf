/**
 * WebSocket APIs end to end: a REQUEST Lambda authorizer on $connect (emulator/gateway/websocket/authorize.ts) — an
 * identity source that is missing refuses 401 without invoking it, its Deny refuses 403, its Allow connects and its
 * principalId and context reach every later event of the connection as requestContext.authorizer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { connect, connectionIdOf, ctx, handshakeStatus, startWsApp, wsApi, wsRoute, type WsApp } from './support.js';

const AUTH_EXTRA = (authorizer: string) => `      AuthorizationType: CUSTOM\n      AuthorizerId: !Ref ${authorizer}\n`;

function authorizer(id: string, api: string, identitySource: string): string {
  return `  ${id}:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref ${api}
      Name: ${id}
      AuthorizerType: REQUEST
      IdentitySource: ['${identitySource}']
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Handler.Arn}/invocations
`;
}

describe('WebSocket API end to end: REQUEST Lambda authorizer on $connect', () => {
  let app: WsApp;
  const clients: WebSocket[] = [];
  const authorizerEvents = () => app.events().filter((e) => e.type === 'REQUEST');
  const apiIdOf = (logicalId: string) => app.emulator.template.websocketApis?.find((a) => a.logicalId === logicalId)?.apiId;

  beforeAll(async () => {
    app = await startWsApp(
      [
        wsApi(),
        authorizer('QueryAuthorizer', 'WsApi', 'route.request.querystring.token'),
        wsRoute('ConnectRoute', '$connect', { extra: AUTH_EXTRA('QueryAuthorizer') }),
        wsRoute('DisconnectRoute', '$disconnect'),
        wsRoute('WhoamiRoute', 'whoami', { twoWay: true }),
        wsApi('HeaderApi'),
        authorizer('HeaderAuthorizer', 'HeaderApi', 'route.request.header.Auth'),
        wsRoute('HeaderConnectRoute', '$connect', { api: 'HeaderApi', extra: AUTH_EXTRA('HeaderAuthorizer') }),
        wsRoute('HeaderWhoamiRoute', 'whoami', { api: 'HeaderApi', twoWay: true }),
      ].join(''),
    );
  });
  afterAll(async () => {
    for (const ws of clients) ws.terminate();
    await app?.close();
  });

  it('WS fact 8: missing querystring token → 401 without invoking the authorizer', async () => {
    // Prepare
    const before = authorizerEvents().length;

    // Act
    const status = await handshakeStatus(app.api().url);

    // Assess
    expect(status).toBe(401);
    expect(authorizerEvents()).toHaveLength(before);
  });

  it('WS fact 8: missing Auth header → 401 without invoking the authorizer', async () => {
    // Prepare
    const before = authorizerEvents().length;

    // Act
    const status = await handshakeStatus(app.api('HeaderApi').url);

    // Assess
    expect(status).toBe(401);
    expect(authorizerEvents()).toHaveLength(before);
  });

  it('WS fact 8: an authorizer policy Deny → 403, and $connect does not run', async () => {
    // Prepare
    const before = authorizerEvents().length;
    const connects = app.events().filter((e) => ctx(e).eventType === 'CONNECT' && e.type === undefined).length;

    // Act
    const status = await handshakeStatus(`${app.api().url}?token=deny`);

    // Assess
    expect(status).toBe(403);
    expect(authorizerEvents()).toHaveLength(before + 1);
    expect(app.events().filter((e) => ctx(e).eventType === 'CONNECT' && e.type === undefined)).toHaveLength(connects);
  });

  it("WS fact 8: Allow with principalId 'user-1' and context {role:'admin'} connects; MESSAGE events carry requestContext.authorizer {principalId, role}", async () => {
    // Prepare
    const ws = await connect(`${app.api().url}?token=allow`);
    clients.push(ws);

    // Act
    const id = await connectionIdOf(ws);

    // Assess
    const message = app.events().find((e) => ctx(e).eventType === 'MESSAGE' && ctx(e).connectionId === id)!;
    expect(ctx(message).authorizer).toEqual({ principalId: 'user-1', role: 'admin' });
  });

  it('WS fact 8: the authorizer event has type REQUEST, the $connect methodArn, the headers (with the upgrade headers) and the query', async () => {
    // Prepare
    const before = authorizerEvents().length;

    // Act
    const ws = await connect(`${app.api().url}?token=allow&x=1`);
    clients.push(ws);

    // Assess
    const event = authorizerEvents()[before]!;
    expect(event.type).toBe('REQUEST');
    expect(event.methodArn).toBe(`arn:aws:execute-api:${app.emulator.template.region}:${app.emulator.template.accountId}:${apiIdOf('WsApi')}/prod/$connect`);
    expect(event.queryStringParameters).toEqual({ token: 'allow', x: '1' });
    const names = Object.keys(event.headers as Record<string, string>).map((n) => n.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'host']));
    expect(ctx(event)).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT', stage: 'prod', apiId: apiIdOf('WsApi') });
  });

  it('WS fact 8: a header identity source passes the Auth header; queryStringParameters is {} when the URL has no query', async () => {
    // Prepare
    const before = authorizerEvents().length;

    // Act
    const ws = await connect(app.api('HeaderApi').url, undefined, { headers: { Auth: 'allow' } });
    clients.push(ws);
    const id = await connectionIdOf(ws);

    // Assess
    const event = authorizerEvents()[before]!;
    expect((event.headers as Record<string, string>).Auth).toBe('allow');
    expect(event.queryStringParameters).toEqual({});
    expect(event.methodArn).toBe(`arn:aws:execute-api:${app.emulator.template.region}:${app.emulator.template.accountId}:${apiIdOf('HeaderApi')}/prod/$connect`);
    const message = app.events().find((e) => ctx(e).eventType === 'MESSAGE' && ctx(e).connectionId === id)!;
    expect(ctx(message).authorizer).toEqual({ principalId: 'user-1', role: 'admin' });
  });

  it('WS fact 8: the Auth header with Deny → 403', async () => {
    // Act / Assess
    expect(await handshakeStatus(app.api('HeaderApi').url, { headers: { Auth: 'deny' } })).toBe(403);
  });
});
