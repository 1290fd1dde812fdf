/**
 * Access logging of a REST stage (AccessLogSetting; the variables of the DG's "Variables for access logging", the same
 * list H11.5 gives for HTTP APIs): one line per request in the request log, named by its log group.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { FIXTURE_TEMPLATE, harness } from './harness.js';

const FORMAT = [
  'id=$context.requestId',
  'status=$context.status',
  'length=$context.responseLength',
  'method=$context.httpMethod',
  'resource=$context.resourcePath',
  'path=$context.path',
  'stage=$context.stage',
  'ip=$context.identity.sourceIp',
  'integrationStatus=$context.integration.status',
  'lambdaStatus=$context.integration.integrationStatus',
  'integrationLatency=$context.integrationLatency',
  'errorType=$context.error.responseType',
  'error=$context.error.message',
  'caller=$context.identity.caller',
].join(' ');
const DESTINATION = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/conformance:*';

const template = await loadTemplate(FIXTURE_TEMPLATE);
const plain = template.apis.find((a) => a.logicalId === 'ConformanceApi')!;
const h = await harness('ConformanceApi', { api: { ...plain, accessLog: { destinationArn: DESTINATION, format: FORMAT } } });

/** The fields of the last request's access log line. */
function lastLine(): Record<string, string> {
  const entry = h.entries.at(-1)?.accessLog;
  expect(entry?.destination).toBe('/aws/apigateway/conformance');
  return Object.fromEntries(entry!.line.split(' ').map((pair) => pair.split('=') as [string, string]));
}

describe('REST access logging: the stage`s Format with its $context variables', () => {
  it('a Lambda proxy answer: its status, length and request id as the client got them, the integration`s status and latency', async () => {
    // Act
    const got = await h.send({ path: '/test/items/7' });

    // Assess
    const line = lastLine();
    expect(line).toMatchObject({ id: got.headers.get('x-amzn-requestid'), status: '200', length: String(Buffer.byteLength(got.text)), method: 'GET', resource: '/items/{id}', path: '/test/items/7', stage: 'test', ip: '127.0.0.1', integrationStatus: '200', lambdaStatus: '200', errorType: '-', error: '-', caller: '-' });
    expect(line.integrationLatency).toMatch(/^\d+$/);
  });

  it('a gateway response: error.responseType and error.message, no integration figures', async () => {
    const got = await h.send({ path: '/test/no/such/route' });
    expect(got.status).toBe(403);
    expect(lastLine()).toMatchObject({ status: '403', errorType: 'MISSING_AUTHENTICATION_TOKEN', error: 'Missing', integrationStatus: '-', lambdaStatus: '-', integrationLatency: '-' });
    expect(h.entries.at(-1)?.accessLog?.line).toContain('error=Missing Authentication Token');
  });

  it('a function that fails: 502 through DEFAULT_5XX, with the integration`s latency but no status from the function', async () => {
    const got = await h.send({ path: '/test/throw' });
    expect(got.status).toBe(502);
    const line = lastLine();
    // Lambda itself answered 200 (the error is the function's: X-Amz-Function-Error).
    expect(line).toMatchObject({ status: '502', errorType: 'DEFAULT_5XX', integrationStatus: '-', lambdaStatus: '200' });
    expect(line.integrationLatency).toMatch(/^\d+$/);
  });

  it.each([
    { given: 'a non-proxy Lambda integration (R2): its latency, Lambda`s own 200', method: 'POST', path: '/test/custom/echo', latency: /^\d+$/, lambdaStatus: '200' },
    { given: 'a mock integration: no backend, no integration figures', method: 'GET', path: '/test/mock/branch', latency: /^-$/, lambdaStatus: '-' },
  ])('$given', async ({ method, path, latency, lambdaStatus }) => {
    await h.send({ method, path, body: method === 'POST' ? '{"a":1}' : undefined, headers: [['Content-Type', 'application/json']] });

    const line = lastLine();
    expect(line.integrationLatency).toMatch(latency);
    expect(line.lambdaStatus).toBe(lambdaStatus);
  });

  it('neighbour: a stage without an access log setting logs no line', async () => {
    const bare = await harness('ConformanceApi');
    await bare.send({ path: '/test/items/7' });
    expect(bare.entries.at(-1)).toBeDefined();
    expect(bare.entries.at(-1)).not.toHaveProperty('accessLog');
  });

  it('$context.integration.requestId is the request id of the Lambda invocation (not the API request`s), proxy or not; - for a mock', async () => {
    const withLambdaId = await harness('ConformanceApi', { api: { ...plain, accessLog: { destinationArn: DESTINATION, format: 'id=$context.requestId lambda=$context.integration.requestId' } } });
    const fields = () => Object.fromEntries(withLambdaId.entries.at(-1)!.accessLog!.line.split(' ').map((pair) => pair.split('=') as [string, string]));

    await withLambdaId.send({ path: '/test/items/7' });
    const proxy = fields();
    await withLambdaId.send({ method: 'POST', path: '/test/custom/echo', body: '{"a":1}', headers: [['Content-Type', 'application/json']] });
    const nonProxy = fields();
    await withLambdaId.send({ path: '/test/mock/branch' });
    const mock = fields();

    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(proxy.lambda).toMatch(uuid);
    expect(proxy.lambda).not.toBe(proxy.id);
    expect(nonProxy.lambda).toMatch(uuid);
    expect(nonProxy.lambda).not.toBe(proxy.lambda);
    expect(mock.lambda).toBe('-');
  });

  it('never silent: variables AWS fills in and the gateway never does are named in the report, IGNORED', async () => {
    const format = '$context.requestId $context.integration.requestId $context.authorize.status $context.authorizer.latency $context.authorize.status $context.authorizer.claims.sub';
    const h2 = await harness('ConformanceApi', { api: { ...plain, accessLog: { destinationArn: DESTINATION, format } } });

    const items = h2.gateway.support.filter((s) => s.subject === 'access log variables');

    expect(items).toEqual([expect.objectContaining({ status: 'ignored', detail: 'printed - in every line, not filled in locally: $context.authorize.status, $context.authorizer.latency; $context.integration.requestId is filled for Lambda integrations only (- for the others)' })]);
    expect(h.gateway.support.some((s) => s.subject === 'access log variables')).toBe(false);
  });

  it('the startup report lists the setting EMULATED, with its log group', () => {
    expect(h.gateway.support).toContainEqual(expect.objectContaining({ subject: 'AccessLogSetting', status: 'emulated', detail: expect.stringContaining('/aws/apigateway/conformance') }));
  });
});

describe('REST access log settings in templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'access-log-'));
  const write = (name: string, lines: string[]): string => {
    const file = join(dir, name);
    writeFileSync(file, lines.join('\n'));
    return file;
  };
  const document = ['        openapi: 3.0.1', '        info: { title: t, version: "1" }', '        paths: {}'];

  it('SAM AccessLogSetting with GetAtt of a log group: the ARN CloudFormation gives (`:*` at its end)', async () => {
    // Prepare
    const file = write('sam.yaml', [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Logs:',
      '    Type: AWS::Logs::LogGroup',
      '    Properties: { LogGroupName: !Sub "/aws/apigateway/${AWS::StackName}" }',
      '  Api:',
      '    Type: AWS::Serverless::Api',
      '    Properties:',
      '      StageName: prod',
      '      AccessLogSetting: { DestinationArn: !GetAtt Logs.Arn, Format: "$context.requestId" }',
      '      DefinitionBody:',
      ...document,
    ]);

    // Act
    const loaded = await loadTemplate(file, { stackName: 'shop' });

    // Assess
    expect(loaded.apis[0]?.accessLog).toEqual({ destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/shop:*', format: '$context.requestId' });
  });

  it.each([
    { given: 'an AWS::ApiGateway::Stage', stage: ['  Stage:', '    Type: AWS::ApiGateway::Stage', '    Properties:', '      RestApiId: !Ref Api', '      StageName: live', '      DeploymentId: !Ref Deployment', '      AccessLogSetting: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:stage-logs, Format: "$context.status" }'], deployment: [] as string[], want: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:stage-logs', format: '$context.status' } },
    { given: 'a Deployment`s StageDescription', stage: [] as string[], deployment: ['      StageName: live', '      StageDescription:', '        AccessLogSetting: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:deployment-logs, Format: "$context.status" }'], want: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:deployment-logs', format: '$context.status' } },
    { given: 'a setting without a Format (AWS requires one)', stage: [] as string[], deployment: ['      StageName: live', '      StageDescription:', '        AccessLogSetting: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:x }'], want: undefined },
  ])('a CloudFormation RestApi`s access log setting from $given', async ({ stage, deployment, want }) => {
    // Prepare
    const file = write(`cfn-${stage.length}-${deployment.length}.yaml`, [
      'Resources:',
      '  Api:',
      '    Type: AWS::ApiGateway::RestApi',
      '    Properties:',
      '      Body:',
      ...document,
      '  Deployment:',
      '    Type: AWS::ApiGateway::Deployment',
      '    Properties:',
      '      RestApiId: !Ref Api',
      ...deployment,
      ...stage,
    ]);

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    expect(loaded.apis[0]?.accessLog).toEqual(want);
  });
});
