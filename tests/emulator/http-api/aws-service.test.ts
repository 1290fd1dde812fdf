/**
 * Conformance: an HTTP API's AWS service integrations (`integrationSubtype`, DG "Integration subtype reference"):
 * the subtype's parameters evaluated on the request and sent as the service's API call to the endpoint the user
 * configured (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), signed with the local credentials; the answer passed
 * back as sent. The service is a FAKE AWS service (AWS itself cannot run here) that records what it receives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { startFakeAwsService, type ReceivedCall } from '../support/fake-aws-service.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { RequestLogEntry } from '../../../emulator/gateway/types.js';
import { httpHarness, samHttpApiHead, v2Route } from './harness.js';
import { REFUSED_ORIGIN } from '../support/refused-port.js';

const fake = await startFakeAwsService({ status: 200, contentType: 'application/x-amz-json-1.1', body: '{"ok":true}' });
const { received, url: fakeUrl } = fake;
const closedUrl = REFUSED_ORIGIN;

const dir = mkdtempSync(join(tmpdir(), 'http-aws-service-'));
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

/** One AWS::ApiGatewayV2::Integration and Route per row, as the serverless-patterns templates and CDK write them. */
const ROUTES: { id: string; routeKey: string; subtype: string; parameters: string[]; timeout?: number; response?: string[] }[] = [
  {
    id: 'Send',
    routeKey: 'POST /send',
    subtype: 'SQS-SendMessage',
    parameters: [
      '        QueueUrl: !Ref Queue',
      '        MessageBody: $request.body.MessageBody',
      '        MessageGroupId: $request.header.x-group',
      '        MessageAttributes: >-',
      '          {"Origin": {"DataType": "String", "StringValue": "${request.header.x-origin}"}}',
    ],
  },
  {
    id: 'Receive',
    routeKey: 'GET /receive',
    subtype: 'SQS-ReceiveMessage',
    parameters: ['        QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/q', '        MaxNumberOfMessages: $request.querystring.max', "        AttributeNames: '[\"All\"]'", '        MessageAttributeNames: a, b'],
  },
  { id: 'Record', routeKey: 'POST /record', subtype: 'Kinesis-PutRecord', parameters: ['        StreamName: stream', '        Data: $request.body', '        PartitionKey: $context.requestId'] },
  { id: 'Config', routeKey: 'GET /config/{env}', subtype: 'AppConfig-GetConfiguration', parameters: ['        Application: my app', '        Environment: $request.path.env', '        Configuration: flags', '        ClientId: $context.requestId'] },
  { id: 'Slow', routeKey: 'POST /slow', subtype: 'StepFunctions-StopExecution', parameters: ['        ExecutionArn: arn:aws:states:us-east-1:123456789012:execution:m:e'], timeout: 50 },
  {
    id: 'Mapped',
    routeKey: 'DELETE /message',
    subtype: 'SQS-DeleteMessage',
    parameters: ['        QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/q', '        ReceiptHandle: $request.querystring.handle'],
    response: ["      ResponseParameters: { '200': { ResponseParameters: [{ Destination: 'overwrite:statuscode', Source: '204' }] } }"],
  },
];
const resources = ROUTES.flatMap(({ id, routeKey, subtype, parameters, timeout, response }) =>
  v2Route(id, routeKey, [
    '      IntegrationType: AWS_PROXY',
    `      IntegrationSubtype: ${subtype}`,
    '      CredentialsArn: arn:aws:iam::123456789012:role/apigw',
    "      PayloadFormatVersion: '1.0'",
    ...(timeout ? [`      TimeoutInMillis: ${timeout}`] : []),
    '      RequestParameters:',
    ...parameters,
    ...(response ?? []),
  ]),
);
const template = join(dir, 'template.yaml');
writeFileSync(
  template,
  [
    'Resources:',
    '  Queue:',
    '    Type: AWS::SQS::Queue',
    '  Api:',
    '    Type: AWS::ApiGatewayV2::Api',
    '    Properties:',
    '      Name: services',
    '      ProtocolType: HTTP',
    ...resources,
    '  Stage:',
    '    Type: AWS::ApiGatewayV2::Stage',
    '    Properties:',
    '      ApiId: !Ref Api',
    '      StageName: $default',
    ...samHttpApiHead('Sam'),
    '          /events:',
    '            post:',
    '              x-amazon-apigateway-integration:',
    '                type: aws_proxy',
    '                integrationSubtype: EventBridge-PutEvents',
    '                credentials: arn:aws:iam::123456789012:role/apigw',
    "                payloadFormatVersion: '1.0'",
    '                requestParameters:',
    '                  Detail: $request.body.Detail',
    '                  DetailType: MyDetailType',
    '                  Source: demo.app',
    '                  Region: eu-west-1',
    '          /sync:',
    '            post:',
    '              x-amazon-apigateway-integration:',
    '                type: aws_proxy',
    '                integrationSubtype: StepFunctions-StartSyncExecution',
    "                payloadFormatVersion: '1.0'",
    '                requestParameters:',
    '                  StateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:express',
    '                  Input: $request.body',
  ].join('\n'),
);

const services = (endpoints: Record<string, string>) => ({ services: { endpoints, credentials: TEST_CREDENTIALS, region: 'us-east-1' } });
const cfn = await httpHarness('Api', template, services({ AWS_ENDPOINT_URL: fakeUrl }));
const sam = await httpHarness('Sam', template, services({ AWS_ENDPOINT_URL_EVENTBRIDGE: fakeUrl, AWS_ENDPOINT_URL_SFN: fakeUrl }));
const form = (r: ReceivedCall) => [...new URLSearchParams(r.body)];
const scopeOf = (r: ReceivedCall) => /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(r.headers.authorization))?.slice(1);

describe('SQS subtypes: the query protocol, signed for sqs', () => {
  it('SQS-SendMessage: body field, header inside a JSON text, message attributes flattened; the answer as the service sent it', async () => {
    // Arrange
    fake.reply = { status: 200, contentType: 'text/xml', body: '<SendMessageResponse><MessageId>m-1</MessageId></SendMessageResponse>' };

    // Act
    const got = await cfn.send({ method: 'POST', path: '/send', headers: [['Content-Type', 'application/json'], ['X-Origin', 'web']], body: '{"MessageBody":"hello"}' });

    // Assess
    expect(got.status).toBe(200);
    expect(got.text).toBe(fake.reply.body);
    expect(got.headers.get('content-type')).toBe('text/xml');
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call).toMatchObject({ method: 'POST', url: '/', signatureProblem: null });
    expect(call!.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    // No Accept: SQS answers XML to an HTTP API (as the serverless-patterns READMEs of SQS-SendMessage routes show).
    expect(call!.headers.accept).toBeUndefined();
    expect(scopeOf(call!)).toEqual(['us-east-1', 'sqs']);
    const sent = form(call!);
    expect(sent).toEqual(
      expect.arrayContaining([
        ['Action', 'SendMessage'],
        ['MessageBody', 'hello'],
        ['MessageAttribute.1.Name', 'Origin'],
        ['MessageAttribute.1.Value.DataType', 'String'],
        ['MessageAttribute.1.Value.StringValue', 'web'],
      ]),
    );
    // Ref of an AWS::SQS::Queue is its URL, as CloudFormation's.
    expect(sent.find(([k]) => k === 'QueueUrl')?.[1]).toMatch(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/\S*Queue$/);
    // x-group was not sent: a parameter whose value is missing is left out.
    expect(sent.map(([k]) => k)).not.toContain('MessageGroupId');
  });

  it('SQS-SendMessage: a header that breaks the MessageAttributes JSON answers 500 and calls nothing', async () => {
    const got = await cfn.send({ method: 'POST', path: '/send', headers: [['X-Origin', 'a"b']], body: '{"MessageBody":"hello"}' });

    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(received).toHaveLength(0);
    expect(cfn.logs.at(-1)).toMatch(/MessageAttributes is no JSON object/);
  });

  it('SQS-ReceiveMessage: an integer from the query string, a JSON list and a comma-separated one', async () => {
    await cfn.send({ path: '/receive?max=5' });

    expect(form(received[0]!)).toEqual(
      expect.arrayContaining([
        ['Action', 'ReceiveMessage'],
        ['MaxNumberOfMessages', '5'],
        ['AttributeName.1', 'All'],
        ['MessageAttributeName.1', 'a'],
        ['MessageAttributeName.2', 'b'],
      ]),
    );
  });

  it.each([
    { given: 'no integer', query: '?max=five' },
    { given: 'a fraction', query: '?max=1.5' },
  ])('SQS-ReceiveMessage: an integer parameter given $given answers 500, nothing called', async ({ query }) => {
    expect((await cfn.send({ path: `/receive${query}` })).status).toBe(500);
    expect(received).toHaveLength(0);
    expect(cfn.logs.at(-1)).toMatch(/SQS-ReceiveMessage: MaxNumberOfMessages is no integer/);
  });

  it('H11.6 responseParameters apply to the service`s answer: 200 becomes 204', async () => {
    const got = await cfn.send({ method: 'DELETE', path: '/message?handle=h-1' });

    expect(got.status).toBe(204);
    expect(form(received[0]!)).toEqual(expect.arrayContaining([['ReceiptHandle', 'h-1']]));
  });

  it('a service error is passed back with its status and body', async () => {
    fake.reply = { status: 400, contentType: 'text/xml', body: '<ErrorResponse><Error><Code>MissingParameter</Code></Error></ErrorResponse>' };

    const got = await cfn.send({ method: 'POST', path: '/send', body: '{}' });

    expect(got.status).toBe(400);
    expect(got.text).toBe(fake.reply.body);
  });
});

describe('JSON-protocol subtypes: X-Amz-Target and the action`s JSON', () => {
  it('EventBridge-PutEvents (OpenAPI): one entry, Detail from the body, signed for events in the Region parameter', async () => {
    const got = await sam.send({ method: 'POST', path: '/events', headers: [['Content-Type', 'application/json']], body: '{"Detail":{"orderId":7}}' });

    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ ok: true });
    const [call] = received;
    expect(call!.signatureProblem).toBeNull();
    expect(call!.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(call!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(scopeOf(call!)).toEqual(['eu-west-1', 'events']);
    expect(JSON.parse(call!.body)).toEqual({ Entries: [{ Detail: '{"orderId":7}', DetailType: 'MyDetailType', Source: 'demo.app' }] });
  });

  it('StepFunctions-StartSyncExecution: the whole body as Input, on AWS_ENDPOINT_URL_SFN', async () => {
    await sam.send({ method: 'POST', path: '/sync', body: '{"n":1}' });

    const [call] = received;
    expect(call!.headers['x-amz-target']).toBe('AWSStepFunctions.StartSyncExecution');
    expect(call!.headers['content-type']).toBe('application/x-amz-json-1.0');
    // The API's members are camelCase on the wire (API Reference, StartSyncExecution), whatever the subtype calls them.
    expect(JSON.parse(call!.body)).toEqual({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:express', input: '{"n":1}' });
  });

  it('Kinesis-PutRecord: Data base64-encoded, the request id as partition key', async () => {
    const got = await cfn.send({ method: 'POST', path: '/record', body: 'raw bytes' });

    const sent = JSON.parse(received[0]!.body) as Record<string, string>;
    expect(received[0]!.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecord');
    expect(Buffer.from(sent.Data!, 'base64').toString('utf8')).toBe('raw bytes');
    expect(sent.PartitionKey).toBe(got.headers.get('apigw-requestid'));
  });
});

describe('AppConfig-GetConfiguration: the REST call', () => {
  it('GET the configuration`s path, names encoded, the client id as query', async () => {
    await cfn.send({ path: '/config/prod' });

    const [call] = received;
    expect(call!.method).toBe('GET');
    const url = new URL(call!.url, fakeUrl);
    expect(url.pathname).toBe('/applications/my%20app/environments/prod/configurations/flags');
    expect(url.searchParams.get('client_id')).toMatch(/\S/);
    expect(scopeOf(call!)).toEqual(['us-east-1', 'appconfig']);
  });
});

describe('H10.4/H10.5 choices: the endpoint fails', () => {
  it('no answer within TimeoutInMillis answers 503', async () => {
    const h = await httpHarness('Api', template, services({ AWS_ENDPOINT_URL: `${fakeUrl}/hang` }));

    const got = await h.send({ method: 'POST', path: '/slow' });

    expect(got.status).toBe(503);
    expect(got.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('an endpoint that refuses the connection answers 500', async () => {
    const h = await httpHarness('Api', template, services({ AWS_ENDPOINT_URL_SFN: closedUrl }));

    const got = await h.send({ method: 'POST', path: '/slow' });

    expect(got.status).toBe(500);
    expect(h.logs.at(-1)).toMatch(/StepFunctions-StopExecution POST .* failed/);
  });
});

describe('H11.5 the access log of a service integration', () => {
  it('has the service`s own status as the integration`s, its latency (not Lambda`s 200) and its request id as awsEndpointRequestId', async () => {
    const entries: RequestLogEntry[] = [];
    const plain = (await loadTemplate(template)).httpApis.find((a) => a.logicalId === 'Api')!;
    const format = '$context.integrationStatus $context.integration.status $context.integrationLatency $context.awsEndpointRequestId';
    fake.reply = { ...fake.reply, headers: { 'x-amzn-RequestId': 'sqs-request-1' } };
    const api = { ...plain, stages: plain.stages.map((s) => ({ ...s, accessLog: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g', format } })) };
    const logged = await httpHarness('Api', template, { ...services({ AWS_ENDPOINT_URL: fakeUrl }), api, onRequest: (e) => entries.push(e) });

    await logged.send({ method: 'POST', path: '/send', body: '{"MessageBody":"hi"}', headers: [['content-type', 'application/json']] });

    expect(entries.at(-1)?.accessLog?.line).toMatch(/^200 200 \d+ sqs-request-1$/);
  });
});

describe('never silent: what the report says', () => {
  it('a forwarded route names the endpoint and the variable that chose it', () => {
    const route = cfn.gateway.routes.find((r) => r.path === '/send');

    expect(route).toMatchObject({ integration: 'aws-service', emulated: true });
    expect(route?.detail).toBe(`SQS-SendMessage forwarded to ${fakeUrl} (AWS_ENDPOINT_URL), signed with the local credentials`);
  });

  it('without an endpoint the route is not emulated, says which variable to set, and answers 500 without calling anything', async () => {
    const h = await httpHarness('Api', template, services({ AWS_ENDPOINT_URL_SQS: fakeUrl }));

    const got = await h.send({ method: 'POST', path: '/record', body: 'x' });

    expect(got.status).toBe(500);
    expect(received).toHaveLength(0);
    const route = h.gateway.routes.find((r) => r.path === '/record');
    expect(route).toMatchObject({ integration: 'aws-service', emulated: false });
    expect(route?.detail).toMatch(/Kinesis-PutRecord: set AWS_ENDPOINT_URL_KINESIS or AWS_ENDPOINT_URL/);
    // The service-specific variable serves its own service only.
    expect(h.gateway.routes.find((r) => r.path === '/send')?.emulated).toBe(true);
  });
});
