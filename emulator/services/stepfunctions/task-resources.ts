/**
 * Task state resources: a Lambda function's ARN, Step Functions' optimized integrations
 * (`arn:aws:states:::<service>:<action>[.sync|.waitForTaskToken]`) and its AWS SDK integrations
 * (`arn:aws:states:::aws-sdk:<service>:<action>`), with the ones the embedded services can answer.
 */
import { randomUUID } from 'node:crypto';
import { ServiceCallError, StatesError, type Json } from './json.js';
import type { TaskCall } from './interpreter.js';
import { invokeApiGateway, type LocalApis } from './apigateway-invoke.js';
import { invokeHttp, type HttpTaskConnections } from './http-invoke.js';
import { S3_ACTIONS } from './s3-calls.js';

export type Pattern = 'request' | 'sync' | 'sync:2' | 'waitForTaskToken';

export type TaskResource =
  | { kind: 'function'; functionRef: string }
  | { kind: 'integration'; service: string; action: string; pattern: Pattern; sdk: boolean }
  | { kind: 'other'; why: string };

/** The embedded services a task calls, by the API's own names (service ids as in AWS_ENDPOINT_URL_<SERVICE>). */
export type LocalService = 'dynamodb' | 'sqs' | 'sns' | 'eventbridge' | 'sfn' | 'lambda' | 's3';

/**
 * Optimized integrations served here, by service, and the AWS SDK integration's service name they map to (API
 * Gateway's has none: it calls the template's APIs, served when its ApiEndpoint names one, checked at run time).
 */
const OPTIMIZED: Record<string, { service: LocalService | 'apigateway' | 'http'; actions: string[]; patterns: Pattern[] }> = {
  lambda: { service: 'lambda', actions: ['invoke'], patterns: ['request', 'waitForTaskToken'] },
  dynamodb: { service: 'dynamodb', actions: ['getItem', 'putItem', 'updateItem', 'deleteItem'], patterns: ['request'] },
  sqs: { service: 'sqs', actions: ['sendMessage'], patterns: ['request', 'waitForTaskToken'] },
  sns: { service: 'sns', actions: ['publish'], patterns: ['request', 'waitForTaskToken'] },
  events: { service: 'eventbridge', actions: ['putEvents'], patterns: ['request', 'waitForTaskToken'] },
  states: { service: 'sfn', actions: ['startExecution'], patterns: ['request', 'sync', 'sync:2', 'waitForTaskToken'] },
  apigateway: { service: 'apigateway', actions: ['invoke'], patterns: ['request', 'waitForTaskToken'] },
  // The HTTP Task: an HTTPS endpoint called with one of the template's EventBridge connections (http-invoke.ts).
  http: { service: 'http', actions: ['invoke'], patterns: ['request'] },
};

/** AWS SDK integrations served here: the service's every action on the embedded service (what it serves). */
const SDK_SERVICES: Record<string, LocalService> = { dynamodb: 'dynamodb', sqs: 'sqs', sns: 'sns', eventbridge: 'eventbridge', sfn: 'sfn', lambda: 'lambda', s3: 's3' };

/** What a Task's Resource names. */
export function parseTaskResource(resource: string): TaskResource {
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.test(resource)) return { kind: 'function', functionRef: resource };
  const integration = /^arn:[^:]+:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(sync(?::2)?|waitForTaskToken))?$/.exec(resource);
  if (integration) {
    const [, sdk, service, action, pattern] = integration;
    return { kind: 'integration', service: service!, action: action!, pattern: (pattern ?? 'request') as Pattern, sdk: Boolean(sdk) };
  }
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) return { kind: 'other', why: 'activities are not run locally (no worker polls GetActivityTask)' };
  return { kind: 'other', why: 'not a Lambda function, activity or service integration ARN' };
}

/** Why a resource is not run locally; undefined when it is. */
export function taskResourceSupport(resource: string): string | undefined {
  const parsed = parseTaskResource(resource);
  if (parsed.kind === 'other') return parsed.why;
  if (parsed.kind === 'function') return undefined;
  if (parsed.sdk) {
    if (!SDK_SERVICES[parsed.service]) return `the ${parsed.service} AWS SDK integration is not served locally`;
    if (parsed.service === 's3' && !S3_ACTIONS.includes(upperFirst(parsed.action))) return `s3:${parsed.action} is not served locally (${S3_ACTIONS.join(', ')} are)`;
    return parsed.pattern === 'request' || parsed.pattern === 'waitForTaskToken' ? undefined : `.${parsed.pattern} is not an AWS SDK integration pattern`;
  }
  const optimized = OPTIMIZED[parsed.service];
  if (!optimized) return `the ${parsed.service} integration is not served locally`;
  if (!optimized.actions.includes(parsed.action)) return `${parsed.service}:${parsed.action} is not served locally (${optimized.actions.join(', ')} are)`;
  if (!optimized.patterns.includes(parsed.pattern)) return `${parsed.service}:${parsed.action} has no .${parsed.pattern} pattern`;
  return undefined;
}

/** A function's answer to a task. */
export type FunctionAnswer = { kind: 'ok'; payload: Json } | { kind: 'error'; errorType: string; errorMessage: string; trace: string[]; /** The runtime's error document (a Python function's has requestId and stackTrace). */ document?: Record<string, unknown> } | { kind: 'not-found' } | { kind: 'throttled' };

export { ServiceCallError };

/** What tasks reach: the template's functions, the embedded services, the Step Functions service itself. */
export interface TaskServices {
  invokeFunction(functionRef: string, payload: Json, invocationType: 'RequestResponse' | 'Event'): Promise<FunctionAnswer>;
  /** An API call (`PutItem`, `SendMessage`...) to an embedded service; throws ServiceCallError with its error code. */
  call(service: Exclude<LocalService, 'lambda' | 'sfn'>, action: string, input: Record<string, Json>): Promise<Json>;
  /** StartExecution of another state machine; with `.sync`, resolves when it ends (DescribeExecution's answer). */
  startExecution(input: Record<string, Json>, pattern: Pattern, signal: AbortSignal): Promise<Json>;
  /** Another Step Functions API call (aws-sdk:sfn:...). */
  sfn(action: string, input: Record<string, Json>): Promise<Json>;
  /** Waits for SendTaskSuccess / SendTaskFailure with this token (a StatesError for a failure). */
  waitForToken(token: string, signal: AbortSignal, heartbeatSeconds?: number): Promise<Json>;
  /** The template's APIs, for apigateway:invoke (absent: none is served, each such task fails naming its ApiEndpoint). */
  apis?: LocalApis;
  /** The template's EventBridge connections, for http:invoke (absent: each such task fails naming its ConnectionArn). */
  http?: HttpTaskConnections;
}

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const asRecord = (v: Json): Record<string, Json> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

/** The metadata the optimized (non-SDK) integrations add to a service's answer; `extra` is the service's own headers. */
function withSdkMetadata(answer: Json, extra: (requestId: string) => Record<string, string> = (requestId) => ({ 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId })): Json {
  const requestId = randomUUID();
  const headers = extra(requestId);
  return { ...asRecord(answer), SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: requestId } };
}

/** Lambda's throttle (the function's reserved concurrency in use), as Step Functions names it: Retry and Catch match `Lambda.TooManyRequestsException`. */
function throttledError(): StatesError {
  return new StatesError('Lambda.TooManyRequestsException', `Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: ${randomUUID()}; Proxy: null)`);
}

/** A function error as Step Functions reports it: the function's error type, its error document as the cause. */
function functionError(answer: Extract<FunctionAnswer, { kind: 'error' }>): StatesError {
  return new StatesError(answer.errorType, JSON.stringify(answer.document ?? { errorMessage: answer.errorMessage, errorType: answer.errorType, trace: answer.trace }));
}

/**
 * How a service's error is named: `<prefix>.<Exception>` for the exceptions its SDK models (the optimized integrations
 * use the Java SDK v1's names, `DynamoDB.ConditionalCheckFailedException`; the AWS SDK integrations v2's,
 * `DynamoDb.…`), the SDK's base exception otherwise (`DynamoDB.AmazonDynamoDBException` for a ValidationException).
 */
const ERRORS: Record<LocalService, { prefix: [string, string]; base: [string, string]; serviceName: string; modeled: Record<string, string> }> = {
  dynamodb: {
    prefix: ['DynamoDB', 'DynamoDb'],
    base: ['AmazonDynamoDBException', 'DynamoDbException'],
    serviceName: 'AmazonDynamoDBv2',
    modeled: Object.fromEntries(['ConditionalCheckFailedException', 'ResourceNotFoundException', 'ProvisionedThroughputExceededException', 'ItemCollectionSizeLimitExceededException', 'TransactionConflictException', 'TransactionCanceledException', 'RequestLimitExceededException', 'InternalServerErrorException', 'ResourceInUseException', 'LimitExceededException'].map((c) => [c, c])),
  },
  sqs: {
    prefix: ['SQS', 'Sqs'],
    base: ['AmazonSQSException', 'SqsException'],
    serviceName: 'AmazonSQS',
    modeled: { QueueDoesNotExist: 'QueueDoesNotExistException', 'AWS.SimpleQueueService.NonExistentQueue': 'QueueDoesNotExistException', InvalidMessageContents: 'InvalidMessageContentsException', UnsupportedOperation: 'UnsupportedOperationException', 'AWS.SimpleQueueService.UnsupportedOperation': 'UnsupportedOperationException' },
  },
  sns: { prefix: ['SNS', 'Sns'], base: ['AmazonSNSException', 'SnsException'], serviceName: 'AmazonSNS', modeled: { NotFound: 'NotFoundException', InvalidParameter: 'InvalidParameterException', InvalidParameterValue: 'InvalidParameterValueException', AuthorizationError: 'AuthorizationErrorException' } },
  eventbridge: { prefix: ['EventBridge', 'EventBridge'], base: ['AmazonEventBridgeException', 'EventBridgeException'], serviceName: 'AmazonEventBridge', modeled: { ResourceNotFoundException: 'ResourceNotFoundException', InternalException: 'InternalException' } },
  sfn: { prefix: ['StepFunctions', 'Sfn'], base: ['AWSStepFunctionsException', 'SfnException'], serviceName: 'AWSStepFunctions', modeled: {} },
  lambda: { prefix: ['Lambda', 'Lambda'], base: ['AWSLambdaException', 'LambdaException'], serviceName: 'AWSLambda', modeled: {} },
  s3: { prefix: ['S3', 'S3'], base: ['AmazonS3Exception', 'S3Exception'], serviceName: 'Amazon S3', modeled: { NoSuchKey: 'NoSuchKeyException', NoSuchBucket: 'NoSuchBucketException', NotFound: 'NoSuchKeyException' } },
};

/** A service's error as Step Functions reports it: its name, and a cause in the SDK's words. */
function serviceError(service: LocalService, sdk: boolean, error: ServiceCallError): StatesError {
  const names = ERRORS[service];
  const exception = names.modeled[error.code] ?? (error.code.endsWith('Exception') && sdk ? error.code : names.base[sdk ? 1 : 0]);
  return new StatesError(`${names.prefix[sdk ? 1 : 0]}.${exception}`, `${error.message} (Service: ${names.serviceName}; Status Code: 400; Error Code: ${error.code}; Request ID: ${randomUUID()}; Proxy: null)`);
}

/**
 * The function Lambda says it did not find: the ARN it resolves FunctionName to, in the execution's region and account,
 * `:$LATEST` when unqualified ("Function not found: arn:aws:lambda:…:function:name:$LATEST").
 */
function missingFunctionArn(ref: string, executionArn: string | undefined): string {
  const [, partition = 'aws', , region = '', account = ''] = (executionArn ?? '').split(':');
  const arn = ref.startsWith('arn:') ? ref : ref.includes(':function:') ? `arn:${partition}:lambda:${region}:${ref}` : `arn:${partition}:lambda:${region}:${account}:function:${ref}`;
  return arn.split(':').length === 7 ? `${arn}:$LATEST` : arn;
}

async function invoke(services: TaskServices, parameters: Record<string, Json>, sdk: boolean, executionArn: string | undefined): Promise<Json> {
  const ref = parameters.FunctionName;
  if (typeof ref !== 'string') throw new StatesError('States.Runtime', 'The field FunctionName is required by lambda:invoke');
  const type = parameters.InvocationType === 'Event' ? 'Event' : 'RequestResponse';
  let payload: Json = parameters.Payload ?? {};
  // The SDK integration's Payload is the request body as text, as in the Invoke API.
  if (sdk && typeof payload === 'string') payload = JSON.parse(payload) as Json;
  const answer = await services.invokeFunction(ref, payload, type);
  if (answer.kind === 'not-found') throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${missingFunctionArn(ref, executionArn)} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`);
  if (answer.kind === 'throttled') throw throttledError();
  if (answer.kind === 'error') throw functionError(answer);
  const result = { ExecutedVersion: '$LATEST', Payload: type === 'Event' ? '' : answer.payload, StatusCode: type === 'Event' ? 202 : 200 };
  return sdk ? result : withSdkMetadata(result, (requestId) => lambdaHeaders(result.Payload, requestId));
}

/** The headers of Lambda's Invoke answer, as lambda:invoke's SdkHttpMetadata shows them on AWS. */
function lambdaHeaders(payload: Json, requestId: string): Record<string, string> {
  return {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(JSON.stringify(payload))),
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
  };
}

/**
 * The optimized integrations' parameters as the service takes them (the AWS SDK integrations pass them as they are): a
 * JSON object where the API wants text (SQS's MessageBody, SNS's Message, EventBridge's Detail) sent as its JSON text; each
 * PutEvents entry's Resources with the execution's and its state machine's ARNs appended ("Call EventBridge with Step
 * Functions": "automatically appended to the Resources field of each PutEventsRequestEntry").
 */
function textFields(service: LocalService, parameters: Record<string, Json>, call: Pick<TaskCall, 'executionArn' | 'stateMachineArn'>): Record<string, Json> {
  const text = (v: Json | undefined): Json | undefined => (v === undefined || typeof v === 'string' ? v : JSON.stringify(v));
  if (service === 'sqs' && parameters.MessageBody !== undefined) return { ...parameters, MessageBody: text(parameters.MessageBody)! };
  if (service === 'sns' && parameters.Message !== undefined) return { ...parameters, Message: text(parameters.Message)! };
  if (service === 'eventbridge' && Array.isArray(parameters.Entries)) {
    const arns = [call.executionArn, call.stateMachineArn].filter((arn): arn is string => arn !== undefined);
    const entry = (e: Record<string, Json>): Record<string, Json> => ({ ...e, ...(e.Detail !== undefined ? { Detail: text(e.Detail)! } : {}), ...(arns.length > 0 ? { Resources: [...(Array.isArray(e.Resources) ? e.Resources : []), ...arns] } : {}) });
    return { ...parameters, Entries: parameters.Entries.map((e) => (typeof e === 'object' && e !== null && !Array.isArray(e) ? entry(e) : e)) };
  }
  return parameters;
}

/** The task runner the interpreter calls: each resource on what serves it here. */
export function taskRunner(services: TaskServices): (call: TaskCall) => Promise<Json> {
  return async (call) => {
    const resource = parseTaskResource(call.resource);
    const why = taskResourceSupport(call.resource);
    // Not a task failure a Retry would repeat: what the emulator does not run fails the execution, named.
    if (why !== undefined || resource.kind === 'other') throw new StatesError('States.Runtime', `${call.resource} is not run by the local emulator: ${why ?? 'unknown resource'}`);
    if (resource.kind === 'function') {
      const answer = await services.invokeFunction(resource.functionRef, call.parameters, 'RequestResponse');
      if (answer.kind === 'not-found') throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${resource.functionRef}`);
      if (answer.kind === 'throttled') throw throttledError();
      if (answer.kind === 'error') throw functionError(answer);
      return answer.payload;
    }
    const service = resource.sdk ? SDK_SERVICES[resource.service]! : OPTIMIZED[resource.service]!.service;
    const parameters = asRecord(call.parameters);
    const token = resource.pattern === 'waitForTaskToken' ? call.taskToken : undefined;
    // The token waits before the call goes out: the receiver may answer before the call returns (a function that
    // calls SendTaskSuccess itself).
    const waitController = new AbortController();
    const abortWait = () => waitController.abort(call.signal.reason);
    call.signal.addEventListener('abort', abortWait, { once: true });
    const waiting = token === undefined ? undefined : services.waitForToken(token, waitController.signal, call.heartbeatSeconds);
    waiting?.catch(() => undefined);
    let answer: Json;
    try {
      if (service === 'apigateway') answer = await invokeApiGateway(call.resource, parameters, services.apis, call.signal);
      else if (service === 'http') answer = await invokeHttp(parameters, services.http, call.signal);
      else if (service === 'lambda') answer = await invoke(services, parameters, resource.sdk, call.executionArn);
      else if (service === 'sfn' && resource.action === 'startExecution') answer = await services.startExecution(parameters, resource.pattern, call.signal);
      else if (service === 'sfn') answer = await services.sfn(upperFirst(resource.action), parameters);
      else {
        answer = await services.call(service, upperFirst(resource.action), resource.sdk ? parameters : textFields(service, parameters, call));
        if (!resource.sdk && service !== 'eventbridge') answer = withSdkMetadata(answer);
        // "If the response from PutEvents contains a non-zero FailedEntryCount then the Task state fails with the error EventBridge.FailedEntry."
        if (!resource.sdk && service === 'eventbridge' && typeof asRecord(answer).FailedEntryCount === 'number' && (asRecord(answer).FailedEntryCount as number) > 0) {
          throw new StatesError('EventBridge.FailedEntry', JSON.stringify(answer));
        }
      }
    } catch (error) {
      waitController.abort(error);
      if (!(error instanceof ServiceCallError) || service === 'apigateway' || service === 'http') throw error;
      // A value of the wrong type (a number where the API wants a string) never leaves Step Functions: it checks the
      // optimized integration's Parameters against the API first, and the execution fails (aws-cdk issue 9181 quotes it).
      if (!resource.sdk && error.code === 'SerializationException') {
        throw new StatesError('States.Runtime', `An error occurred while executing the state '${call.stateName}'. The Parameters '${JSON.stringify(parameters)}' could not be used to start the Task: [${error.message}]`);
      }
      throw serviceError(service, resource.sdk, error);
    } finally {
      if (!waiting) call.signal.removeEventListener('abort', abortWait);
    }
    if (waiting) call.onSubmitted?.(answer);
    return waiting ?? answer;
  };
}
