/**
 * Step Functions' HTTP Task (developer guide "Call HTTPS APIs in Step Functions workflows": the task's fields, merging
 * the EventBridge connection's data with the task's, URL-encoding the request body, the response, the errors), against
 * a stand-in server (it stands for the third party's API); then end to end: a state machine of a template calling the
 * stand-in with the template's connection, its API key from a secret of the template.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { OAuthTokens, type ConnectionUse } from '../../../../emulator/services/eventbridge/connection-auth.js';
import { invokeHttp, type HttpTaskConnections } from '../../../../emulator/services/stepfunctions/http-invoke.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { taskResourceSupport } from '../../../../emulator/services/stepfunctions/task-resources.js';
import { standInServer } from '../../support/stand-in-server.js';
import { eventAppForSuite } from '../../support/event-app.js';
import { failure } from './failure.js';

const CONNECTION_ARN = 'arn:aws:events:us-east-1:123456789012:connection/stripe/1';
/** `/status/<n>` answers that status, `/text` plain text, anything else JSON with two values of one header. */
const stand = standInServer((path) => {
  const status = /\/status\/(\d+)$/.exec(path)?.[1];
  if (status) return { status: Number(status), headers: { 'Content-Type': 'application/json' }, body: '{"error":"no"}' };
  if (path === '/text') return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'plain words' };
  return { status: 200, headers: [['Content-Type', 'application/json'], ['X-Multi', 'one'], ['X-Multi', 'two']], body: '{"customers":[]}' };
});
const requests = stand.requests;
let origin: string;
beforeEach(() => {
  origin = stand.origin();
});

const API_KEY_CONNECTION: ConnectionUse = { logicalId: 'Stripe', authorization: { type: 'API_KEY', name: 'Authorization', value: 'Bearer sk-1' }, invocation: { headers: [['x-from', 'connection']], query: [['v', 'connection']], body: [['source', 'connection']] } };
const connections = (use: ConnectionUse | string = API_KEY_CONNECTION, timeoutMs?: number): HttpTaskConnections => ({ connection: (arn) => (arn === CONNECTION_ARN ? use : undefined), tokens: new OAuthTokens(), region: 'us-east-1', ...(timeoutMs ? { timeoutMs } : {}) });
const task = (fields: Record<string, Json>): Record<string, Json> => ({ ApiEndpoint: `${origin}/v1/customers`, Method: 'POST', Authentication: { ConnectionArn: CONNECTION_ARN }, ...fields });
const run = (fields: Record<string, Json>, use?: ConnectionUse | string, timeoutMs?: number) => invokeHttp(task(fields), connections(use, timeoutMs), new AbortController().signal);

describe('http:invoke: the request', () => {
  it('the task`s query, headers and JSON body, merged with the connection`s (its values win), authorized by it', async () => {
    await run({ QueryParameters: { v: 'task', limit: 3 }, Headers: { 'x-from': 'task', 'x-task': 'yes' }, RequestBody: { name: 'Ann', source: 'task' } });

    const [got] = requests;
    expect(got).toMatchObject({ method: 'POST', url: '/v1/customers?v=connection&limit=3' });
    expect(JSON.parse(got!.body)).toEqual({ name: 'Ann', source: 'connection' });
    expect(got!.headers).toMatchObject({ 'x-from': 'connection', 'x-task': 'yes', authorization: 'Bearer sk-1', 'content-type': 'application/json', 'user-agent': 'Amazon|StepFunctions|HttpInvoke|us-east-1', range: 'bytes=0-262144' });
  });

  it.each([
    { format: undefined, want: 'name=Ann&tags%5B0%5D=a&tags%5B1%5D=b&address%5Bcity%5D=Oslo&source=connection' },
    { format: 'INDICES', want: 'name=Ann&tags%5B0%5D=a&tags%5B1%5D=b&address%5Bcity%5D=Oslo&source=connection' },
    { format: 'REPEAT', want: 'name=Ann&tags=a&tags=b&address%5Bcity%5D=Oslo&source=connection' },
    { format: 'COMMAS', want: 'name=Ann&tags=a%2Cb&address%5Bcity%5D=Oslo&source=connection' },
    { format: 'BRACKETS', want: 'name=Ann&tags%5B%5D=a&tags%5B%5D=b&address%5Bcity%5D=Oslo&source=connection' },
  ])('RequestBodyEncoding URL_ENCODED with ArrayFormat $format', async ({ format, want }) => {
    await run({ RequestBody: { name: 'Ann', tags: ['a', 'b'], address: { city: 'Oslo' } }, Transform: { RequestBodyEncoding: 'URL_ENCODED', ...(format ? { RequestEncodingOptions: { ArrayFormat: format } } : {}) } });

    expect(requests[0]!.body).toBe(want);
    expect(requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('a text body goes as it is', async () => {
    await run({ RequestBody: 'raw words', Headers: { 'Content-Type': 'text/plain' } }, { ...API_KEY_CONNECTION, invocation: { headers: [], query: [], body: [] } });

    expect(requests[0]).toMatchObject({ body: 'raw words', headers: { 'content-type': 'text/plain' } });
  });
});

describe('http:invoke: the result', () => {
  it('a 2xx answer is its headers (lists of values), its JSON body parsed, its status and status text', async () => {
    const result = await run({ Method: 'GET' });

    expect(result).toMatchObject({ ResponseBody: { customers: [] }, StatusCode: 200, StatusText: 'OK', Headers: { 'X-Multi': ['one', 'two'], 'Content-Type': ['application/json'] } });
  });

  it('a text answer stays text', async () => {
    const result = await invokeHttp(task({ Method: 'GET', ApiEndpoint: `${origin}/text` }), connections(), new AbortController().signal);

    expect(result).toMatchObject({ ResponseBody: 'plain words', StatusCode: 200 });
  });

  it.each([400, 404, 429, 503])('a %i answer fails the task with States.Http.StatusCode.<status>, the response as the cause', async (status) => {
    const failed = await failure(invokeHttp(task({ ApiEndpoint: `${origin}/status/${status}` }), connections(), new AbortController().signal));

    expect(failed.error).toBe(`States.Http.StatusCode.${status}`);
    expect(JSON.parse(failed.cause)).toMatchObject({ ResponseBody: { error: 'no' }, StatusCode: status });
  });

  it('no answer within the limit is States.Http.Socket', async () => {
    stand.silent.add('/slow');

    const failed = await failure(invokeHttp(task({ ApiEndpoint: `${origin}/slow` }), connections(API_KEY_CONNECTION, 50), new AbortController().signal));

    expect(failed).toEqual({ error: 'States.Http.Socket', cause: "no answer within 0.05 s (Step Functions' limit for an HTTP Task)" });
  });

  it.each([
    { given: 'no ApiEndpoint', fields: { ApiEndpoint: null }, use: API_KEY_CONNECTION, want: /ApiEndpoint \(a string\) is required/ },
    { given: 'an unknown method', fields: { Method: 'TRACE' }, use: API_KEY_CONNECTION, want: /Method must be one of/ },
    { given: 'no ConnectionArn', fields: { Authentication: {} }, use: API_KEY_CONNECTION, want: /Authentication.ConnectionArn \(a string\) is required/ },
    { given: 'a connection that is not the template`s', fields: { Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:1:connection/other/2' } }, use: API_KEY_CONNECTION, want: /names no connection of this template/ },
    { given: 'a connection EventBridge would refuse', fields: {}, use: 'AuthorizationType NONE is not API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS', want: /AuthorizationType NONE/ },
    { given: 'an unknown body encoding', fields: { RequestBody: {}, Transform: { RequestBodyEncoding: 'BASE64' } }, use: API_KEY_CONNECTION, want: /RequestBodyEncoding must be NONE or URL_ENCODED/ },
  ])('$given fails the execution (States.Runtime) and sends nothing', async ({ fields, use, want }) => {
    const failed = await failure(run(fields as Record<string, Json>, use));

    expect(failed.error).toBe('States.Runtime');
    expect(failed.cause).toMatch(want);
    expect(requests).toEqual([]);
  });

  it('is a task resource run locally', () => {
    expect(taskResourceSupport('arn:aws:states:::http:invoke')).toBeUndefined();
    expect(taskResourceSupport('arn:aws:states:::http:invoke.waitForTaskToken')).toBe('http:invoke has no .waitForTaskToken pattern');
  });
});

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  PaymentsUrl:
    Type: String
    Default: STAND_IN/v1/customers
Resources:
  PaymentsSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: payments
      SecretString: '{"key": "sk-from-secret"}'
  Payments:
    Type: AWS::Events::Connection
    Properties:
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters:
          ApiKeyName: Authorization
          ApiKeyValue: 'Bearer {{resolve:secretsmanager:payments:SecretString:key}}'
  ListCustomers:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: list-customers
      Type: EXPRESS
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource: arn:aws:states:::http:invoke
            Parameters:
              ApiEndpoint: !Ref PaymentsUrl
              Method: GET
              Authentication:
                ConnectionArn: !GetAtt Payments.Arn
              QueryParameters:
                limit.$: $.limit
            ResultSelector:
              customers.$: $.ResponseBody.customers
              status.$: $.StatusCode
            End: true
`;

const app = eventAppForSuite('http-task-', { 'template.yaml': TEMPLATE }, (root) => {
  const path = join(root, 'template.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('STAND_IN', stand.origin()));
});

describe('a state machine calling an HTTPS API with the template`s connection', () => {
  it('runs the HTTP Task: the secret`s API key sent, the answer in the output', async () => {
    const emulator = app();
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SFN!, credentials: emulator.credentials, disableHostPrefix: true });

    const done = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:list-customers', input: JSON.stringify({ limit: '2' }) }));

    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
    expect(JSON.parse(done.output!)).toEqual({ customers: [], status: 200 });
    expect(requests.find((r) => r.url === '/v1/customers?limit=2')?.headers.authorization).toBe('Bearer sk-from-secret');
  });
});
