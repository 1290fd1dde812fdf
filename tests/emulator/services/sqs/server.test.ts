/**
 * The embedded SQS endpoint as SDKs and API Gateway call it: the AWS SDK for JavaScript v3 (AWS JSON 1.0, which
 * checks the MD5 digests it is sent), and the query protocol API Gateway's SQS integrations post, answered in XML
 * or, when JSON is accepted, in SQS's Java-model JSON (as the serverless-patterns READMEs record AWS answering).
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { signRequest } from '../../../../emulator/services/sigv4.js';
import { startSqs } from '../../../../emulator/services/sqs/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const sqs = await startSqs({ credentials: TEST_CREDENTIALS, region: 'us-east-1', accountId: '123456789012', queues: [{ name: 'jobs', attributes: { VisibilityTimeout: '30' } }, { name: 'empty' }] });
afterAll(() => sqs.close());
const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.url, credentials: TEST_CREDENTIALS });
const jobs = `${sqs.url}/123456789012/jobs`;

/** A query-protocol call as API Gateway's path integration makes it: the form in the body, the queue in the path. */
async function queryCall(form: string, accept?: string, path = '/123456789012/jobs') {
  const url = new URL(`${sqs.url}${path}`);
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(accept ? { accept } : {}) }, body: form, region: 'us-east-1', service: 'sqs' });
  const res = await fetch(url, { method: 'POST', headers, body: form });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

describe('the AWS SDK v3 (JSON protocol)', () => {
  it('queue URLs name the local endpoint: the SDK sends each call to its QueueUrl`s host', async () => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'jobs' }));
    const { QueueUrls } = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'j' }));

    expect(QueueUrl).toBe(jobs);
    expect(QueueUrls).toEqual([jobs]);
  });

  it('send, receive with attributes, delete: the SDK accepts every digest it checks', async () => {
    // Prepare
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'sdk-roundtrip' }));

    // Act
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'héllo', MessageAttributes: { n: { DataType: 'Number', StringValue: '7' }, b: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } } }));
    const batch = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'one', MessageBody: 'a' }, { Id: 'two', MessageBody: 'b', DelaySeconds: 901 }] }));
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    const deleted = await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: got.Messages!.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    const after = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));

    // Assess
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(batch.Successful!.map((s) => s.Id)).toEqual(['one']);
    expect(batch.Failed).toEqual([expect.objectContaining({ Id: 'two', SenderFault: true, Code: 'InvalidParameterValue' })]);
    expect(got.Messages!.map((m) => m.Body)).toEqual(['héllo', 'a']);
    expect(got.Messages![0]!.MessageAttributes).toEqual({ n: { DataType: 'Number', StringValue: '7' }, b: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } });
    expect(got.Messages![0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: TEST_CREDENTIALS.accessKeyId });
    expect(deleted.Successful).toHaveLength(2);
    expect(after.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', QueueArn: 'arn:aws:sqs:us-east-1:123456789012:sdk-roundtrip' });
  });

  it('an unknown queue is QueueDoesNotExist, as the SDK names it', async () => {
    const call = client.send(new SendMessageCommand({ QueueUrl: `${sqs.url}/123456789012/nope`, MessageBody: 'x' }));
    await expect(call).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('a stale receipt handle cannot change visibility (MessageNotInflight)', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'stale', Attributes: { VisibilityTimeout: '0' } }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl }));

    const call = client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 10 }));

    await expect(call).rejects.toMatchObject({ name: 'MessageNotInflight' });
  });

  it('a long poll answers as soon as a message arrives, not when its wait ends', async () => {
    // Prepare: the poll is waiting (20 s) before the send.
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'long-poll' }));
    const polling = client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));

    // Act
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'arrived' }));

    // Assess: resolved by the send (a 20 s wait would exceed the test's timeout).
    expect((await polling).Messages?.map((m) => m.Body)).toEqual(['arrived']);
  }, 10_000);

  it('a request that is not signed with the local credentials is refused and changes nothing', async () => {
    const stranger = new SQSClient({ region: 'us-east-1', endpoint: sqs.url, credentials: { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'not-the-local-secret' } });

    await expect(stranger.send(new SendMessageCommand({ QueueUrl: `${sqs.url}/123456789012/empty`, MessageBody: 'x' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });

    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: `${sqs.url}/123456789012/empty`, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
  });
});

describe('R12 the query protocol, as API Gateway`s SQS integrations send it', () => {
  it('Accept: application/json gets SQS`s Java-model JSON: every member present, null when absent', async () => {
    const got = await queryCall('Action=SendMessage&MessageBody=%7B%22a%22%3A1%7D', 'application/json');

    expect(got.status).toBe(200);
    expect(got.contentType).toBe('application/json');
    const body = JSON.parse(got.text) as { SendMessageResponse: { SendMessageResult: Record<string, unknown>; ResponseMetadata: { RequestId: string } } };
    expect(Object.keys(body.SendMessageResponse)).toEqual(['SendMessageResult', 'ResponseMetadata']);
    expect(body.SendMessageResponse.SendMessageResult).toEqual({
      MD5OfMessageAttributes: null,
      MD5OfMessageBody: createHash('md5').update('{"a":1}').digest('hex'),
      MD5OfMessageSystemAttributes: null,
      MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      SequenceNumber: null,
    });
  });

  it('flattened message attributes (MessageAttribute.N and MessageAttributes.N) become the message`s attributes', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'flattened' }));
    for (const prefix of ['MessageAttribute', 'MessageAttributes']) {
      const form = `Action=SendMessage&MessageBody=m&${prefix}.1.Name=user-agent&${prefix}.1.Value.DataType=String&${prefix}.1.Value.StringValue=curl`;
      expect((await queryCall(form, 'application/json', '/123456789012/flattened')).status).toBe(200);
    }

    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));

    expect(Messages!.map((m) => m.MessageAttributes)).toEqual([
      { 'user-agent': { DataType: 'String', StringValue: 'curl' } },
      { 'user-agent': { DataType: 'String', StringValue: 'curl' } },
    ]);
  });

  it('no JSON accepted: XML in SQS`s namespace', async () => {
    const got = await queryCall('Action=SendMessage&MessageBody=hello');

    expect(got.status).toBe(200);
    expect(got.contentType).toBe('text/xml');
    expect(got.text).toMatch(/^<\?xml version="1.0"\?><SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId><MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592<\/MD5OfMessageBody><\/SendMessageResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/SendMessageResponse>$/);
  });

  it('ReceiveMessage as JSON lists `messages` (null when there are none), as the API Gateway pattern READMEs show', async () => {
    const none = JSON.parse((await queryCall('Action=ReceiveMessage', 'application/json', '/123456789012/empty')).text) as Record<string, Record<string, unknown>>;
    expect(none.ReceiveMessageResponse!.ReceiveMessageResult).toEqual({ messages: null });
  });

  it.each([
    { given: 'an unknown queue', form: 'Action=SendMessage&MessageBody=x', path: '/123456789012/nope', accept: undefined, status: 400, want: /<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/ },
    { given: 'no body', form: 'Action=SendMessage', path: '/123456789012/jobs', accept: 'application/json', status: 400, want: /"Code":"MissingParameter".*"Type":"Sender"/ },
    { given: 'an action SQS does not have', form: 'Action=SendMessages&MessageBody=x', path: '/123456789012/jobs', accept: undefined, status: 400, want: /<Code>InvalidAction<\/Code>/ },
  ])('$given: $status in the protocol of the call', async ({ form, path, accept, status, want }) => {
    const got = await queryCall(form, accept, path);

    expect(got.status).toBe(status);
    expect(got.text).toMatch(want);
  });
});

describe('long polls on a FAKE clock (timers fire only when the test says)', () => {
  it('a long poll wakes when a shortened visibility timeout ends, not at the end of the one it was armed for', async () => {
    // Prepare: a clock whose timers the test fires, and that says when a poll arms one.
    let now = 1_700_000_000_000;
    const timers: { at: number; fn: () => void }[] = [];
    let onArm: () => void = () => undefined;
    const armed = () => new Promise<void>((resolve) => (onArm = resolve));
    const clock = {
      now: () => now,
      after: (ms: number, fn: () => void) => {
        const timer = { at: now + ms, fn };
        timers.push(timer);
        onArm();
        return () => void timers.splice(timers.indexOf(timer), 1);
      },
    };
    const advance = (ms: number) => {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    };
    const local = await startSqs({ credentials: TEST_CREDENTIALS, region: 'us-east-1', accountId: '123456789012', queues: [{ name: 'q', attributes: { VisibilityTimeout: '60' } }], clock });
    const c = new SQSClient({ region: 'us-east-1', endpoint: local.url, credentials: TEST_CREDENTIALS });
    const QueueUrl = `${local.url}/123456789012/q`;
    await c.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
    const { Messages } = await c.send(new ReceiveMessageCommand({ QueueUrl }));

    // Act: a poll waits (its timer at the 20 s wait's end: the message is hidden 60 s); the visibility is cut to 5 s;
    // the poll re-arms; 5 s pass.
    const waiting = armed();
    const polling = c.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await waiting;
    const rearmed = armed();
    await c.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 5 }));
    await rearmed;
    advance(5000);

    // Assess
    expect((await polling).Messages?.map((m) => m.Body)).toEqual(['m']);
    await local.close();
  });
});
