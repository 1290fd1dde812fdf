/**
 * The embedded SQS against what real SQS answered, as LocalStack's AWS-validated snapshot tests recorded it
 * (tests/aws/services/sqs/test_sqs.snapshot.json): each test is named 'LS-rec <the recorded test>'. Facts only: the
 * calls and the codes and messages AWS gave, made here through the AWS SDK v3 a function uses.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { signRequest } from '../../../../emulator/services/sigv4.js';
import { startSqs } from '../../../../emulator/services/sqs/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const sqs = await startSqs({
  credentials: TEST_CREDENTIALS,
  region: 'us-east-1',
  accountId: '123456789012',
  queues: [{ name: 'std' }, { name: 'orders.fifo' }, { name: 'small', attributes: { MaximumMessageSize: '1024' } }],
});
afterAll(() => sqs.close());
const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.url, credentials: TEST_CREDENTIALS });
const std = `${sqs.url}/123456789012/std`;
const fifo = `${sqs.url}/123456789012/orders.fifo`;
const small = `${sqs.url}/123456789012/small`;

/** What the SDK hands the caller of a refused call: its name (the JSON `__type`), its query Code, its message. */
async function refusal(call: Promise<unknown>): Promise<{ name: string; Code: unknown; message: string }> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; Code?: unknown; message: string } | undefined;
  if (!error) throw new Error('the call was not refused');
  return { name: error.name, Code: error.Code, message: error.message };
}

/** A JSON-protocol call as any SDK sends it, for what the SDK v3 does not show (the body's `__type`). */
async function jsonCall(action: string, input: Record<string, unknown>) {
  const url = new URL(sqs.url);
  const body = JSON.stringify(input);
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` }, body, region: 'us-east-1', service: 'sqs' });
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, queryError: res.headers.get('x-amzn-query-error'), body: (await res.json()) as Record<string, unknown> };
}

describe('error names: the JSON protocol`s __type beside the query code of x-amzn-query-error', () => {
  it('LS-rec test_send_receive_max_number_of_messages: __type InvalidParameterValueException, query code InvalidParameterValue', async () => {
    const got = await jsonCall('ReceiveMessage', { QueueUrl: std, MaxNumberOfMessages: 11 });

    expect(got).toEqual({ status: 400, queryError: 'InvalidParameterValue;Sender', body: { __type: 'com.amazonaws.sqs#InvalidParameterValueException', message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.' } });
  });

  it('LS-rec test_posting_to_fifo_requires_deduplicationid_group_id: __type MissingRequiredParameterException, query code MissingParameter', async () => {
    const got = await jsonCall('SendMessage', { QueueUrl: fifo, MessageBody: 'x' });
    // The SDK v3 names the error by the query code, as it names AWS's.
    const sdk = await refusal(client.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'x' })));

    expect(got).toEqual({ status: 400, queryError: 'MissingParameter;Sender', body: { __type: 'com.amazonaws.sqs#MissingRequiredParameterException', message: 'The request must contain the parameter MessageGroupId.' } });
    expect(sdk).toEqual({ name: 'MissingParameter', Code: 'MissingParameter', message: 'The request must contain the parameter MessageGroupId.' });
  });
});

describe('SendMessage(Batch): group and deduplication ids, sizes', () => {
  it('LS-rec test_send_message_to_standard_queue_with_invalid_message_group_id[empty]: an empty MessageGroupId is invalid, not absent', async () => {
    const got = await refusal(client.send(new SendMessageCommand({ QueueUrl: std, MessageBody: 'message', MessageGroupId: '' })));

    expect(got).toEqual({ name: 'InvalidParameterValue', Code: 'InvalidParameterValue', message: 'Value  for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.' });
  });

  it('LS-rec test_message_deduplication_id_invalid[empty]: an empty MessageDeduplicationId is invalid, not absent', async () => {
    const got = await refusal(client.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'Hello World!', MessageGroupId: 'test', MessageDeduplicationId: '' })));

    expect(got).toEqual({ name: 'InvalidParameterValue', Code: 'InvalidParameterValue', message: 'Value  for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.' });
  });

  it('LS-rec test_send_batch_missing_message_group_id_for_fifo_queue: one entry without its group refuses the whole batch', async () => {
    const entries = [
      { Id: 'with', MessageBody: 'messageBody', MessageGroupId: 'test-group', MessageDeduplicationId: 'd-1' },
      { Id: 'without', MessageBody: 'messageBody', MessageDeduplicationId: 'd-2' },
    ];

    const got = await refusal(client.send(new SendMessageBatchCommand({ QueueUrl: fifo, Entries: entries })));
    const left = await client.send(new ReceiveMessageCommand({ QueueUrl: fifo }));

    expect(got).toEqual({ name: 'InvalidParameterValue', Code: 'InvalidParameterValue', message: 'The request must contain the parameter MessageGroupId.' });
    expect(left.Messages).toBeUndefined();
  });

  it('LS-rec test_send_batch_missing_deduplication_id_for_fifo_queue: an entry without deduplication refuses the whole batch', async () => {
    const entries = [
      { Id: 'with', MessageBody: 'messageBody', MessageGroupId: 'g', MessageDeduplicationId: 'd-3' },
      { Id: 'without', MessageBody: 'messageBody', MessageGroupId: 'g' },
    ];

    const got = await refusal(client.send(new SendMessageBatchCommand({ QueueUrl: fifo, Entries: entries })));

    expect(got).toEqual({ name: 'InvalidParameterValue', Code: 'InvalidParameterValue', message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly' });
  });

  it('LS-rec test_send_batch_message_size: an entry over MaximumMessageSize fails alone, "cannot be validated"', async () => {
    const got = await client.send(new SendMessageBatchCommand({ QueueUrl: small, Entries: [{ Id: 'fits', MessageBody: 'a'.repeat(1024) }, { Id: 'over', MessageBody: 'a'.repeat(1025) }] }));

    expect(got.Successful!.map((s) => [s.Id, s.MD5OfMessageBody])).toEqual([['fits', 'c9a34cfc85d982698c6ac89f76071abd']]);
    expect(got.Failed).toEqual([{ Id: 'over', SenderFault: true, Code: 'InvalidParameterValue', Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' }]);
  });
});

describe('CreateQueue and SetQueueAttributes', () => {
  it('LS-rec test_create_queue_with_different_attributes_raises_exception: only the attributes given are compared, and the differing one is named', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'again', Attributes: { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '1' } }));

    const bare = await client.send(new CreateQueueCommand({ QueueName: 'again' }));
    const subset = await client.send(new CreateQueueCommand({ QueueName: 'again', Attributes: { DelaySeconds: '1' } }));
    const other = await refusal(client.send(new CreateQueueCommand({ QueueName: 'again', Attributes: { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '2' } })));

    expect([bare.QueueUrl, subset.QueueUrl]).toEqual([QueueUrl, QueueUrl]);
    expect(other).toEqual({ name: 'QueueNameExists', Code: 'QueueAlreadyExists', message: 'A queue already exists with the same name and a different value for attribute DelaySeconds' });
  });

  it('LS-rec test_create_fifo_queue_with_different_attributes_raises_error: a FIFO queue`s ContentBasedDeduplication is compared too', async () => {
    await client.send(new CreateQueueCommand({ QueueName: 'cbd.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));

    const got = await refusal(client.send(new CreateQueueCommand({ QueueName: 'cbd.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' } })));

    expect(got.message).toBe('A queue already exists with the same name and a different value for attribute ContentBasedDeduplication');
  });

  it.each([
    { attributes: { FifoQueue: 'false' }, code: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.' },
    { attributes: { ContentBasedDeduplication: 'false' }, code: 'InvalidAttributeName', message: 'Unknown Attribute ContentBasedDeduplication.' },
    { attributes: { DeduplicationScope: 'queue' }, code: 'InvalidAttributeName', message: 'You can specify the DeduplicationScope only when FifoQueue is set to true.' },
    { attributes: { FifoThroughputLimit: 'perQueue' }, code: 'InvalidAttributeName', message: 'You can specify the FifoThroughputLimit only when FifoQueue is set to true.' },
  ])('LS-rec test_create_standard_queue_with_fifo_attribute_raises_error: $attributes on a standard queue is $code', async ({ attributes, code, message }) => {
    const got = await refusal(client.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: attributes })));

    expect(got).toEqual({ name: code, Code: code, message });
  });

  it('LS-rec test_set_unsupported_attribute_fifo: FifoQueue is unknown to a standard queue, and a FIFO queue cannot stop being one', async () => {
    const onStandard = await refusal(client.send(new SetQueueAttributesCommand({ QueueUrl: std, Attributes: { FifoQueue: 'true' } })));
    await client.send(new SetQueueAttributesCommand({ QueueUrl: fifo, Attributes: { FifoQueue: 'true' } }));
    const toStandard = await refusal(client.send(new SetQueueAttributesCommand({ QueueUrl: fifo, Attributes: { FifoQueue: 'false' } })));

    expect(onStandard).toEqual({ name: 'InvalidAttributeName', Code: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.' });
    expect(toStandard).toEqual({ name: 'InvalidAttributeValue', Code: 'InvalidAttributeValue', message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.' });
  });
});

describe('ReceiveMessage: MessageAttributeNames', () => {
  let queues = 0;
  it.each([
    { names: ['*'], want: ['General', 'Hello', 'Help.Me'] },
    { names: ['.*'], want: ['General', 'Hello', 'Help.Me'] },
    { names: ['Hel.*'], want: ['Hello', 'Help.Me'] },
    { names: ['Foo', 'Hello'], want: ['Hello'] },
    { names: ['Foo', 'Help'], want: [] },
  ])('LS-rec test_receive_message_message_attribute_names_filters: $names picks $want (the SDK checks the digest)', async ({ names, want }) => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `filters-${(queues += 1)}` }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'msg', MessageAttributes: { 'Help.Me': { DataType: 'String', StringValue: 'Me' }, Hello: { DataType: 'String', StringValue: 'There' }, General: { DataType: 'String', StringValue: 'Kenobi' } } }));

    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: names }));

    expect(Object.keys(Messages![0]!.MessageAttributes ?? {}).sort()).toEqual(want);
  });
});

describe('receipt handles', () => {
  it('LS-rec test_change_visibility_on_deleted_message_raises_invalid_parameter_value: a deleted message`s handle is InvalidParameterValue', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'handles' }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'foo' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl }));
    const handle = Messages![0]!.ReceiptHandle!;
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 42 }));
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }));

    const got = await refusal(client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 42 })));
    // Deleting again is no error (test_delete_message_with_deleted_receipt_handle).
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }));

    expect(got).toEqual({ name: 'InvalidParameterValue', Code: 'InvalidParameterValue', message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.` });
  });
});
