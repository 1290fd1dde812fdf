/**
 * What a sweep of public WebSocket applications (serverless-patterns, simple-websockets-chat-app) found: a $connect
 * MOCK with a route response connects (its answer is never a frame, only its status counts), a $connect whose
 * authorizer cannot run refuses every connection without running it and the report says so, so does a route whose Target
 * is a function's ARN rather than integrations/<id> (Mohdhussain28/websocket), and closing the
 * emulator waits for the $disconnect of each open connection (it was killed with the Lambda service).
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatStartupReport } from '../../../../emulator/report.js';
import { closed, connect, handshakeStatus, startWsApp, wsApi, wsRoute } from './support.js';

const MOCK_CONNECT = `  MockInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: MOCK
      RequestTemplates: {"$default": '{"statusCode": 200}'}
      TemplateSelectionExpression: \\$default
  ConnectRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: $connect
      RouteResponseSelectionExpression: $default
      Target: !Sub integrations/\${MockInteg}
  ConnectResponse:
    Type: AWS::ApiGatewayV2::RouteResponse
    Properties:
      ApiId: !Ref WsApi
      RouteId: !Ref ConnectRoute
      RouteResponseKey: $default
`;

const DOTNET_AUTHORIZER = `  DotnetAuthorizerFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: Authorizer::Authorizer.Function::Handler
      Runtime: dotnet8
  Authorizer:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref WsApi
      Name: dotnet
      AuthorizerType: REQUEST
      IdentitySource: [route.request.querystring.token]
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${DotnetAuthorizerFn.Arn}/invocations
`;

describe('WebSocket APIs as public applications write them', () => {
  it('a $connect MOCK with a route response is emulated and connects', async () => {
    // Prepare
    const app = await startWsApp([wsApi(), MOCK_CONNECT, wsRoute('EchoRoute', 'echo', { twoWay: true })].join(''));
    try {
      const report = formatStartupReport(app.emulator, 0);

      // Act
      const ws = await connect(app.api().url);
      ws.close(1000, 'done');
      await closed(ws);

      // Assess
      expect(report).toMatch(/emulated {5}WS {6}\$connect +mock\n/);
    } finally {
      await app.close();
    }
  });

  it('a $connect whose authorizer cannot run refuses every connection (500) without invoking anything, and the report says so', async () => {
    // Prepare
    const app = await startWsApp([wsApi(), DOTNET_AUTHORIZER, wsRoute('ConnectRoute', '$connect', { extra: '      AuthorizationType: CUSTOM\n      AuthorizerId: !Ref Authorizer\n' })].join(''));
    try {
      const report = formatStartupReport(app.emulator, 0);

      // Act
      const status = await handshakeStatus(`${app.api().url}?token=abc`);

      // Assess
      expect(status).toBe(500);
      expect(report).toMatch(/NOT EMULATED WS {6}\$connect .*DotnetAuthorizerFn cannot run locally.*every connection is refused \(500\)/);
      expect(app.events()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it.each([
    { given: "a function's ARN (Mohdhussain28/websocket)", target: '!Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function/${Handler}' },
    { given: "the function's invocation URI", target: '!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations' },
  ])('a Target that is $given, not integrations/<id>, is NOT EMULATED with why: the connect route refuses connections (500) and runs nothing', async ({ target }) => {
    // Prepare
    const routes = [wsRoute('ConnectRoute', '$connect', { target }), wsRoute('DisconnectRoute', '$disconnect', { target }), wsRoute('DefaultRoute', '$default', { target })];
    const app = await startWsApp([wsApi(), ...routes].join(''));
    try {
      const report = formatStartupReport(app.emulator, 0);

      // Act
      const status = await handshakeStatus(app.api().url);

      // Assess
      for (const key of ['\\$connect', '\\$disconnect', '\\$default']) {
        expect(report).toMatch(new RegExp(`NOT EMULATED WS {6}${key} .*Target "arn:aws:[^"]+" is not integrations/<IntegrationId>: a route reaches only an AWS::ApiGatewayV2::Integration`));
      }
      expect(status).toBe(500);
      expect(app.events()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("closing the emulator runs each open connection's $disconnect to its end (1001 Going away) before the functions stop", async () => {
    // Prepare
    const app = await startWsApp([wsApi(), wsRoute('ConnectRoute', '$connect'), wsRoute('DisconnectRoute', '$disconnect')].join(''));
    const ws = await connect(app.api().url);
    const clientClosed = closed(ws);

    // Act
    await app.emulator.close();

    // Assess
    const disconnects = app.events().filter((e) => (e.requestContext as Record<string, unknown>).eventType === 'DISCONNECT');
    rmSync(app.dir, { recursive: true, force: true });
    expect(disconnects.map((e) => (e.requestContext as Record<string, unknown>).disconnectStatusCode)).toEqual([1001]);
    expect(app.logs.filter((l) => l.includes('$disconnect') && /failed|killed/.test(l))).toEqual([]);
    expect((await clientClosed).code).toBe(1001);
  });
});
