/** SQS's query protocol read into the JSON protocol's shapes, and errors written in each protocol. */
import { describe, expect, it } from 'vitest';
import { SqsError } from '../../../../emulator/services/sqs/errors.js';
import { readCall, unflatten, writeError, writeResult } from '../../../../emulator/services/sqs/protocol.js';

describe('the query protocol`s flattened parameters', () => {
  it.each([
    { given: 'lists', form: 'AttributeName.2=SentTimestamp&AttributeName.1=All', want: { AttributeNames: ['All', 'SentTimestamp'] } },
    { given: 'a list member without an index (SQS`s own ReceiveMessage example: AttributeName=All)', form: 'AttributeName=All&MaxNumberOfMessages=5', want: { AttributeNames: ['All'], MaxNumberOfMessages: '5' } },
    { given: 'maps in numeric order (10 after 2)', form: 'Attribute.10.Name=B&Attribute.10.Value=2&Attribute.2.Name=A&Attribute.2.Value=1', want: { Attributes: { A: '1', B: '2' } } },
    {
      given: 'batch entries with their own attributes',
      form: 'SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v',
      want: { Entries: [{ Id: 'a', MessageBody: 'x', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }] },
    },
    { given: 'plain members, without Action and Version', form: 'Action=SendMessage&Version=2012-11-05&MessageBody=a%26b', want: { MessageBody: 'a&b' } },
  ])('$given', ({ form, want }) => {
    expect(unflatten(new URLSearchParams(form))).toEqual(want);
  });

  it.each([
    { given: 'an API Gateway path integration: the queue in the path, the form in the body', headers: { 'content-type': 'application/x-www-form-urlencoded' }, url: '/123456789012/jobs', body: 'Action=SendMessage&MessageBody=x', want: { action: 'SendMessage', input: { MessageBody: 'x', QueueUrl: '/123456789012/jobs' }, protocol: 'query' } },
    { given: 'a GET with the form in the URL, accepting JSON', headers: { accept: 'application/json' }, url: '/?Action=ListQueues', body: '', want: { action: 'ListQueues', input: {}, protocol: 'query-json' } },
    { given: 'the JSON protocol', headers: { 'x-amz-target': 'AmazonSQS.GetQueueUrl' }, url: '/', body: '{"QueueName":"q"}', want: { action: 'GetQueueUrl', input: { QueueName: 'q' }, protocol: 'json' } },
  ])('reads $given', ({ headers, url, body, want }) => {
    expect(readCall(headers, url, body)).toEqual(want);
  });

  it.each([
    { given: 'no Action', headers: {}, body: 'MessageBody=x', want: 'MissingAction' },
    { given: 'another service`s target', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{}', want: 'UnknownOperationException' },
    { given: 'a JSON body that is not an object', headers: { 'x-amz-target': 'AmazonSQS.SendMessage' }, body: '[1]', want: 'SerializationException' },
    { given: 'one name both a value and a structure (MessageAttribute.1 and MessageAttribute.1.Name)', headers: {}, body: 'Action=SendMessage&MessageAttribute.1=k&MessageAttribute.1.Name=n', want: 'MalformedQueryString' },
    { given: 'the same, the other way round', headers: {}, body: 'Action=SendMessage&MessageAttribute.1.Name=n&MessageAttribute.1=k', want: 'MalformedQueryString' },
    { given: 'a JSON body with neither X-Amz-Target nor Action (an integration without its form Content-Type)', headers: { 'content-type': 'application/json' }, body: '{"a":1}', want: 'UnknownOperationException' },
  ])('refuses $given ($want)', ({ headers, body, want }) => {
    expect(() => readCall(headers, '/', body)).toThrow(expect.objectContaining({ code: want }));
  });
});

describe('errors in each protocol', () => {
  const error = new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');

  it('JSON: the __type, and the query code in x-amzn-query-error for query-compatible SDKs', () => {
    const out = writeError('json', error, 'r-1');

    expect(out.status).toBe(400);
    expect(out.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(JSON.parse(out.body)).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });

  it('query: SQS`s 404 for a call it cannot name is the bare element it sends', () => {
    const out = writeError('query', new SqsError('UnknownOperationException', '', 404), 'r-1');

    expect([out.status, out.body]).toEqual([404, '<UnknownOperationException/>']);
  });

  it('query: XML ErrorResponse with Type, Code, Message and RequestId', () => {
    const refused = new SqsError('InvalidParameterValue', 'Value 11 for parameter MaxNumberOfMessages is invalid.');

    expect(writeError('query', refused, 'r-1').body).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>Value 11 for parameter MaxNumberOfMessages is invalid.</Message><Detail/></Error><RequestId>r-1</RequestId></ErrorResponse>',
    );
  });

  it('LS-rec test_non_existent_queue: the query protocol words an unknown queue "does not exist for this wsdl version", JSON does not', () => {
    const xml = writeError('query', error, 'r-1').body;
    const json = JSON.parse(writeError('query-json', error, 'r-1').body) as { Error: { Message: string } };

    expect(xml).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version.</Message>');
    expect(json.Error.Message).toBe('The specified queue does not exist for this wsdl version.');
    expect(JSON.parse(writeError('json', error, 'r-1').body).message).toBe('The specified queue does not exist.');
  });
});

describe('XML answers', () => {
  it.each([
    { action: 'ReceiveMessage', want: '<ReceiveMessageResult/>' },
    { action: 'ListQueues', want: '<ListQueuesResult/>' },
  ])('$action with nothing to list keeps its empty result element', ({ action, want }) => {
    expect(writeResult({ action, input: {}, protocol: 'query' }, {}, 'r-1').body).toContain(`${want}<ResponseMetadata>`);
  });

  it('an action with no result has no result element; texts are escaped with XML`s named entities', () => {
    expect(writeResult({ action: 'DeleteMessage', input: {}, protocol: 'query' }, {}, 'r-1').body).not.toContain('Result');
    expect(writeResult({ action: 'ReceiveMessage', input: {}, protocol: 'query' }, { Messages: [{ Body: `<a href="x">&'</a>` }] }, 'r-1').body).toContain('<Body>&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;</Body>');
  });
});
