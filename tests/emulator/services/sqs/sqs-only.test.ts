/**
 * A template of queue consumers only (no API; like the serverless-patterns sqs-lambda samples) is served: its
 * queues and pollers run, the report says it is ready. A template with neither an API nor an event source still
 * refuses to start (tests/emulator/template/sam-api/never-silent.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator } from '../../../../emulator/app.js';
import { formatStartupReport } from '../../../../emulator/report.js';
import type { BatchReport } from '../../../../emulator/services/sqs/event-source.js';
import { AwaitedReports } from '../../support/awaited-reports.js';

const SRC = resolve('tests/emulator/fixtures/sqs-app/src');
const dir = mkdtempSync(join(tmpdir(), 'sqs-only-'));
writeFileSync(
  join(dir, 'template.yaml'),
  `Transform: AWS::Serverless-2016-10-31
Resources:
  Inbox:
    Type: AWS::SQS::Queue
  Done:
    Type: AWS::SQS::Queue
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: ${SRC}
      Handler: worker.handler
      Environment: { Variables: { DONE_QUEUE_URL: !Ref Done } }
      Events:
        Inbox: { Type: SQS, Properties: { Queue: !GetAtt Inbox.Arn } }
`,
);

describe('a template with SQS consumers and no API', () => {
  const reports = new AwaitedReports<BatchReport>();
  const starting = startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: () => undefined, onQueueBatch: reports.add });
  afterAll(async () => (await starting).close());

  it('starts, says it is ready with no API, and its function gets what is sent to its queue', async () => {
    // Prepare
    const emulator = await starting;
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SQS, credentials: emulator.credentials });

    // Act
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: `${emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/local-Inbox`, MessageBody: '{"kind":"job"}' }));
    const batch = await reports.where((r) => r.messageIds.includes(MessageId!));

    // Assess
    expect(emulator.apis).toEqual([]);
    expect(formatStartupReport(emulator, 0)).toMatch(/\nready: no API; the event sources, subscriptions, rules, pipes and state machines above run/);
    expect(batch).toMatchObject({ functionLogicalId: 'Consumer', outcome: 'ok', deleted: 1 });
  }, 60_000);
});
