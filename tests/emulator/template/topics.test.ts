/** SNS topics and subscriptions read from a template: the Topic's own list, AWS::SNS::Subscription, SAM SNS events. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

const SRC = resolve('tests/emulator/fixtures/runtime-app/src');

it('reads topics (ARN as Ref gives it, FIFO) and every kind of subscription, with filter policies as objects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topics-'));
  writeFileSync(
    join(dir, 'template.yaml'),
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SNS::Topic
    Properties: { Subscription: [{ Protocol: email, Endpoint: a@example.com }] }
  Ordered:
    Type: AWS::SNS::Topic
    Properties: { TopicName: ordered.fifo, FifoTopic: true }
  Q:
    Type: AWS::SQS::Queue
  Sub:
    Type: AWS::SNS::Subscription
    Properties: { TopicArn: !Ref Orders, Protocol: sqs, Endpoint: !GetAtt Q.Arn, RawMessageDelivery: 'true', FilterPolicy: '{"kind": ["a"]}', RedrivePolicy: { deadLetterTargetArn: x } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${SRC}
      Handler: plain.handler
      Runtime: nodejs20.x
      Events:
        Placed: { Type: SNS, Properties: { Topic: !Ref Orders, FilterPolicyScope: MessageBody, FilterPolicy: { kind: [b] }, SqsSubscription: true } }
`,
  );

  const t = await loadTemplate(join(dir, 'template.yaml'));

  expect(t.topics).toEqual([
    { logicalId: 'Orders', name: 'local-Orders', arn: 'arn:aws:sns:us-east-1:123456789012:local-Orders', fifo: false },
    { logicalId: 'Ordered', name: 'ordered.fifo', arn: 'arn:aws:sns:us-east-1:123456789012:ordered.fifo', fifo: true },
  ]);
  expect(t.subscriptions).toEqual([
    expect.objectContaining({ id: 'Orders.Subscription[0]', topicArn: 'arn:aws:sns:us-east-1:123456789012:local-Orders', protocol: 'email', endpoint: 'a@example.com' }),
    expect.objectContaining({ id: 'Sub', protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:local-Q', rawMessageDelivery: true, filterPolicy: { kind: ['a'] }, notApplied: ['RedrivePolicy'] }),
    expect.objectContaining({ id: 'Fn.Placed', protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:Fn', filterPolicy: { kind: ['b'] }, filterPolicyScope: 'MessageBody', notApplied: ['SqsSubscription'] }),
  ]);
  expect(t.resources?.find((g) => g.type === 'AWS::SNS::Topic')).toMatchObject({ status: 'emulated' });
  expect(t.resources?.some((g) => g.type === 'Events (SNS)')).toBe(false);
});

describe('topics', () => {
  it('a template without topics has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topics-'));
    writeFileSync(join(dir, 'template.yaml'), `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: ${SRC}, Handler: plain.handler, Runtime: nodejs20.x }\n`);
    expect((await loadTemplate(join(dir, 'template.yaml'))).topics).toEqual([]);
  });
});

describe('topic properties the embedded SNS does not apply', () => {
  it.each([
    { given: 'TracingConfig: Active', props: '{ TracingConfig: Active }', want: ['TracingConfig: X-Ray is not emulated: no trace is passed on to subscribers'] },
    { given: 'TracingConfig: PassThrough (the default: nothing to apply)', props: '{ TracingConfig: PassThrough }', want: undefined },
    { given: 'a DataProtectionPolicy', props: '{ DataProtectionPolicy: { Name: p, Version: "2021-06-01", Statement: [] } }', want: [expect.stringMatching(/^DataProtectionPolicy: message data protection .* not applied/)] },
    { given: 'DeliveryStatusLogging and an ArchivePolicy', props: '{ FifoTopic: true, TopicName: t.fifo, ArchivePolicy: { MessageRetentionPeriod: 30 }, DeliveryStatusLogging: [{ Protocol: sqs }] }', want: [expect.stringMatching(/^ArchivePolicy: /), expect.stringMatching(/^DeliveryStatusLogging: /)] },
  ])('$given: named', async ({ props, want }) => {
    const dir = mkdtempSync(join(tmpdir(), 'topic-props-'));
    writeFileSync(join(dir, 'template.yaml'), `Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: ${props}\n`);

    const t = await loadTemplate(join(dir, 'template.yaml'));

    expect(t.topics?.[0]?.notApplied).toEqual(want);
  });
});
