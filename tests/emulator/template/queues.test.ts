/**
 * AWS::SQS::Queue and the functions' SQS event sources read from a template: names as CloudFormation gives them,
 * attributes as SQS takes them, queue URLs on the local endpoint, and both forms of event source mapping.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { queueSourceProblems } from '../../../emulator/template/queues.js';

const SRC = resolve('tests/emulator/fixtures/runtime-app/src');

function tempTemplate(resources: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'queues-'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
  return join(dir, 'template.yaml');
}

const FUNCTION = (events = '') => `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: plain.handler\n      Runtime: nodejs20.x\n      Environment: { Variables: { QUEUE_URL: !Ref Plain, QUEUE_URL_ATTRIBUTE: !GetAtt Plain.QueueUrl } }\n${events}`;
const QUEUES = [
  '  Plain:\n    Type: AWS::SQS::Queue\n',
  '  Dlq:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: named-dlq }\n',
  '  Ordered:\n    Type: AWS::SQS::Queue\n    Properties: { FifoQueue: true, ContentBasedDeduplication: true, VisibilityTimeout: 60, RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3 } }\n',
].join('');

describe('queues', () => {
  it('are named as CloudFormation names them (a FIFO queue`s generated name ends in .fifo), dead-letter queues first', async () => {
    const t = await loadTemplate(tempTemplate(QUEUES + FUNCTION()));

    expect(t.queues).toEqual([
      { logicalId: 'Plain', name: 'local-Plain', attributes: {} },
      { logicalId: 'Dlq', name: 'named-dlq', attributes: {} },
      {
        logicalId: 'Ordered',
        name: 'local-Ordered.fifo',
        attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '60', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:named-dlq","maxReceiveCount":3}' },
      },
    ]);
  });

  it.each([
    { given: 'no local endpoint (a tool reading the template)', options: {}, want: 'https://sqs.us-east-1.amazonaws.com/123456789012/local-Plain' },
    { given: 'the local SQS endpoint', options: { queueEndpoint: 'http://127.0.0.1:4566' }, want: 'http://127.0.0.1:4566/123456789012/local-Plain' },
  ])('a queue`s Ref and QueueUrl: its URL on $given', async ({ options, want }) => {
    const t = await loadTemplate(tempTemplate(QUEUES + FUNCTION()), options);

    expect(t.functions.get('Fn')!.environment).toMatchObject({ QUEUE_URL: want, QUEUE_URL_ATTRIBUTE: want });
  });
});

describe('SQS event sources', () => {
  it('a SAM SQS event: Lambda`s defaults (batch 10, no window, enabled), its FunctionResponseTypes and FilterCriteria', async () => {
    const events = '      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Plain.Arn\n            FunctionResponseTypes: [ReportBatchItemFailures]\n            FilterCriteria: { Filters: [{ Pattern: \'{"body": {"kind": ["job"]}}\' }] }\n        Orders:\n          Type: SQS\n          Properties: { Queue: !GetAtt Ordered.Arn, BatchSize: 3, Enabled: false, MaximumBatchingWindowInSeconds: 5, ScalingConfig: { MaximumConcurrency: 2 } }\n';

    const t = await loadTemplate(tempTemplate(QUEUES + FUNCTION(events)));

    expect(t.queueSources).toEqual([
      { id: 'Fn.Jobs', functionLogicalId: 'Fn', queueArn: 'arn:aws:sqs:us-east-1:123456789012:local-Plain', batchSize: 10, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: true, filterCriteria: { Filters: [{ Pattern: '{"body": {"kind": ["job"]}}' }] } },
      { id: 'Fn.Orders', functionLogicalId: 'Fn', queueArn: 'arn:aws:sqs:us-east-1:123456789012:local-Ordered.fifo', batchSize: 3, batchingWindowSeconds: 5, enabled: false, reportBatchItemFailures: false, maximumConcurrency: 2 },
    ]);
    expect(t.resources?.find((g) => g.type === 'AWS::SQS::Queue')).toMatchObject({ status: 'emulated' });
    expect(t.resources?.some((g) => g.type === 'Events (SQS)')).toBe(false);
  });

  it.each([
    { given: 'Ref of the function', name: '!Ref Fn' },
    { given: 'the function`s ARN', name: '!GetAtt Fn.Arn' },
    { given: 'its name', name: 'Fn' },
  ])('an AWS::Lambda::EventSourceMapping naming the function by $given is an SQS event source, EMULATED', async ({ name }) => {
    const mapping = `  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { EventSourceArn: !GetAtt Plain.Arn, FunctionName: ${name}, BatchSize: 2 }\n`;

    const t = await loadTemplate(tempTemplate(QUEUES + FUNCTION() + mapping));

    expect(t.queueSources).toEqual([expect.objectContaining({ id: 'Mapping', functionLogicalId: 'Fn', batchSize: 2 })]);
    expect(t.resources?.find((g) => g.type === 'AWS::Lambda::EventSourceMapping')).toMatchObject({ status: 'emulated' });
  });

  it.each([
    { given: 'a SAM SQS event', events: '      Events:\n        Jobs:\n          Type: SQS\n          Properties: { Queue: !GetAtt Plain.Arn, ProvisionedPollerConfig: { MinimumPollers: 2 } }\n', mapping: '', key: 'Resources.Fn.Properties.Events.Jobs.Properties' },
    { given: 'an AWS::Lambda::EventSourceMapping', events: '', mapping: '  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { EventSourceArn: !GetAtt Plain.Arn, FunctionName: !Ref Fn, ProvisionedPollerConfig: { MinimumPollers: 2 } }\n', key: 'Resources.Mapping.Properties' },
  ])('ProvisionedPollerConfig on $given is named as not applied, the source served', async ({ events, mapping, key }) => {
    const t = await loadTemplate(tempTemplate(QUEUES + FUNCTION(events) + mapping));

    expect(t.queueSources).toHaveLength(1);
    expect(t.warnings).toContain(`${key}.ProvisionedPollerConfig: provisioned mode is not emulated: one local poller reads the source, as in on-demand mode`);
  });

  it('a mapping of a Kinesis stream is no SQS event source (and not reported as one); one naming no function of the template is a warning', async () => {
    const mappings = '  Stream:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { EventSourceArn: arn:aws:kinesis:us-east-1:123456789012:stream/s, FunctionName: Fn }\n  Elsewhere:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { EventSourceArn: !GetAtt Plain.Arn, FunctionName: other-stacks-function }\n';

    const t = await loadTemplate(tempTemplate(QUEUES + FUNCTION() + mappings));

    expect(t.queueSources).toEqual([]);
    expect(t.resources?.find((g) => g.type === 'AWS::Lambda::EventSourceMapping')?.status).toBe('ignored');
    expect(t.warnings).toContainEqual(expect.stringContaining('Resources.Elsewhere.Properties.FunctionName: "other-stacks-function" is no function of this template'));
  });
});

describe('what Lambda refuses in an SQS event source (CreateEventSourceMapping)', () => {
  const source = { id: 'Fn.Jobs', functionLogicalId: 'Fn', queueArn: 'arn:aws:sqs:us-east-1:123456789012:q', batchSize: 10, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: false };
  const queue = { logicalId: 'Q', name: 'q', attributes: {} };

  it.each([
    { given: 'the defaults (batch 10, visibility 30 s, function timeout 3 s)', change: {}, queue, timeout: 3, want: [] },
    { given: 'a function timeout over the default visibility', change: {}, queue, timeout: 60, want: ["the queue's VisibilityTimeout (30 s) is less than the function's Timeout (60 s)"] },
    { given: 'a visibility that covers the timeout', change: {}, queue: { ...queue, attributes: { VisibilityTimeout: '60' } }, timeout: 60, want: [] },
    { given: 'a batch over 10 without a window', change: { batchSize: 100 }, queue, timeout: 3, want: ['BatchSize 100 needs MaximumBatchingWindowInSeconds of at least 1'] },
    { given: 'a batch over 10 with a window', change: { batchSize: 100, batchingWindowSeconds: 1 }, queue, timeout: 3, want: [] },
    { given: 'a FIFO queue`s batch over 10', change: { batchSize: 11 }, queue: { ...queue, name: 'q.fifo' }, timeout: 3, want: ['BatchSize 11 is outside 1-10 (a FIFO queue)'] },
    { given: 'a batch of 0', change: { batchSize: 0 }, queue, timeout: 3, want: ['BatchSize 0 is outside 1-10000'] },
    { given: 'a FIFO queue with a batching window', change: { batchingWindowSeconds: 5 }, queue: { ...queue, name: 'q.fifo' }, timeout: 3, want: ['MaximumBatchingWindowInSeconds is not supported for FIFO queues'] },
  ])('$given', async ({ change, queue: q, timeout, want }) => {
    const fn = { timeoutSeconds: timeout } as Parameters<typeof queueSourceProblems>[2];
    expect(queueSourceProblems({ ...source, ...change }, q, fn)).toEqual(want);
  });
});
