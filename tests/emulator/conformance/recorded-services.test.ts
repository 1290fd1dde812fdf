/**
 * Conformance R12: AWS service integrations replayed against the embedded services, from what AWS answered
 * LocalStack's recorded tests: test_apigateway_to_kinesis[PutRecord|PutRecords], test_apigateway_to_eventbridge,
 * test_sqs_aws_integration, test_sqs_aws_integration_with_message_attribute, test_sqs_request_and_response_xml_templates_integration,
 * test_apigateway_s3_any, test_apigateway_s3_method_mapping and test_apigateway_with_step_function_integration[StartExecution].
 * The template is our own; the requests and the answers are the recordings'.
 */
import { describe, expect, it } from 'vitest';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventAppForSuite } from '../support/event-app.js';

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const PUT_RECORDS = [
  '{"StreamName": "recorded", "Records": [',
  "#set( $numRecords = $input.path('$.records').size() )",
  '#if($numRecords > 0)',
  '#set( $maxIndex = $numRecords - 1 )',
  '#foreach( $idx in [0..$maxIndex] )',
  '#set( $elem = $input.path("$.records[${idx}]") )',
  '#set( $elemJsonB64 = $util.base64Encode($elem.data) )',
  // $foo is never set: AWS took the #else branch, the key being the base64 text's length.
  '{"Data": "$elemJsonB64", "PartitionKey": #if( $foo.bar.stuff != \'\')"$elem.partitionKey"#else"$elemJsonB64.length()"#end}#if($foreach.hasNext),#end',
  '#end',
  '#end',
  ']}',
].join('\n');
const PUT_EVENTS = [
  '#set($context.requestOverride.header.X-Amz-Target = "AWSEvents.PutEvents")',
  '#set($context.requestOverride.header.Content-Type = "application/x-amz-json-1.1")',
  "#set($inputRoot = $input.path('$'))",
  '{"Entries": [',
  '#foreach($elem in $inputRoot.items)',
  '{"Detail": "$util.escapeJavaScript($elem.Detail).replaceAll("\\\'","\'")", "DetailType": "$elem.DetailType", "Source": "$elem.Source"}#if($foreach.hasNext),#end',
  '#end',
  ']}',
].join('\n');
const SQS_XML_RESPONSE = [
  "#set($responseBody = $input.path('$.SendMessageResponse'))",
  "#set($requestId = $input.path('$.SendMessageResponse.ResponseMetadata.RequestId'))",
  '#set($messageId = $responseBody.SendMessageResult.MessageId)',
  '{"requestId": "$requestId", "messageId": "$messageId"}',
].join('\n');
const attributes = (name: string) => `Action=SendMessage&MessageBody=$input.body&${name}.1.Name=user-agent&${name}.1.Value.DataType=String&${name}.1.Value.StringValue=$input.params('HeaderFoo')`;

const service = (path: string, method: string, uri: string, lines: string[], integrationMethod = method === 'x-amazon-apigateway-any-method' ? 'ANY' : 'POST') => [
  `          ${path}:`,
  `            ${method}:`,
  "              responses: {'200': {description: ok}}",
  '              x-amazon-apigateway-integration:',
  '                type: aws',
  `                httpMethod: ${integrationMethod}`,
  `                uri: !Sub ${uri}`,
  '                credentials: arn:aws:iam::123456789012:role/unused-locally',
  ...lines.map((l) => `                ${l}`),
].join('\n');
const sqs = (path: string, queue: string, template: string, response = "responses: {default: {statusCode: '200'}}") =>
  service(path, 'post', `arn:aws:apigateway:\${AWS::Region}:sqs:path/\${AWS::AccountId}/${queue}`, [
    "requestParameters: {integration.request.header.Content-Type: \"'application/x-www-form-urlencoded'\"}",
    'passthroughBehavior: never',
    `requestTemplates: {application/json: ${q(template)}}`,
    response,
  ]);

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {Name: recorded, ShardCount: 1}
  Plain:
    Type: AWS::SQS::Queue
    Properties: {QueueName: plain}
  Attributes:
    Type: AWS::SQS::Queue
    Properties: {QueueName: attributes}
  Xml:
    Type: AWS::SQS::Queue
    Properties: {QueueName: xml}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: recorded-table
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: recorded-bucket}
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: recorded
      StateMachineType: EXPRESS
      RoleArn: arn:aws:iam::123456789012:role/unused-locally
      DefinitionString: '{"StartAt": "step1", "States": {"step1": {"Type": "Pass", "End": true}}}'
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionBody:
        swagger: '2.0'
        info: {title: recorded-services, version: '1'}
        paths:
${[
  service('/kinesis/record', 'post', 'arn:aws:apigateway:${AWS::Region}:kinesis:action/PutRecord', [
    `requestTemplates: {application/json: ${q('{"StreamName": "recorded", "Data": "$util.base64Encode($input.body)", "PartitionKey": "test"}')}}`,
    "responses: {default: {statusCode: '200'}}",
  ]),
  service('/kinesis/records', 'post', 'arn:aws:apigateway:${AWS::Region}:kinesis:action/PutRecords', [`requestTemplates: {application/json: ${q(PUT_RECORDS)}}`, "responses: {default: {statusCode: '200'}}"]),
  service('/event', 'post', 'arn:aws:apigateway:${AWS::Region}:events:action/PutEvents', [
    'passthroughBehavior: when_no_templates',
    `requestTemplates: {application/json: ${q(PUT_EVENTS)}}`,
    `responses: {default: {statusCode: '200', responseTemplates: {application/json: ${q("#set($inputRoot = $input.json('$'))\n$inputRoot")}}}}`,
  ]),
  sqs('/sqs', 'plain', 'Action=SendMessage&MessageBody=$input.body', `responses: {default: {statusCode: '200', responseTemplates: {application/json: ${q('{"message": "great success!"}')}}}}`),
  sqs('/sqs-attribute', 'attributes', attributes('MessageAttribute')),
  sqs('/sqs-attributes', 'attributes', attributes('MessageAttributes')),
  service('/s3/{object_path+}', 'x-amazon-apigateway-any-method', 'arn:aws:apigateway:${AWS::Region}:s3:path/recorded-bucket/{object_path}', [
    'requestParameters: {integration.request.path.object_path: method.request.path.object_path, integration.request.header.Content-Type: method.request.header.Content-Type}',
    "responses: {default: {statusCode: '200'}}",
  ]),
  service('/map/get', 'get', 'arn:aws:apigateway:${AWS::Region}:s3:path/recorded-bucket/mapped.json', ["responses: {default: {statusCode: '200'}}"], 'GET'),
  service('/map/put', 'get', 'arn:aws:apigateway:${AWS::Region}:s3:path/recorded-bucket/mapped.json', [
    `requestParameters: {integration.request.header.Content-Type: "'application/json'"}`,
    `requestTemplates: {application/json: ${q('{"message": "great success!"}')}}`,
    "responses: {default: {statusCode: '200'}}",
  ], 'PUT'),
  service('/map/delete', 'get', 'arn:aws:apigateway:${AWS::Region}:s3:path/recorded-bucket/mapped.json', ["responses: {default: {statusCode: '200'}}"], 'DELETE'),
  service('/sfn', 'post', 'arn:aws:apigateway:${AWS::Region}:states:action/StartExecution', [
    `requestTemplates: {application/json: ${q('{"input": "$util.escapeJavaScript($input.json(\'$\'))", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:recorded"}')}}`,
    "responses: {default: {statusCode: '200'}}",
  ]),
  ...(
    [
      ['PutItem', '{"TableName": "recorded-table", "Item": {"id": {"S": "$input.params(\'id\')"}}}'],
      ['Query', '{"TableName": "recorded-table", "KeyConditionExpression": "id = :id", "ExpressionAttributeValues": {":id": {"S": "$input.params(\'id\')"}}}'],
      ['Scan', '{"TableName": "recorded-table"}'],
    ] as const
  ).map(([action, template]) =>
    service(`/ddb/${action}`, 'post', `arn:aws:apigateway:\${AWS::Region}:dynamodb:action/${action}`, [`requestTemplates: {application/json: ${q(template)}}`, "responses: {default: {statusCode: '200'}}"]),
  ),
  sqs('/sqs-xml', 'xml', 'Action=SendMessage&MessageBody=$input.body', `responses: {default: {statusCode: '200', responseTemplates: {application/json: ${q(SQS_XML_RESPONSE)}}}}`),
].join('\n')}
`;

const app = eventAppForSuite('recorded-services-', { 'template.yaml': TEMPLATE });
const url = (path: string) => `${app().apis[0]!.url}${path}`;
const post = async (path: string, body?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url(path), { method: 'POST', ...(body === undefined ? {} : { body, headers: { 'Content-Type': 'application/json', ...headers } }) });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
};
const clientConfig = () => ({ region: 'us-east-1', credentials: app().credentials });

describe('LS-rec test_apigateway_to_kinesis', () => {
  const records = async (start: () => Promise<void>) => {
    const kinesis = new KinesisClient({ ...clientConfig(), endpoint: app().services.AWS_ENDPOINT_URL_KINESIS });
    const name = 'recorded';
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: Shards![0]!.ShardId!, ShardIteratorType: 'LATEST' }));
    await start();
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
    return (got.Records ?? []).map((r) => ({ data: Buffer.from(r.Data!).toString(), key: r.PartitionKey }));
  };

  it('R12 PutRecord: Kinesis`s answer {SequenceNumber, ShardId} is the body (no EncryptionType); the record holds the request body', async () => {
    let answer: Record<string, unknown> = {};
    const got = await records(async () => {
      answer = await post('/kinesis/record', '{"kinesis": "snapshot"}');
    });
    expect(Object.keys(answer).sort()).toEqual(['SequenceNumber', 'ShardId']);
    expect(got).toEqual([{ data: '{"kinesis": "snapshot"}', key: 'test' }]);
  });

  it('R3.4 PutRecords: `$foo.bar.stuff != \'\'` on an unset reference is false, so the key is the base64 length (20)', async () => {
    let answer: Record<string, unknown> = {};
    const got = await records(async () => {
      answer = await post('/kinesis/records', JSON.stringify({ records: [1, 2, 3].map((n) => ({ data: `{"foo": "bar${n}"}` })) }));
    });
    expect(Object.keys(answer).sort()).toEqual(['FailedRecordCount', 'Records']);
    expect(answer.FailedRecordCount).toBe(0);
    expect((answer.Records as unknown[]).length).toBe(3);
    expect(got).toEqual([1, 2, 3].map((n) => ({ data: `{"foo": "bar${n}"}`, key: '20' })));
  });
});

describe('LS-rec test_apigateway_to_eventbridge', () => {
  it('R12 PutEvents with the target header set by requestOverride: {Entries: [{EventId}], FailedEntryCount: 0}', async () => {
    const answer = await post('/event', JSON.stringify({ items: [{ Detail: '{"data":"Order is created"}', DetailType: 'Test', Source: 'order' }] }), { Accept: 'application/json' });
    expect(answer).toEqual({ Entries: [{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }], FailedEntryCount: 0 });
  });
});

describe('LS-rec test_sqs_aws_integration*', () => {
  const receive = async (queue: string) => {
    const client = new SQSClient({ ...clientConfig(), endpoint: app().services.AWS_ENDPOINT_URL_SQS });
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: `${app().services.AWS_ENDPOINT_URL_SQS}/123456789012/${queue}`, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }));
    return Messages ?? [];
  };

  it('R12 with and without a body: the mapped answer; the messages are the body and `{}`', async () => {
    expect(await post('/sqs', '{"foo": "bar"}')).toEqual({ message: 'great success!' });
    expect(await post('/sqs')).toEqual({ message: 'great success!' });
    const messages = await receive('plain');
    expect(messages.map((m) => [m.Body, m.MD5OfBody]).sort()).toEqual([['{"foo": "bar"}', '94232c5b8fc9272f6f73a1e36eb68fcf'], ['{}', '99914b932bd37a50b983c5e7c90ae93b']]);
  });

  it.each(['/sqs-attribute', '/sqs-attributes'])('R12 %s: a message attribute from a header (MessageAttribute.1 and MessageAttributes.1 alike)', async (path) => {
    await post(path, '{"foo": "bar"}', { HeaderFoo: 'BAR-Header' });
    const [message] = await receive('attributes');
    expect(message?.Body).toBe('{"foo": "bar"}');
    expect(message?.MessageAttributes).toEqual({ 'user-agent': { DataType: 'String', StringValue: 'BAR-Header' } });
  });

  it('R12 xml_templates: SQS answers API Gateway in JSON, which the response template reads', async () => {
    // Bytes, so that no Content-Type is sent (the recording's client sent none): the application/json template applies.
    const response = await fetch(url('/sqs-xml'), { method: 'POST', body: new TextEncoder().encode('<xml>Hello World</xml>') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});

describe('LS-rec test_apigateway_s3_any / test_apigateway_s3_method_mapping', () => {
  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(url(path), { method, ...(body === undefined ? {} : { body, headers: { 'Content-Type': 'application/json' } }) });
    expect(response.status).toBe(200);
    return response.text();
  };
  // S3's error document, passed on with the default integration response's 200.
  const noSuchKey = (key: string) => expect.stringMatching(new RegExp(`^(<\\?xml[^>]*>\\s*)?<Error><Code>NoSuchKey</Code><Message>The specified key does not exist\\.</Message><Key>${key}</Key><RequestId>[^<]+</RequestId><HostId>[^<]+</HostId></Error>$`));

  it('R12 ANY: GET before the PUT is S3`s NoSuchKey with 200; PUT, GET, PUT again, GET, DELETE, GET', async () => {
    expect(await call('GET', '/s3/test.json')).toEqual(noSuchKey('test.json'));
    await call('PUT', '/s3/test.json', '{"put_id": 1}');
    expect(await call('GET', '/s3/test.json')).toBe('{"put_id": 1}');
    await call('PUT', '/s3/test.json', '{"put_id": 2}');
    expect(await call('GET', '/s3/test.json')).toBe('{"put_id": 2}');
    await call('DELETE', '/s3/test.json');
    expect(await call('GET', '/s3/test.json')).toEqual(noSuchKey('test.json'));
  });

  it('R12 method mapping: GET methods calling PUT (a template), GET and DELETE', async () => {
    await call('GET', '/map/put');
    expect(JSON.parse(await call('GET', '/map/get'))).toEqual({ message: 'great success!' });
    await call('GET', '/map/delete');
    expect(await call('GET', '/map/get')).toEqual(noSuchKey('mapped.json'));
  });
});

describe('LS-rec test_apigateway_with_step_function_integration[StartExecution]', () => {
  it('R12 the answer is {executionArn, startDate}', async () => {
    const answer = await post('/sfn', JSON.stringify({ test: 'test-value' }));
    expect(Object.keys(answer).sort()).toEqual(['executionArn', 'startDate']);
    expect(answer.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:recorded:/);
  });
});

describe('LS-rec test_rest_api_to_dynamodb_integration[PutItem|Query|Scan]', () => {
  const call = async (action: string, id?: string) => {
    const response = await fetch(url(`/ddb/${action}${id === undefined ? '' : `?id=${encodeURIComponent(id)}`}`), { method: 'POST' });
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/json']);
    expect(response.headers.get('x-amzn-trace-id')).toMatch(/^Root=1-/);
    return (await response.json()) as { Count?: number; Items?: { id: { S: string } }[]; ScannedCount?: number };
  };

  it('R12.1 R12.3 PutItem answers {}; Query by each id (one with a space) answers its item; an unknown id none; Scan all', async () => {
    for (const id of ['test', 'test2', 'test 3']) expect(await call('PutItem', id)).toEqual({});
    for (const id of ['test', 'test2', 'test 3']) expect(await call('Query', id)).toEqual({ Count: 1, Items: [{ id: { S: id } }], ScannedCount: 1 });
    expect(await call('Query', 'test-invalid')).toEqual({ Count: 0, Items: [], ScannedCount: 0 });
    const scan = await call('Scan');
    expect([scan.Count, scan.ScannedCount, scan.Items?.map((i) => i.id.S).sort()]).toEqual([3, 3, ['test', 'test 3', 'test2']]);
  });
});
