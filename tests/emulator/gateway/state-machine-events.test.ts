/**
 * SAM state machines with Api events (AWS::Serverless::StateMachine `Events: Type: Api`): SAM writes an `aws`
 * integration calling Step Functions' StartExecution (R12), which the gateway forwards to the endpoint configured for
 * Step Functions, the request body rendered as the execution's input. The service is a FAKE AWS service.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { TemplateError } from '../../../emulator/template/model.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { harness } from '../conformance/harness.js';
import { startFakeAwsService } from '../support/fake-aws-service.js';

const TEMPLATE = 'tests/emulator/fixtures/sam-shapes/state-machine-api.yaml';
const fake = await startFakeAwsService({ status: 200, contentType: 'application/x-amz-json-1.0', body: '{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:flow:1","startDate":1.7E9}' });
afterAll(() => fake.close());
beforeEach(() => fake.reset());
const forwarding = (endpoints: Record<string, string>) => harness('ServerlessRestApi', { services: { aws: { endpoints, credentials: TEST_CREDENTIALS, region: 'us-east-1' } } }, TEMPLATE);

describe('a state machine`s Api event', () => {
  it('starts an execution on the configured Step Functions endpoint: the body as input, the state machine`s ARN, signed for states', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SFN: fake.url });

    const got = await h.send({ method: 'POST', path: '/Prod/orders', headers: [['Content-Type', 'application/json']], body: '{"item":"book"}' });

    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:flow:1', startDate: 1.7e9 });
    const [call] = fake.received;
    expect(call).toMatchObject({ method: 'POST', url: '/', signatureProblem: null });
    expect(call!.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    const sent = JSON.parse(call!.body) as { input: string; stateMachineArn: string };
    expect(sent.stateMachineArn).toMatch(/^arn:aws:states:us-east-1:123456789012:stateMachine:\S*OrderFlow$/);
    expect(sent.input).toBe('{"item":"book"}');
  });

  it('R3.10: a single quote in the body is sent escaped as \\\' (no valid JSON), the reason SAM has UnescapeMappingTemplate', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SFN: fake.url });

    await h.send({ method: 'POST', path: '/Prod/orders', headers: [['Content-Type', 'application/json']], body: '{"note":"it\'s"}' });

    expect(fake.received[0]!.body).toContain("it\\'s");
    expect(() => JSON.parse(fake.received[0]!.body) as unknown).toThrow();
  });

  it('UnescapeMappingTemplate: the input is the body as sent', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SFN: fake.url });

    await h.send({ method: 'POST', path: '/Prod/orders/raw', headers: [['Content-Type', 'application/json']], body: '{"note":"it\'s"}' });

    expect((JSON.parse(fake.received[0]!.body) as { input: string }).input).toBe('{"note":"it\'s"}');
  });

  it('a service refusal (400) is answered 400, as SAM`s integration responses say', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SFN: fake.url });
    fake.reply = { status: 400, contentType: 'application/x-amz-json-1.0', body: '{"__type":"StateMachineDoesNotExist"}' };

    const got = await h.send({ method: 'POST', path: '/Prod/orders', headers: [['Content-Type', 'application/json']], body: '{}' });

    expect(got.status).toBe(400);
  });

  it('without an endpoint the route is reported not emulated with the variable to set, beside the function`s route', async () => {
    const h = await forwarding({});

    const route = (path: string) => h.gateway.routes.find((r) => r.path === path);
    expect(route('/orders')).toMatchObject({ method: 'POST', integration: 'aws-service', emulated: false });
    expect(route('/orders')?.detail).toMatch(/AWS_ENDPOINT_URL_SFN/);
    expect(route('/orders/{id}')).toMatchObject({ integration: 'aws_proxy', emulated: true });
  });

  it('an event on an explicit API with an API key is that API`s route', async () => {
    const h = await harness('OrdersApi', { services: { aws: { endpoints: { AWS_ENDPOINT_URL_SFN: fake.url }, credentials: TEST_CREDENTIALS, region: 'us-east-1' } } }, TEMPLATE);

    expect(h.gateway.routes.find((r) => r.path === '/keyed')).toMatchObject({ method: 'PUT', apiKeyRequired: true });
  });
});

describe('event types SAM refuses on a state machine', () => {
  it('an HttpApi event is a TemplateError naming the event, as the SAM translator refuses the template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-httpapi-'));
    const file = join(dir, 'template.yaml');
    writeFileSync(file, ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Flow:', '    Type: AWS::Serverless::StateMachine', '    Properties:', '      Definition: { StartAt: A, States: { A: { Type: Pass, End: true } } }', '      Events:', '        Start: { Type: HttpApi, Properties: { Path: /s, Method: post } }'].join('\n'));

    const error = await loadTemplate(file).catch((e: unknown) => e);
    rmSync(dir, { recursive: true, force: true });

    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toMatch(/Events\.Start\.Type.*Event Type is: HttpApi/);
  });
});

describe('H2.6 on REST APIs: ${AWS::Region} / ${AWS::AccountId} / ${AWS::Partition} left as text in an included document', () => {
  it('are resolved as API Gateway resolves them on import: the uri names Step Functions, the template the account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rest-aws-vars-'));
    writeFileSync(
      join(dir, 'api.yaml'),
      [
        'openapi: 3.0.1',
        'info: { title: sync, version: "1" }',
        'paths:',
        '  /:',
        '    post:',
        "      responses: { '200': { description: ok } }",
        '      x-amazon-apigateway-integration:',
        '        type: aws',
        '        httpMethod: POST',
        '        uri: "arn:aws:apigateway:${AWS::Region}:states:action/StartSyncExecution"',
        '        requestTemplates:',
        '          application/json: \'{"input": "$util.escapeJavaScript($input.json(\'\'$\'\'))", "stateMachineArn": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:Sync"}\'',
        "        responses: { default: { statusCode: '200' } }",
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'template.yaml'),
      ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  SyncApi:', '    Type: AWS::Serverless::Api', '    Properties:', '      StageName: dev', '      DefinitionBody:', "        Fn::Transform: { Name: 'AWS::Include', Parameters: { Location: ./api.yaml } }"].join('\n'),
    );
    const h = await harness('SyncApi', { services: { aws: { endpoints: { AWS_ENDPOINT_URL_SFN: fake.url }, credentials: TEST_CREDENTIALS, region: 'us-east-1' } } }, join(dir, 'template.yaml'));

    const got = await h.send({ method: 'POST', path: '/dev/', headers: [['Content-Type', 'application/json']], body: '{"n":1}' });
    rmSync(dir, { recursive: true, force: true });

    expect(got.status).toBe(200);
    expect(fake.received[0]!.headers['x-amz-target']).toBe('AWSStepFunctions.StartSyncExecution');
    expect(JSON.parse(fake.received[0]!.body)).toEqual({ input: '{"n":1}', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Sync' });
  });
});
