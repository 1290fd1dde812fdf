/**
 * An EventBridge pipe whose target is one of the template's REST APIs (Pipes User Guide, "Amazon API Gateway targets"):
 * each record of the queue is one request to the method the execute-api ARN names, its HttpParameters applied, the
 * record as the body. Waits are on the API's request log, never on time.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../../emulator/app.js';
import type { RequestLogEntry } from '../../../../emulator/gateway/types.js';
import { AwaitedReports } from '../../support/awaited-reports.js';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Inbox:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: inbox
  Orders:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: 3.0.1
        info: { title: orders, version: '1' }
        paths:
          /orders/{id}:
            post:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates:
                  application/json: '{"statusCode": 200}'
                responses:
                  default:
                    statusCode: '200'
  ToApi:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/pipe
      Source: !GetAtt Inbox.Arn
      Target: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Orders}/prod/POST/orders/*
      TargetParameters:
        HttpParameters:
          PathParameterValues: [$.messageId]
          QueryStringParameters: { from: pipe }
`;

const dir = mkdtempSync(join(tmpdir(), 'pipes-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a pipe from a queue to a REST API of the template', () => {
  it('sends each message to the method its ARN names, the path`s wildcard filled from the record', async () => {
    // Prepare
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    const requests = new AwaitedReports<RequestLogEntry>();
    const emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: () => undefined, onRequest: requests.add });
    try {
      const sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SQS, credentials: emulator.credentials });

      // Act
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: `${emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/inbox`, MessageBody: '{"order":"o-1"}' }));
      const request = await requests.where((r) => r.method === 'POST');

      // Assess
      expect(request).toMatchObject({ path: `/prod/orders/${sent.MessageId}`, status: 200 });
      expect(emulator.pipeNotes).toEqual([expect.stringMatching(/^ToApi \(.*\): sqs arn:aws:sqs:us-east-1:123456789012:inbox -> execute-api arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]+\/prod\/POST\/orders\/\*$/)]);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
