/**
 * Task state resources (developer guide "Integrating services": Lambda, the optimized integrations and their
 * patterns request / .sync / .waitForTaskToken, the AWS SDK integrations and their error names) and the task runner
 * that sends each call to the service that answers it here. The services are fakes.
 */
import { describe, expect, it } from 'vitest';
import { failure } from './failure.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import type { TaskCall } from '../../../../emulator/services/stepfunctions/interpreter.js';
import { parseTaskResource, ServiceCallError, taskResourceSupport, taskRunner, type FunctionAnswer, type TaskServices } from '../../../../emulator/services/stepfunctions/task-resources.js';

const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:work';

/** Fake AWS services a task reaches: every call recorded, each answered as the test says. */
function fakeServices(answers: { fn?: FunctionAnswer; call?: Json | ServiceCallError; token?: Json } = {}) {
  const seen: { method: string; args: unknown[] }[] = [];
  const services: TaskServices = {
    invokeFunction: (...args) => {
      seen.push({ method: 'invokeFunction', args });
      return Promise.resolve(answers.fn ?? { kind: 'ok', payload: { from: 'function' } });
    },
    call: (...args) => {
      seen.push({ method: 'call', args });
      return answers.call instanceof ServiceCallError ? Promise.reject(answers.call) : Promise.resolve(answers.call ?? { MessageId: 'm-1' });
    },
    startExecution: (...args) => {
      seen.push({ method: 'startExecution', args: args.slice(0, 2) });
      return Promise.resolve({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:run' });
    },
    sfn: (...args) => {
      seen.push({ method: 'sfn', args });
      return Promise.resolve({ status: 'RUNNING' });
    },
    waitForToken: (...args) => {
      seen.push({ method: 'waitForToken', args: [args[0], args[2]] });
      return Promise.resolve(answers.token ?? { approved: true });
    },
  };
  return { services, seen };
}

const taskCall = (resource: string, parameters: object | string, extra: Partial<TaskCall> = {}): TaskCall => ({ resource, parameters: parameters as Json, stateName: 'Work', signal: new AbortController().signal, ...extra });

describe('parseTaskResource', () => {
  it.each([
    { given: 'a Lambda function ARN', resource: FUNCTION, want: { kind: 'function', functionRef: FUNCTION } },
    { given: 'a Lambda function ARN with an alias', resource: `${FUNCTION}:live`, want: { kind: 'function', functionRef: `${FUNCTION}:live` } },
    { given: 'an optimized integration', resource: 'arn:aws:states:::lambda:invoke', want: { kind: 'integration', service: 'lambda', action: 'invoke', pattern: 'request', sdk: false } },
    { given: '.sync', resource: 'arn:aws:states:::states:startExecution.sync', want: { kind: 'integration', service: 'states', action: 'startExecution', pattern: 'sync', sdk: false } },
    { given: '.sync:2', resource: 'arn:aws:states:::states:startExecution.sync:2', want: { kind: 'integration', service: 'states', action: 'startExecution', pattern: 'sync:2', sdk: false } },
    { given: '.waitForTaskToken', resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', want: { kind: 'integration', service: 'sqs', action: 'sendMessage', pattern: 'waitForTaskToken', sdk: false } },
    { given: 'an AWS SDK integration', resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', want: { kind: 'integration', service: 'dynamodb', action: 'getItem', pattern: 'request', sdk: true } },
    { given: 'an AWS SDK integration in another partition', resource: 'arn:aws-cn:states:::aws-sdk:sqs:sendMessage', want: { kind: 'integration', service: 'sqs', action: 'sendMessage', pattern: 'request', sdk: true } },
  ])('$given', ({ resource, want }) => {
    // Act
    const parsed = parseTaskResource(resource);

    // Assess
    expect(parsed).toEqual(want);
  });

  it.each([
    { given: 'an activity', resource: 'arn:aws:states:us-east-1:123456789012:activity:approve', why: /activit/ },
    { given: 'an S3 bucket ARN', resource: 'arn:aws:s3:::bucket', why: /not a Lambda function/ },
    { given: 'a bare function name', resource: 'work', why: /not a Lambda function/ },
  ])('$given is neither a function nor an integration', ({ resource, why }) => {
    // Act
    const parsed = parseTaskResource(resource);

    // Assess
    expect(parsed.kind).toBe('other');
    expect(parsed.kind === 'other' ? parsed.why : '').toMatch(why);
  });
});

describe('taskResourceSupport', () => {
  it.each([
    FUNCTION,
    'arn:aws:states:::lambda:invoke',
    'arn:aws:states:::lambda:invoke.waitForTaskToken',
    'arn:aws:states:::dynamodb:putItem',
    'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    'arn:aws:states:::sns:publish',
    'arn:aws:states:::events:putEvents',
    'arn:aws:states:::states:startExecution.sync:2',
    'arn:aws:states:::aws-sdk:dynamodb:query',
    'arn:aws:states:::aws-sdk:sfn:describeExecution',
  ])('%s is run locally', (resource) => {
    // Act
    const why = taskResourceSupport(resource);

    // Assess
    expect(why).toBeUndefined();
  });

  it.each([
    { resource: 'arn:aws:states:::glue:startJobRun.sync', why: /glue/ },
    { resource: 'arn:aws:states:::dynamodb:query', why: /dynamodb:query/ },
    { resource: 'arn:aws:states:::dynamodb:putItem.waitForTaskToken', why: /waitForTaskToken/ },
    { resource: 'arn:aws:states:::lambda:invoke.sync', why: /\.sync/ },
    { resource: 'arn:aws:states:::aws-sdk:s3:putBucketPolicy', why: /s3:putBucketPolicy is not served locally/ },
    { resource: 'arn:aws:states:::aws-sdk:firehose:putRecord', why: /firehose/ },
    { resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem.sync', why: /\.sync/ },
    { resource: 'arn:aws:states:us-east-1:123456789012:activity:approve', why: /activit/ },
  ])('$resource is not run locally: $why', ({ resource, why }) => {
    // Act
    const reason = taskResourceSupport(resource);

    // Assess
    expect(reason).toMatch(why);
  });
});

describe('taskRunner: Lambda', () => {
  it('a function ARN: the function gets the parameters, its answer is the result', async () => {
    // Prepare
    const { services, seen } = fakeServices({ fn: { kind: 'ok', payload: { total: 3 } } });

    // Act
    const result = await taskRunner(services)(taskCall(FUNCTION, { id: 1 }));

    // Assess
    expect(seen).toEqual([{ method: 'invokeFunction', args: [FUNCTION, { id: 1 }, 'RequestResponse'] }]);
    expect(result).toEqual({ total: 3 });
  });

  it.each([
    { given: 'a function ARN', resource: FUNCTION, parameters: {} },
    { given: 'lambda:invoke', resource: 'arn:aws:states:::lambda:invoke', parameters: { FunctionName: FUNCTION, Payload: {} } },
  ])('$given: a function error fails the task with its error type, the error document as the cause', async ({ resource, parameters }) => {
    // Prepare
    const { services } = fakeServices({ fn: { kind: 'error', errorType: 'OrderError', errorMessage: 'no stock', trace: ['at x'] } });

    // Act
    const failed = await failure(taskRunner(services)(taskCall(resource, parameters)));

    // Assess
    expect(failed.error).toBe('OrderError');
    expect(JSON.parse(failed.cause)).toEqual({ errorMessage: 'no stock', errorType: 'OrderError', trace: ['at x'] });
  });

  it.each([
    { given: 'a function ARN', resource: FUNCTION, parameters: {} },
    { given: 'lambda:invoke', resource: 'arn:aws:states:::lambda:invoke', parameters: { FunctionName: FUNCTION } },
  ])('$given: a missing function fails with Lambda.ResourceNotFoundException', async ({ resource, parameters }) => {
    // Prepare
    const { services } = fakeServices({ fn: { kind: 'not-found' } });

    // Act
    const failed = await failure(taskRunner(services)(taskCall(resource, parameters)));

    // Assess
    expect(failed.error).toBe('Lambda.ResourceNotFoundException');
  });

  it('LS-rec test_invoke: lambda:invoke`s SdkHttpMetadata has Lambda`s headers, each also as a list', async () => {
    // Prepare
    const { services } = fakeServices({ fn: { kind: 'ok', payload: null } });

    // Act
    const result = (await taskRunner(services)(taskCall('arn:aws:states:::lambda:invoke', { FunctionName: FUNCTION }))) as { SdkHttpMetadata: { HttpHeaders: Record<string, string>; AllHttpHeaders: Record<string, string[]> }; SdkResponseMetadata: { RequestId: string } };

    // Assess
    const headers = result.SdkHttpMetadata.HttpHeaders;
    expect(Object.keys(headers).sort()).toEqual(['Connection', 'Content-Length', 'Content-Type', 'Date', 'X-Amz-Executed-Version', 'X-Amzn-Trace-Id', 'x-amzn-Remapped-Content-Length', 'x-amzn-RequestId']);
    expect(headers).toMatchObject({ Connection: 'keep-alive', 'Content-Length': '4', 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-Remapped-Content-Length': '0', 'x-amzn-RequestId': result.SdkResponseMetadata.RequestId });
    expect(result.SdkHttpMetadata.AllHttpHeaders['Content-Length']).toEqual(['4']);
  });

  it.each([
    { given: 'a name', name: 'missing', want: 'arn:aws:lambda:eu-west-1:123456789012:function:missing:$LATEST' },
    { given: 'an ARN', name: 'arn:aws:lambda:eu-west-1:123456789012:function:missing', want: 'arn:aws:lambda:eu-west-1:123456789012:function:missing:$LATEST' },
    { given: 'a name and an alias', name: 'missing:live', want: 'arn:aws:lambda:eu-west-1:123456789012:function:missing:live' },
  ])('LS-rec test_no_such_function: lambda:invoke of a missing function by $given: Lambda`s cause names its qualified ARN', async ({ name, want }) => {
    // Prepare
    const { services } = fakeServices({ fn: { kind: 'not-found' } });
    const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:Orders:run-1';

    // Act
    const failed = await failure(taskRunner(services)(taskCall('arn:aws:states:::lambda:invoke', { FunctionName: name }, { executionArn })));

    // Assess
    expect(failed.error).toBe('Lambda.ResourceNotFoundException');
    const [head, requestId] = failed.cause.split('; Request ID: ');
    expect(head).toBe(`Function not found: ${want} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException`);
    expect(requestId).toMatch(/^[0-9a-f-]{36}; Proxy: null\)$/);
  });

  it.each([
    { given: 'a function ARN', resource: FUNCTION, parameters: {} },
    { given: 'lambda:invoke', resource: 'arn:aws:states:::lambda:invoke', parameters: { FunctionName: FUNCTION } },
    { given: 'aws-sdk:lambda:invoke', resource: 'arn:aws:states:::aws-sdk:lambda:invoke', parameters: { FunctionName: FUNCTION } },
  ])('$given: a throttled function (its reserved concurrency in use) fails with Lambda.TooManyRequestsException, which a Retry can name', async ({ resource, parameters }) => {
    // Prepare
    const { services } = fakeServices({ fn: { kind: 'throttled' } });

    // Act
    const failed = await failure(taskRunner(services)(taskCall(resource, parameters)));

    // Assess
    expect(failed.error).toBe('Lambda.TooManyRequestsException');
    expect(failed.cause).toMatch(/^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
  });

  it('lambda:invoke: the function`s answer under Payload, with StatusCode 200 and the SDK metadata', async () => {
    // Prepare
    const { services, seen } = fakeServices({ fn: { kind: 'ok', payload: { total: 3 } } });

    // Act
    const result = (await taskRunner(services)(taskCall('arn:aws:states:::lambda:invoke', { FunctionName: FUNCTION, Payload: { id: 1 } }))) as Record<string, Json>;

    // Assess
    expect(seen).toEqual([{ method: 'invokeFunction', args: [FUNCTION, { id: 1 }, 'RequestResponse'] }]);
    expect(result).toMatchObject({ ExecutedVersion: '$LATEST', Payload: { total: 3 }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } });
    expect(result.SdkResponseMetadata).toMatchObject({ RequestId: expect.any(String) as string });
  });

  it.each([
    { invocationType: 'Event', want: { StatusCode: 202, type: 'Event' } },
    { invocationType: 'RequestResponse', want: { StatusCode: 200, type: 'RequestResponse' } },
  ])('lambda:invoke with InvocationType $invocationType: StatusCode $want.StatusCode', async ({ invocationType, want }) => {
    // Prepare
    const { services, seen } = fakeServices();

    // Act
    const result = await taskRunner(services)(taskCall('arn:aws:states:::lambda:invoke', { FunctionName: FUNCTION, InvocationType: invocationType }));

    // Assess
    expect(result).toMatchObject({ StatusCode: want.StatusCode });
    expect(seen[0]!.args[2]).toBe(want.type);
  });

  it('lambda:invoke without FunctionName fails', async () => {
    // Prepare
    const { services, seen } = fakeServices();

    // Act
    const failed = await failure(taskRunner(services)(taskCall('arn:aws:states:::lambda:invoke', { Payload: {} })));

    // Assess
    expect(failed.cause).toMatch(/FunctionName/);
    expect(seen).toHaveLength(0);
  });
});

describe('taskRunner: optimized and AWS SDK integrations', () => {
  it.each([
    { given: 'sqs:sendMessage with an object body', resource: 'arn:aws:states:::sqs:sendMessage', parameters: { QueueUrl: 'q', MessageBody: { a: 1 } }, want: ['sqs', 'SendMessage', { QueueUrl: 'q', MessageBody: '{"a":1}' }] },
    { given: 'sqs:sendMessage with a text body', resource: 'arn:aws:states:::sqs:sendMessage', parameters: { QueueUrl: 'q', MessageBody: 'plain' }, want: ['sqs', 'SendMessage', { QueueUrl: 'q', MessageBody: 'plain' }] },
    { given: 'sns:publish with an object message', resource: 'arn:aws:states:::sns:publish', parameters: { TopicArn: 't', Message: { a: 1 } }, want: ['sns', 'Publish', { TopicArn: 't', Message: '{"a":1}' }] },
    { given: 'events:putEvents with an object Detail', resource: 'arn:aws:states:::events:putEvents', parameters: { Entries: [{ Detail: { a: 1 }, DetailType: 'd', Source: 's' }] }, want: ['eventbridge', 'PutEvents', { Entries: [{ Detail: '{"a":1}', DetailType: 'd', Source: 's' }] }] },
    { given: 'dynamodb:putItem', resource: 'arn:aws:states:::dynamodb:putItem', parameters: { TableName: 't', Item: { id: { S: '1' } } }, want: ['dynamodb', 'PutItem', { TableName: 't', Item: { id: { S: '1' } } }] },
    { given: 'aws-sdk:sqs:sendMessage (the parameters as they are)', resource: 'arn:aws:states:::aws-sdk:sqs:sendMessage', parameters: { QueueUrl: 'q', MessageBody: 'text' }, want: ['sqs', 'SendMessage', { QueueUrl: 'q', MessageBody: 'text' }] },
    { given: 'aws-sdk:dynamodb:query', resource: 'arn:aws:states:::aws-sdk:dynamodb:query', parameters: { TableName: 't' }, want: ['dynamodb', 'Query', { TableName: 't' }] },
  ])('$given calls the service`s API action', async ({ resource, parameters, want }) => {
    // Prepare
    const { services, seen } = fakeServices();

    // Act
    await taskRunner(services)(taskCall(resource, parameters));

    // Assess
    expect(seen).toEqual([{ method: 'call', args: want }]);
  });

  it('events:putEvents appends the execution`s and its state machine`s ARNs to each entry`s Resources, as Step Functions does', async () => {
    // Prepare
    const { services, seen } = fakeServices({ call: { Entries: [{ EventId: 'e-1' }, { EventId: 'e-2' }], FailedEntryCount: 0 } });
    const arns = { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:run', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M' };

    // Act
    await taskRunner(services)(taskCall('arn:aws:states:::events:putEvents', { Entries: [{ Detail: {}, DetailType: 'd', Source: 's', Resources: ['own'] }, { Detail: {}, DetailType: 'd', Source: 's' }] }, arns));

    // Assess
    const entries = (seen[0]!.args[2] as { Entries: { Resources: string[] }[] }).Entries;
    expect(entries.map((e) => e.Resources)).toEqual([
      ['own', arns.executionArn, arns.stateMachineArn],
      [arns.executionArn, arns.stateMachineArn],
    ]);
  });

  it.each([
    { given: 'events:putEvents', resource: 'arn:aws:states:::events:putEvents' },
    { given: 'events:putEvents.waitForTaskToken (not left waiting)', resource: 'arn:aws:states:::events:putEvents.waitForTaskToken' },
  ])('$given: an answer with a FailedEntryCount fails the task with EventBridge.FailedEntry', async ({ resource }) => {
    // Prepare
    const answer = { Entries: [{ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus Default does not exist.' }], FailedEntryCount: 1 };
    const { services } = fakeServices({ call: answer });

    // Act
    const failed = await failure(taskRunner(services)(taskCall(resource, { Entries: [{ Detail: {}, DetailType: 'd', Source: 's', EventBusName: 'Default' }] }, { taskToken: 't-1' })));

    // Assess
    expect(failed).toMatchObject({ error: 'EventBridge.FailedEntry' });
    expect(JSON.parse(failed.cause)).toEqual(answer);
  });

  it('aws-sdk:eventbridge:putEvents gives a FailedEntryCount back as it is (only the optimized integration fails on it)', async () => {
    const answer = { Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }], FailedEntryCount: 1 };
    const { services } = fakeServices({ call: answer });

    const result = await taskRunner(services)(taskCall('arn:aws:states:::aws-sdk:eventbridge:putEvents', { Entries: [{ Detail: '{}', DetailType: 'd', Source: 's' }] }));

    expect(result).toEqual(answer);
  });

  it.each([
    { given: 'the optimized sqs:sendMessage adds the SDK metadata', resource: 'arn:aws:states:::sqs:sendMessage', metadata: true },
    { given: 'the AWS SDK integration gives the answer as it is', resource: 'arn:aws:states:::aws-sdk:sqs:sendMessage', metadata: false },
  ])('$given', async ({ resource, metadata }) => {
    // Prepare
    const { services } = fakeServices({ call: { MessageId: 'm-9' } });

    // Act
    const result = await taskRunner(services)(taskCall(resource, { QueueUrl: 'q', MessageBody: 'x' }));

    // Assess
    expect(result).toMatchObject({ MessageId: 'm-9' });
    expect(Object.hasOwn(result as object, 'SdkHttpMetadata')).toBe(metadata);
  });

  it.each([
    { given: 'a modeled error, optimized integration', resource: 'arn:aws:states:::dynamodb:putItem', code: 'ConditionalCheckFailedException', want: 'DynamoDB.ConditionalCheckFailedException', service: 'AmazonDynamoDBv2' },
    { given: 'a modeled error, AWS SDK integration (its SDK`s casing)', resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', code: 'ConditionalCheckFailedException', want: 'DynamoDb.ConditionalCheckFailedException', service: 'AmazonDynamoDBv2' },
    { given: 'an error the SDK does not model, optimized integration: its base exception', resource: 'arn:aws:states:::dynamodb:putItem', code: 'ValidationException', want: 'DynamoDB.AmazonDynamoDBException', service: 'AmazonDynamoDBv2' },
    { given: 'an error the SDK does not model, AWS SDK integration', resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', code: 'SerializationException', want: 'DynamoDb.SerializationException', service: 'AmazonDynamoDBv2' },
    { given: 'SQS`s missing queue, optimized integration', resource: 'arn:aws:states:::sqs:sendMessage', code: 'QueueDoesNotExist', want: 'SQS.QueueDoesNotExistException', service: 'AmazonSQS' },
    { given: 'an SQS error the SDK does not model', resource: 'arn:aws:states:::sqs:sendMessage', code: 'MissingParameter', want: 'SQS.AmazonSQSException', service: 'AmazonSQS' },
    { given: 'SQS`s missing queue, AWS SDK integration', resource: 'arn:aws:states:::aws-sdk:sqs:sendMessage', code: 'QueueDoesNotExist', want: 'Sqs.QueueDoesNotExistException', service: 'AmazonSQS' },
    { given: 'SNS`s missing topic', resource: 'arn:aws:states:::sns:publish', code: 'NotFound', want: 'SNS.NotFoundException', service: 'AmazonSNS' },
  ])('$given: $code is named $want', async ({ resource, code, want, service }) => {
    // Prepare
    const { services } = fakeServices({ call: new ServiceCallError(code, 'The request failed') });

    // Act
    const failed = await failure(taskRunner(services)(taskCall(resource, {})));

    // Assess
    expect(failed.error).toBe(want);
    expect(failed.cause).toMatch(new RegExp(`^The request failed \\(Service: ${service}; Status Code: 400; Error Code: ${code.replaceAll('.', '\\.')}; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`));
  });

  it('a value of the wrong type in an optimized integration`s Parameters (the service cannot read it) fails the execution with States.Runtime, which no Catch takes', async () => {
    // Prepare
    const { services } = fakeServices({ call: new ServiceCallError('SerializationException', 'NUMBER_VALUE cannot be converted to String') });
    const parameters = { TableName: 't', Item: { id: { S: 5 } } };

    // Act
    const failed = await failure(taskRunner(services)(taskCall('arn:aws:states:::dynamodb:putItem', parameters)));

    // Assess
    expect(failed.error).toBe('States.Runtime');
    expect(failed.cause).toBe(`An error occurred while executing the state 'Work'. The Parameters '${JSON.stringify(parameters)}' could not be used to start the Task: [NUMBER_VALUE cannot be converted to String]`);
  });

  it('.waitForTaskToken: sends the call and waits on the token; the result is what the token receives', async () => {
    // Prepare
    const { services, seen } = fakeServices({ token: { approved: 'yes' } });

    // Act
    const result = await taskRunner(services)(taskCall('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'q', MessageBody: { token: 'tok-1' } }, { taskToken: 'tok-1', heartbeatSeconds: 30 }));

    // Assess
    expect(seen.map((s) => s.method).sort()).toEqual(['call', 'waitForToken']);
    expect(seen.find((s) => s.method === 'waitForToken')!.args).toEqual(['tok-1', 30]);
    expect(result).toEqual({ approved: 'yes' });
  });

  it.each([
    { resource: 'arn:aws:states:::states:startExecution', pattern: 'request' },
    { resource: 'arn:aws:states:::states:startExecution.sync', pattern: 'sync' },
    { resource: 'arn:aws:states:::states:startExecution.sync:2', pattern: 'sync:2' },
  ])('$resource starts an execution with the $pattern pattern', async ({ resource, pattern }) => {
    // Prepare
    const { services, seen } = fakeServices();

    // Act
    await taskRunner(services)(taskCall(resource, { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' }));

    // Assess
    expect(seen).toEqual([{ method: 'startExecution', args: [{ StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' }, pattern] }]);
  });

  it('aws-sdk:sfn:describeExecution calls Step Functions` own API action', async () => {
    // Prepare
    const { services, seen } = fakeServices();

    // Act
    const result = await taskRunner(services)(taskCall('arn:aws:states:::aws-sdk:sfn:describeExecution', { ExecutionArn: 'e' }));

    // Assess
    expect(seen).toEqual([{ method: 'sfn', args: ['DescribeExecution', { ExecutionArn: 'e' }] }]);
    expect(result).toEqual({ status: 'RUNNING' });
  });

  it.each(['arn:aws:states:::glue:startJobRun.sync', 'arn:aws:states:us-east-1:123456789012:activity:approve'])('%s, not run locally, fails the task without calling anything', async (resource) => {
    // Prepare
    const { services, seen } = fakeServices();

    // Act
    const failed = await failure(taskRunner(services)(taskCall(resource, {})));

    // Assess
    expect(failed.cause).toContain(resource);
    expect(seen).toHaveLength(0);
  });
});
