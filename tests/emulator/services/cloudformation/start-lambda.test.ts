/**
 * `start-lambda` serves the embedded CloudFormation too (a Step Functions or Lambda test finds its functions by the
 * stack's Outputs): the stack's outputs as resolved, an API's URL left as AWS's, since start-lambda serves no API.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { startEmulator, type RunningEmulator } from '../../../../emulator/app.js';
import { restApiIdFor } from '../../../../emulator/template/stack.js';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({ statusCode: 200, body: 'ok' })"
      Events: { Rest: { Type: Api, Properties: { Path: /hi, Method: get } } }
Outputs:
  FnName: { Value: !Ref Fn }
  Api: { Value: !Sub "https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.amazonaws.com/Prod/hi" }
`;

const root = mkdtempSync(join(tmpdir(), 'cloudformation-lambda-'));
let emulator: RunningEmulator;
beforeAll(async () => {
  writeFileSync(join(root, 'template.yaml'), TEMPLATE);
  emulator = await startEmulator({ templatePath: join(root, 'template.yaml'), port: 0, serve: 'lambda', log: () => undefined, onRequest: () => undefined });
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('start-lambda`s embedded CloudFormation', () => {
  it('describes the stack`s outputs; an API`s URL stays AWS`s (no API is served here)', async () => {
    const client = new CloudFormationClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_CLOUDFORMATION!, credentials: emulator.credentials });
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: 'local' }));

    expect(emulator.lambdaUrl).toBeDefined();
    expect(Stacks?.[0]?.Outputs).toEqual([
      { OutputKey: 'FnName', OutputValue: 'Fn' },
      { OutputKey: 'Api', OutputValue: `https://${restApiIdFor('ServerlessRestApi')}.execute-api.us-east-1.amazonaws.com/Prod/hi` },
    ]);
  });
});
