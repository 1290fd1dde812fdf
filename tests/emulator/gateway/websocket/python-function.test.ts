/**
 * A Python function of a WebSocket API reaches it as a Node.js one does: `https://<apiId>.execute-api.<region>
 * .amazonaws.com/<stage>` (built from the event, as boto3 samples do) goes to the API's local port, over TLS its
 * certificate check passes with the AWS_CA_BUNDLE the environment gets; and `sync-<address>` (an SDK's host prefix
 * before an IP endpoint) resolves to the address. The standard library only (boto3 may not be installed here).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../emulator/app.js';
import { ask, connect } from './support.js';
import type WebSocket from 'ws';

const hasPython = spawnSync('python3', ['--version']).status === 0;

const HANDLER = `import http.client, json, os, ssl

def handler(event, context):
    ctx = event["requestContext"]
    if ctx["eventType"] != "MESSAGE":
        return {"statusCode": 200}
    which = json.loads(event["body"])["probe"]
    if which == "execute-api":
        host = "%s.execute-api.%s.amazonaws.com" % (ctx["apiId"], os.environ["AWS_REGION"])
        tls = ssl.create_default_context(cafile=os.environ["AWS_CA_BUNDLE"])
        conn = http.client.HTTPSConnection(host, 443, context=tls, timeout=10)
        conn.request("GET", "/%s/@connections/%s" % (ctx["stage"], ctx["connectionId"]))
    else:
        port = os.environ["AWS_ENDPOINT_URL_SFN"].rsplit(":", 1)[1]
        conn = http.client.HTTPConnection("sync-127.0.0.1", int(port), timeout=10)
        conn.request("POST", "/", body="{}", headers={"X-Amz-Target": "AWSStepFunctions.StartSyncExecution", "Content-Type": "application/x-amz-json-1.0"})
    answer = conn.getresponse()
    return {"statusCode": 200, "body": json.dumps({"status": answer.status, "type": answer.getheader("x-amzn-ErrorType")})}
`;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  WsApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: py, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref WsApi, StageName: prod}
  Integ:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Probe.Arn}/invocations
  ProbeRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref WsApi, RouteKey: probe, RouteResponseSelectionExpression: $default, Target: !Sub 'integrations/\${Integ}'}
  ProbeResponse:
    Type: AWS::ApiGatewayV2::RouteResponse
    Properties: {ApiId: !Ref WsApi, RouteId: !Ref ProbeRoute, RouteResponseKey: $default}
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Definition: {StartAt: Done, States: {Done: {Type: Succeed}}}
  Probe:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.11}
  Permission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Probe, Principal: apigateway.amazonaws.com}
`;

describe.runIf(hasPython)('a Python function of a WebSocket API', () => {
  let dir: string;
  let emulator: RunningEmulator;
  let ws: WebSocket;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-python-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'app.py'), HANDLER);
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, 'local'), log: () => undefined, onNotServed: () => undefined });
    ws = await connect(emulator.apis.find((a) => a.kind === 'websocket')!.url);
  });

  afterAll(async () => {
    ws?.terminate();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reaches the API's @connections at https://<apiId>.execute-api.<region>.amazonaws.com, trusting it through AWS_CA_BUNDLE", async () => {
    // Act
    const answer = JSON.parse(await ask(ws, { action: 'probe', probe: 'execute-api' })) as { status: number; type: string | null };

    // Assess: the call arrived (unsigned: the @connections API's own 403), not a DNS or certificate failure.
    expect(answer).toEqual({ status: 403, type: 'ForbiddenException' });
  });

  it('resolves sync-127.0.0.1 (StartSyncExecution`s host prefix before the local Step Functions) to 127.0.0.1', async () => {
    // Act
    const answer = JSON.parse(await ask(ws, { action: 'probe', probe: 'sync' })) as { status: number; type: string | null };

    // Assess: Step Functions itself answered (the unsigned call refused as AWS refuses it), past the loopback Host check.
    expect(answer).toEqual({ status: 400, type: 'MissingAuthenticationTokenException' });
  });
});
