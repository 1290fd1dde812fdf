/**
 * The embedded SNS against what real SNS answered, as LocalStack's AWS-validated snapshot tests recorded it
 * (tests/aws/services/sns/test_sns.snapshot.json): each test is named 'LS-rec <the recorded test>'. Facts only: the
 * calls and the codes and messages AWS gave, made here through the AWS SDK v3 a function uses.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type MessageAttributeValue, PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { startSns } from '../../../../emulator/services/sns/server.js';
import { SnsTopics, type SnsDelivery } from '../../../../emulator/services/sns/topics.js';
import type { TopicSpec } from '../../../../emulator/template/model.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const TOPIC: TopicSpec = { logicalId: 'Events', name: 'events', arn: 'arn:aws:sns:us-east-1:123456789012:events', fifo: false };
const FIFO: TopicSpec = { logicalId: 'Orders', name: 'orders.fifo', arn: 'arn:aws:sns:us-east-1:123456789012:orders.fifo', fifo: true };
const delivered: SnsDelivery[] = [];
const topics = new SnsTopics([TOPIC, FIFO], [{ id: 'q', arn: `${TOPIC.arn}:q`, topicArn: TOPIC.arn, protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q' }], { region: 'us-east-1', accountId: '123456789012', deliver: (d) => delivered.push(d) });
const server = await startSns(topics, { credentials: TEST_CREDENTIALS });
afterAll(() => server.close());
const client = new SNSClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS });

/** What the SDK hands the caller of a refused call: the query code and SNS's message. */
async function refusal(call: Promise<unknown>): Promise<{ Code: unknown; message: string }> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { Code?: unknown; message: string } | undefined;
  if (!error) throw new Error('the call was not refused');
  return { Code: error.Code, message: error.message };
}

const MAX = 262_144;
/** attr1 as the recorded tests send it: its name, type and value are counted with the message. */
const ATTRS = { attr1: { DataType: 'Number', StringValue: '1' } };
const ATTR_BYTES = 'attr1'.length + 'Number'.length + '1'.length;

describe('Publish: the topic ARN and the message`s size', () => {
  it.each([
    { arn: 'randomstring', message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1' },
    { arn: 'randomstring:1', message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2' },
    { arn: '', message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1' },
  ])('LS-rec test_publish_wrong_arn_format: "$arn" is InvalidParameter: $message', async ({ arn, message }) => {
    expect(await refusal(client.send(new PublishCommand({ TopicArn: arn, Message: 'Good news everyone!' })))).toEqual({ Code: 'InvalidParameter', message });
  });

  it('LS-rec test_topic_publish_another_region: a topic ARN of another region is InvalidParameter TopicArn, not NotFound', async () => {
    const other = TOPIC.arn.replace('us-east-1', 'eu-west-1');

    const one = await refusal(client.send(new PublishCommand({ TopicArn: other, Message: 'm' })));
    const batch = await refusal(client.send(new PublishBatchCommand({ TopicArn: other, PublishBatchRequestEntries: [{ Id: '1', Message: 'm' }] })));

    expect([one, batch]).toEqual([
      { Code: 'InvalidParameter', message: 'Invalid parameter: TopicArn' },
      { Code: 'InvalidParameter', message: 'Invalid parameter: TopicArn' },
    ]);
  });

  it('LS-rec test_publish_too_long_message: the 256 KB limit counts the message attributes', async () => {
    const body = 'a'.repeat(MAX - ATTR_BYTES + 1);

    const over = await refusal(client.send(new PublishCommand({ TopicArn: TOPIC.arn, Message: body, MessageAttributes: ATTRS })));
    const fits = await client.send(new PublishCommand({ TopicArn: TOPIC.arn, Message: body.slice(1), MessageAttributes: ATTRS }));

    expect(over).toEqual({ Code: 'InvalidParameter', message: 'Invalid parameter: Message too long' });
    expect(fits.MessageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('message attributes', () => {
  const binary = (text: string) => new TextEncoder().encode(text);
  it.each<{ given: string; attrs: Record<string, MessageAttributeValue>; message: string }>([
    { given: 'missing_binary_attr', attrs: { attr1: { DataType: 'Binary', BinaryValue: binary('') } }, message: "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'Binary'." },
    { given: 'str_attr_binary_value', attrs: { attr1: { DataType: 'String', BinaryValue: binary('123') } }, message: "The message attribute 'attr1' with type 'String' must use field 'String'." },
    { given: 'int_attr_binary_value', attrs: { attr1: { DataType: 'Number', BinaryValue: binary('123') } }, message: "The message attribute 'attr1' with type 'Number' must use field 'String'." },
    { given: 'binary_attr_string_value', attrs: { attr1: { DataType: 'Binary', StringValue: '123' } }, message: "The message attribute 'attr1' with type 'Binary' must use field 'Binary'." },
    { given: 'invalid_attr_string_value', attrs: { attr1: { DataType: 'InvalidType', StringValue: '123' } }, message: "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String." },
    { given: 'too_long_name', attrs: { ['a'.repeat(257)]: { DataType: 'String', StringValue: '123' } }, message: 'Length of message attribute name must be less than 256 bytes.' },
    { given: 'invalid_name', attrs: { 'a^*?': { DataType: 'String', StringValue: '123' } }, message: "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots." },
    { given: 'invalid_name_2', attrs: { '.abc': { DataType: 'String', StringValue: '123' } }, message: "Invalid message attribute name starting with character '.' was found." },
    { given: 'invalid_name_3', attrs: { 'abc.': { DataType: 'String', StringValue: '123' } }, message: "Invalid message attribute name ending with character '.' was found." },
    { given: 'invalid_name_4', attrs: { 'a..bc': { DataType: 'String', StringValue: '123' } }, message: "Message attribute name can not have successive '.' character." },
  ])('LS-rec test_empty_or_wrong_message_attributes[$given]: ParameterValueInvalid, for Publish and the whole PublishBatch', async ({ attrs, message }) => {
    const before = delivered.length;

    const one = await refusal(client.send(new PublishCommand({ TopicArn: TOPIC.arn, Message: 'test message', MessageAttributes: attrs })));
    const batch = await refusal(client.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: [{ Id: '1', Message: 'test-batch', MessageAttributes: attrs }, { Id: '3', Message: 'valid-batch' }] })));

    expect([one, batch]).toEqual([
      { Code: 'ParameterValueInvalid', message },
      { Code: 'ParameterValueInvalid', message },
    ]);
    expect(delivered.length).toBe(before);
  });
});

describe('PublishBatch', () => {
  it.each([
    { given: 'no-group-id', entries: [{ Id: '1', Message: 'Test message without Group ID' }], code: 'InvalidParameter', message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics' },
    { given: 'too-many-msg', entries: Array.from({ length: 11 }, (_, i) => ({ Id: `Id_${i}`, Message: 'Too many messages' })), code: 'TooManyEntriesInBatchRequest', message: 'The batch request contains more entries than permissible.' },
    { given: 'same-msg-id', entries: [{ Id: '1', Message: 'm' }, { Id: '1', Message: 'm' }], code: 'BatchEntryIdsNotDistinct', message: 'Two or more batch entries in the request have the same Id.' },
    { given: 'no-dedup-id', entries: [{ Id: '1', Message: 'm', MessageGroupId: 'msg1' }], code: 'InvalidParameter', message: 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly' },
    { given: 'no-default-key-json', entries: [{ Id: '1', Message: '{"sqs":"test sqs"}', MessageStructure: 'json' }], code: 'InvalidParameter', message: 'Invalid parameter: Message Structure - No default entry in JSON message body' },
  ])('LS-rec test_publish_batch_exceptions[$given]: the whole batch is $code', async ({ entries, code, message }) => {
    expect(await refusal(client.send(new PublishBatchCommand({ TopicArn: FIFO.arn, PublishBatchRequestEntries: entries })))).toEqual({ Code: code, message });
  });

  it.each([
    { id: 'message.id', message: 'The Id of a batch entry in the batch request contains an impermissible character: message.id' },
    { id: 'msg@123#test', message: 'The Id of a batch entry in the batch request contains an impermissible character: msg@123#test' },
    { id: 'a'.repeat(81), message: `The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}` },
  ])('LS-rec test_publish_batch_invalid_entry_id: "$id" is InvalidBatchEntryId', async ({ id, message }) => {
    expect(await refusal(client.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: [{ Id: id, Message: 'test message' }] })))).toEqual({ Code: 'InvalidBatchEntryId', message });
  });

  it('LS-rec test_publish_batch_invalid_entry_id: an Id of 80 characters, hyphens and underscores is taken', async () => {
    const got = await client.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: [{ Id: 'a'.repeat(80), Message: 'test message' }, { Id: 'valid-message_123', Message: 'test message' }] }));

    expect([got.Successful?.map((s) => s.Id), got.Failed]).toEqual([['a'.repeat(80), 'valid-message_123'], []]);
  });

  it('LS-rec test_publish_batch_too_long_message: the messages and their attributes together are limited to 256 KB', async () => {
    const halves = [{ Id: '1', Message: 'a'.repeat(MAX / 2) }, { Id: '2', Message: 'b'.repeat(1 + MAX / 2) }];
    const withAttrs = (body: string) => [{ Id: '1', Message: body, MessageAttributes: ATTRS }, { Id: '2', Message: 'b' }];

    const plain = await refusal(client.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: halves })));
    const attributed = await refusal(client.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: withAttrs('a'.repeat(MAX - ATTR_BYTES)) })));
    const fits = await client.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: withAttrs('a'.repeat(MAX - ATTR_BYTES - 1)) }));

    expect([plain, attributed]).toEqual([
      { Code: 'BatchRequestTooLong', message: 'The length of all the messages put together is more than the limit.' },
      { Code: 'BatchRequestTooLong', message: 'The length of all the messages put together is more than the limit.' },
    ]);
    expect(fits.Successful).toHaveLength(2);
  });
});

describe('what a FIFO topic`s queue receives', () => {
  it('LS-rec test_message_to_fifo_sqs: the envelope carries the topic`s SequenceNumber and no signature; the deduplication id is the body`s SHA-256', () => {
    const fifo: TopicSpec = { ...FIFO, contentBasedDeduplication: true };
    const got: SnsDelivery[] = [];
    const fanout = new SnsTopics([fifo], [{ id: 'q', arn: `${fifo.arn}:q`, topicArn: fifo.arn, protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q.fifo' }], { region: 'us-east-1', accountId: '123456789012', deliver: (d) => got.push(d) });

    const answer = fanout.publish({ TopicArn: fifo.arn, Message: 'Test', MessageGroupId: 'message-group-id-1' });
    const envelope = JSON.parse(got[0]!.payload as string) as Record<string, unknown>;

    expect(Object.keys(envelope)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
    expect(envelope).toMatchObject({ Type: 'Notification', MessageId: answer.MessageId, SequenceNumber: answer.SequenceNumber, Message: 'Test' });
    expect(answer.SequenceNumber).toMatch(/^\d{20}$/);
    expect([got[0]!.messageGroupId, got[0]!.messageDeduplicationId]).toEqual(['message-group-id-1', '532eaabd9574880dbf76b9b8cc00832c20a6ec113d682299550d7a6e0f345e25']);
  });

  it('LS-rec test_publish_by_path_parameters: a standard topic`s envelope keeps its signature fields', () => {
    const got: SnsDelivery[] = [];
    const fanout = new SnsTopics([TOPIC], [{ id: 'q', arn: `${TOPIC.arn}:q`, topicArn: TOPIC.arn, protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q' }], { region: 'us-east-1', accountId: '123456789012', deliver: (d) => got.push(d) });

    fanout.publish({ TopicArn: TOPIC.arn, Message: 'hello' });

    expect(Object.keys(JSON.parse(got[0]!.payload as string) as object).sort()).toEqual(['Message', 'MessageId', 'Signature', 'SignatureVersion', 'SigningCertURL', 'Timestamp', 'TopicArn', 'Type', 'UnsubscribeURL']);
  });
});
