/**
 * WebSocket APIs declared as SAM's AWS::Serverless::WebSocketApi (template/sam-websocket-api.ts), end to end: SAM
 * generates the stage ("default" when StageName is not given), a route and a Lambda proxy integration per Routes key,
 * and for Auth AuthType CUSTOM the $connect route's REQUEST authorizer; the emulator serves them as API Gateway would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { formatStartupReport } from '../../../../emulator/report.js';
import { connect, ctx, handshakeStatus, startWsApp, type WsApp } from './support.js';

const SAM_API = `  WsApi:
    Type: AWS::Serverless::WebSocketApi
    Properties:
      RouteSelectionExpression: $request.body.action
      Auth:
        AuthType: CUSTOM
        AuthArn: !GetAtt Handler.Arn
        IdentitySource: [route.request.querystring.token]
      Routes:
        $connect: { FunctionArn: !GetAtt Handler.Arn }
        $disconnect: { FunctionArn: !GetAtt Handler.Arn }
        whoami: { FunctionArn: !GetAtt Handler.Arn }
`;

describe('AWS::Serverless::WebSocketApi end to end', () => {
  let app: WsApp;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    app = await startWsApp(SAM_API);
  });
  afterAll(async () => {
    for (const ws of clients) ws.terminate();
    await app?.close();
  });

  it('serves SAM`s default stage, named "default" when StageName is not given', () => {
    expect(new URL(app.api().url).pathname).toBe('/default');
  });

  it('reports the API, its routes with their authorizer, and says its settings list is empty rather than printing a bare heading', () => {
    // Act
    const report = formatStartupReport(app.emulator, 0);

    // Assess
    expect(report).toContain('WebSocket API WsApi (stage default)');
    expect(report).toMatch(/WS\s+\$connect\s+aws_proxy -> Handler auth=WsApiConnectAuthorizer/);
    expect(report).toContain('Settings:\n  (none: nothing declared beyond the routes above)\n');
    expect(report).toMatch(/EMULATED\s+AWS::Serverless::WebSocketApi: WsApi/);
  });

  it('refuses a connection without the identity source of the generated authorizer (401), without invoking it', async () => {
    // Prepare
    const before = app.events().filter((e) => e.type === 'REQUEST').length;

    // Act
    const status = await handshakeStatus(app.api().url);

    // Assess
    expect(status).toBe(401);
    expect(app.events().filter((e) => e.type === 'REQUEST')).toHaveLength(before);
  });

  it('connects through the authorizer`s Allow and routes a message to its route`s function', async () => {
    // Prepare
    const ws = await connect(`${app.api().url}?token=allow`);
    clients.push(ws);

    // Act
    ws.send(JSON.stringify({ action: 'whoami' }));
    const event = await app.waitForEvent((e) => ctx(e)?.routeKey === 'whoami');

    // Assess
    expect(ctx(event)).toMatchObject({ routeKey: 'whoami', stage: 'default', eventType: 'MESSAGE', authorizer: { principalId: 'user-1', role: 'admin' } });
  });
});
