/**
 * Step Functions' optimized API Gateway integration (developer guide "Create API Gateway REST APIs with Step
 * Functions": request format, AuthType, output format, error handling), against a tiny local HTTP server standing in
 * for a template API; and once end to end: an EXPRESS state machine posting to a WebSocket API's @connections.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './failure.js';
import WebSocket from 'ws';
import { startEmulator, type RunningEmulator } from '../../../../emulator/app.js';
import { verifySignature, type LocalCredentials } from '../../../../emulator/services/sigv4.js';
import { invokeApiGateway, type LocalApis } from '../../../../emulator/services/stepfunctions/apigateway-invoke.js';
import type { ExecutionReport } from '../../../../emulator/services/stepfunctions/executions.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { taskResourceSupport, taskRunner, type TaskServices } from '../../../../emulator/services/stepfunctions/task-resources.js';

const RESOURCE = 'arn:aws:states:::apigateway:invoke';
const API_ID = 'abc123defg';
const ENDPOINT = `${API_ID}.execute-api.us-east-1.amazonaws.com`;
const CREDENTIALS: LocalCredentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret', sessionToken: 'local-token' };
const WAIT_MS = 15_000;

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

/** The stand-in API: records each request; `/json` answers JSON, `/text` text, `/status/<n>` that status with a JSON error. */
let server: Server;
let origin: string;
const requests: Recorded[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      const status = /\/status\/(\d+)$/.exec(req.url!)?.[1];
      if (status) {
        res.writeHead(Number(status), { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' });
        res.end('{"message":"Missing Authentication Token"}');
      } else if (req.url!.includes('/text')) {
        res.writeHead(200, 'Fine', { 'Content-Type': 'text/plain' });
        res.end('plain words');
      } else {
        res.writeHead(201, [['Content-Type', 'application/json'], ['X-Multi', 'one'], ['X-Multi', 'two']]);
        res.end(JSON.stringify({ myBills: [] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const apis = (): LocalApis => ({ origin: (id) => (id === API_ID ? origin : undefined), credentials: CREDENTIALS, region: 'us-east-1' });

/** Runs one task against the stand-in API and gives the request it got (undefined when none came). */
async function run(parameters: Record<string, Json>): Promise<{ result: Json; request: Recorded | undefined }> {
  const before = requests.length;
  const result = await invokeApiGateway(RESOURCE, { ApiEndpoint: ENDPOINT, ...parameters }, apis(), new AbortController().signal);
  return { result, request: requests[before] };
}

describe('apigateway:invoke: the request', () => {
  it.each<{ given: string; parameters: Record<string, Json>; url: string }>([
    { given: 'a stage and a path', parameters: { Method: 'GET', Stage: 'prod', Path: 'bills' }, url: '/prod/bills' },
    { given: 'a path with a leading slash', parameters: { Method: 'GET', Stage: 'prod', Path: '/bills/42' }, url: '/prod/bills/42' },
    { given: 'no stage (an HTTP API`s $default stage)', parameters: { Method: 'GET', Path: 'bills' }, url: '/bills' },
    { given: 'query parameters as lists', parameters: { Method: 'GET', Stage: 'dev', Path: 'bills', QueryParameters: { billId: ['123', '456'], q: ['a b'] } }, url: '/dev/bills?billId=123&billId=456&q=a+b' },
    { given: 'a DELETE', parameters: { Method: 'DELETE', Stage: 'prod', Path: 'bills/1' }, url: '/prod/bills/1' },
  ])('$given: $url', async ({ parameters, url }) => {
    // Act
    const { request } = await run(parameters);

    // Assess
    expect(request?.method).toBe(parameters.Method);
    expect(request?.url).toBe(url);
  });

  it('Headers: each list of values goes as one header, its values joined', async () => {
    // Act
    const { request } = await run({ Method: 'GET', Stage: 'prod', Path: 'bills', Headers: { key: ['value1', 'value2'], TaskToken: ['tok-1'] } });

    // Assess
    expect(request?.headers.key).toBe('value1, value2');
    expect(request?.headers.tasktoken).toBe('tok-1');
  });

  it.each([
    { given: 'a JSON object', body: { NewPet: { type: 'turtle', price: 123 } }, sent: '{"NewPet":{"type":"turtle","price":123}}', contentType: 'application/json' },
    { given: 'a string', body: 'raw text', sent: 'raw text', contentType: undefined },
  ])('RequestBody as $given is sent as $sent', async ({ body, sent, contentType }) => {
    // Act
    const { request } = await run({ Method: 'POST', Stage: 'prod', Path: 'pets', RequestBody: body });

    // Assess
    expect(request?.body).toBe(sent);
    expect(request?.headers['content-type']).toBe(contentType);
  });

  it.each([
    { allow: false, sent: '{"NewPet":{"type":"turtle"}}' },
    { allow: true, sent: '{"NewPet":{"type":"turtle","category":null}}' },
  ])('AllowNullValues $allow: null fields of RequestBody are sent only when true', async ({ allow, sent }) => {
    // Act
    const { request } = await run({ Method: 'PUT', Stage: 'prod', Path: 'pets', RequestBody: { NewPet: { type: 'turtle', category: null } }, AllowNullValues: allow });

    // Assess
    expect(request?.body).toBe(sent);
  });

  it('a GET sends no RequestBody (the guide`s own GET example carries an empty one)', async () => {
    // Act
    const { request } = await run({ Method: 'GET', Stage: 'prod', Path: 'bills', RequestBody: {} });

    // Assess
    expect(request?.body).toBe('');
  });

  it.each([
    { authType: 'IAM_ROLE', signed: true },
    { authType: 'RESOURCE_POLICY', signed: true },
    { authType: 'NO_AUTH', signed: false },
    { authType: undefined, signed: false },
  ])('AuthType $authType: signed with SigV4 for execute-api: $signed', async ({ authType, signed }) => {
    // Act
    const { request } = await run({ Method: 'POST', Stage: 'prod', Path: 'bills', QueryParameters: { a: ['1'] }, Headers: { key: ['v'] }, RequestBody: { n: 1 }, ...(authType ? { AuthType: authType } : {}) });

    // Assess
    expect(request?.headers.authorization !== undefined).toBe(signed);
    if (signed) {
      const problem = verifySignature({ method: request!.method, url: request!.url, headers: request!.headers, body: Buffer.from(request!.body) }, CREDENTIALS, { service: 'execute-api', region: 'us-east-1', hashBody: true });
      expect(problem).toBeUndefined();
      expect(request?.headers.authorization).toMatch(/Credential=AKIDLOCAL\/\d{8}\/us-east-1\/execute-api\/aws4_request/);
      expect(request?.headers['x-amz-security-token']).toBe('local-token');
    }
  });
});

describe('apigateway:invoke: the output', () => {
  it('a JSON answer: ResponseBody parsed, Headers as lists (names as sent), StatusCode and StatusText', async () => {
    // Act
    const { result } = await run({ Method: 'GET', Stage: 'prod', Path: 'json' });

    // Assess
    expect(result).toMatchObject({ ResponseBody: { myBills: [] }, StatusCode: 201, StatusText: 'Created', Headers: { 'Content-Type': ['application/json'], 'X-Multi': ['one', 'two'] } });
  });

  it('a text answer: ResponseBody kept as text, the API`s status text', async () => {
    // Act
    const { result } = await run({ Method: 'GET', Stage: 'prod', Path: 'text' });

    // Assess
    expect(result).toMatchObject({ ResponseBody: 'plain words', StatusCode: 200, StatusText: 'Fine', Headers: { 'Content-Type': ['text/plain'] } });
  });
});

describe('apigateway:invoke: errors', () => {
  it.each([{ status: 403 }, { status: 404 }, { status: 500 }, { status: 502 }])('a $status answer fails the task with ApiGateway.$status, the response body as the cause', async ({ status }) => {
    // Act
    const failed = await failure(run({ Method: 'GET', Stage: 'prod', Path: `status/${status}` }));

    // Assess
    expect(failed).toEqual({ error: `ApiGateway.${status}`, cause: '{"message":"Missing Authentication Token"}' });
  });

  it('an ApiEndpoint naming no API of the template fails with States.Runtime naming it, and nothing is called', async () => {
    // Prepare
    const before = requests.length;

    // Act
    const failed = await failure(invokeApiGateway(RESOURCE, { ApiEndpoint: 'zzz999.execute-api.us-east-1.amazonaws.com', Method: 'GET' }, apis(), new AbortController().signal));

    // Assess
    expect(failed.error).toBe('States.Runtime');
    expect(failed.cause).toBe(`${RESOURCE} is not run by the local emulator: ApiEndpoint zzz999.execute-api.us-east-1.amazonaws.com names no API of this template (API zzz999 is not served locally)`);
    expect(requests.length).toBe(before);
  });

  it.each<{ given: string; parameters: Record<string, Json>; why: RegExp }>([
    { given: 'no ApiEndpoint', parameters: { Method: 'GET' }, why: /ApiEndpoint/ },
    { given: 'an ApiEndpoint that is a URL', parameters: { ApiEndpoint: `https://${ENDPOINT}`, Method: 'GET' }, why: /<apiId>\.execute-api/ },
    { given: 'a Method out of the enum', parameters: { ApiEndpoint: ENDPOINT, Method: 'TRACE' }, why: /Method must be one of GET, POST/ },
    { given: 'an unknown AuthType', parameters: { ApiEndpoint: ENDPOINT, Method: 'GET', AuthType: 'COGNITO' }, why: /AuthType must be one of NO_AUTH, IAM_ROLE, RESOURCE_POLICY/ },
    { given: 'a header value that is no list of strings', parameters: { ApiEndpoint: ENDPOINT, Method: 'GET', Headers: { key: { a: 1 } } }, why: /Headers\.key must be a list of strings/ },
    { given: 'a forbidden header', parameters: { ApiEndpoint: ENDPOINT, Method: 'GET', Headers: { 'X-Amz-Date': ['x'] } }, why: /X-Amz-Date is not permitted/ },
  ])('$given fails with States.Runtime: $why', async ({ parameters, why }) => {
    // Act
    const failed = await failure(invokeApiGateway(RESOURCE, parameters, apis(), new AbortController().signal));

    // Assess
    expect(failed.error).toBe('States.Runtime');
    expect(failed.cause).toMatch(why);
  });
});

describe('apigateway:invoke in the task runner', () => {
  /** Task services with the stand-in API; waitForToken answers with the callback's output. */
  const services = (withApis: boolean): TaskServices => ({
    invokeFunction: () => Promise.reject(new Error('not used')),
    call: () => Promise.reject(new Error('not used')),
    startExecution: () => Promise.reject(new Error('not used')),
    sfn: () => Promise.reject(new Error('not used')),
    waitForToken: () => Promise.resolve({ approved: true }),
    ...(withApis ? { apis: apis() } : {}),
  });
  const call = (resource: string, parameters: Json, taskToken?: string) => ({ resource, parameters, stateName: 'Call', signal: new AbortController().signal, ...(taskToken ? { taskToken } : {}) });

  it.each([RESOURCE, `${RESOURCE}.waitForTaskToken`])('%s is run locally', (resource) => {
    // Act
    const why = taskResourceSupport(resource);

    // Assess
    expect(why).toBeUndefined();
  });

  it('the request-response pattern: the API`s answer is the task`s result', async () => {
    // Act
    const result = await taskRunner(services(true))(call(RESOURCE, { ApiEndpoint: ENDPOINT, Method: 'GET', Stage: 'prod', Path: 'json' }));

    // Assess
    expect(result).toMatchObject({ ResponseBody: { myBills: [] }, StatusCode: 201 });
  });

  it('.waitForTaskToken: the call goes out with the token, the callback`s output is the result', async () => {
    // Prepare
    const before = requests.length;

    // Act
    const result = await taskRunner(services(true))(call(`${RESOURCE}.waitForTaskToken`, { ApiEndpoint: ENDPOINT, Method: 'POST', Stage: 'prod', Path: 'bills/add', Headers: { TaskToken: ['AQtoken'] }, RequestBody: { billId: 'b-1' } }, 'AQtoken'));

    // Assess
    expect(result).toEqual({ approved: true });
    expect(requests[before]?.headers.tasktoken).toBe('AQtoken');
  });

  it('.waitForTaskToken: a non-2XX answer fails the task, not waiting for the token', async () => {
    // Act
    const failed = await failure(taskRunner({ ...services(true), waitForToken: (_t, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))) })(call(`${RESOURCE}.waitForTaskToken`, { ApiEndpoint: ENDPOINT, Method: 'GET', Stage: 'prod', Path: 'status/404' }, 'AQtoken')));

    // Assess
    expect(failed.error).toBe('ApiGateway.404');
  });

  it('without the template`s APIs (none served) the task fails with States.Runtime naming its ApiEndpoint', async () => {
    // Act
    const failed = await failure(taskRunner(services(false))(call(RESOURCE, { ApiEndpoint: ENDPOINT, Method: 'GET' })));

    // Assess
    expect(failed).toEqual({ error: 'States.Runtime', cause: expect.stringContaining(`ApiEndpoint ${ENDPOINT} names no API of this template`) as unknown as string });
  });
});

describe('apigateway:invoke end to end: an EXPRESS state machine posts to a WebSocket API`s @connections (IAM_ROLE)', () => {
  /** The $default route's function: starts the state machine with its connection id. */
  const HANDLER = `
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
export const handler = async (event) => {
  const ctx = event.requestContext;
  if (ctx.eventType !== 'MESSAGE') return { statusCode: 200 };
  await new SFNClient({}).send(new StartExecutionCommand({ stateMachineArn: process.env.MACHINE_ARN, input: JSON.stringify({ connectionId: ctx.connectionId }) }));
  return { statusCode: 200 };
};
`;
  const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  WsApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: WsApi
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  WsApiStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref WsApi
      StageName: prod
  WsApiInteg:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WsApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Starter.Arn}/invocations
  DefaultRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WsApi
      RouteKey: $default
      Target: !Sub integrations/\${WsApiInteg}
  Starter:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          MACHINE_ARN: !Ref Notify
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Starter
      Principal: apigateway.amazonaws.com
  Notify:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      DefinitionSubstitutions:
        ApiId: !Ref WsApi
      Definition:
        StartAt: Post
        States:
          Post:
            Type: Task
            Resource: arn:aws:states:::apigateway:invoke
            Parameters:
              ApiEndpoint.$: States.Format('{}.execute-api.{}.amazonaws.com', '\${ApiId}', 'us-east-1')
              Method: POST
              Stage: prod
              Path.$: States.Format('@connections/{}', $.connectionId)
              RequestBody:
                hello: from sfn
              AuthType: IAM_ROLE
            End: true
`;
  let dir: string;
  let emulator: RunningEmulator;
  const reports: ExecutionReport[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfn-apigw-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'app.mjs'), HANDLER);
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, 'local'), log: () => undefined, onNotServed: () => undefined, onExecution: (r) => reports.push(r) });
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the client receives the frame the task posted', async () => {
    // Prepare
    const api = emulator.apis.find((a) => a.kind === 'websocket')!;
    const ws = new WebSocket(api.url);
    let timer: NodeJS.Timeout | undefined;
    const bounded = <T>(what: string, promise: Promise<T>) => Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; executions: ${JSON.stringify(reports)}`)), WAIT_MS)))]).finally(() => clearTimeout(timer));
    await bounded('the handshake', new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject)));

    // Act
    const frame = bounded('the frame', new Promise<string>((resolve) => ws.once('message', (data: WebSocket.RawData) => resolve(data.toString()))));
    ws.send(JSON.stringify({ action: 'go' }));

    // Assess
    try {
      expect(JSON.parse(await frame)).toEqual({ hello: 'from sfn' });
    } finally {
      ws.close();
    }
  }, 30_000);
});
