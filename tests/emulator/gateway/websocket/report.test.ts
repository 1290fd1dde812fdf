/**
 * The startup report of a WebSocket API (emulator/report.ts formatStartupReport): the API and its stage, one `WS
 * <routeKey>` line per route, a route whose integration is not run (a service not served, HTTP) NOT EMULATED; --strict refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StrictModeError } from '../../../../emulator/app.js';
import { formatStartupReport } from '../../../../emulator/report.js';
import { startWsApp, wsApi, wsRoute, type WsApp } from './support.js';

const AWS_ROUTE = `  AwsInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS
      IntegrationMethod: POST
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:comprehend:action/DetectSentiment
  AwsRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: tosqs
      Target: !Sub integrations/\${AwsInteg}
  ProxyInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: HTTP_PROXY
      IntegrationMethod: POST
      IntegrationUri: https://example.com/hook
  ProxyRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: tohttp
      Target: !Sub integrations/\${ProxyInteg}
`;
const RESOURCES = [wsApi(), wsRoute('ConnectRoute', '$connect'), wsRoute('DefaultRoute', '$default'), wsRoute('EchoRoute', 'echo', { twoWay: true }), AWS_ROUTE].join('');

describe('WebSocket API startup report', () => {
  let app: WsApp;
  let report: string;

  beforeAll(async () => {
    app = await startWsApp(RESOURCES);
    report = formatStartupReport(app.emulator, 0);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('WS fact 13: lists "WebSocket API <id> (stage prod)"', () => {
    // Assess
    expect(report).toContain('WebSocket API WsApi (stage prod)');
  });

  it.each(['$connect', '$default', 'echo', 'tosqs'])('WS fact 13: lists the route as WS %s', (routeKey) => {
    // Act
    const line = report.split('\n').find((l) => new RegExp(`\\bWS\\s+${routeKey.replace('$', '\\$')}\\s`).test(l));
    // Assess
    expect(line).toBeDefined();
  });

  it('WS fact 13: the Lambda proxy routes are emulated', () => {
    // Act
    const lines = report.split('\n').filter((l) => /\bWS\s+(\$connect|\$default|echo)\s/.test(l));

    // Assess
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\s*emulated\s/);
  });

  it('WS fact 13: an AWS integration of a service not served locally, and an HTTP_PROXY one, are reported NOT EMULATED with why', () => {
    // Act
    const lines = ['tosqs', 'tohttp'].map((key) => report.split('\n').find((l) => new RegExp(`\\bWS\\s+${key}\\s`).test(l)));

    // Assess
    expect(lines[0]).toMatch(/^\s*NOT EMULATED\s.*comprehend is not served locally/);
    expect(lines[1]).toMatch(/^\s*NOT EMULATED\s.*HTTP_PROXY integrations of WebSocket APIs are not emulated/);
  });

  it('WS fact 13: startEmulator({ strict: true }) rejects with a StrictModeError naming the route', async () => {
    // Act
    const outcome = await startWsApp(RESOURCES, { strict: true }).then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toBeInstanceOf(StrictModeError);
    expect((outcome as Error).message).toContain('WS tosqs');
  });
});
