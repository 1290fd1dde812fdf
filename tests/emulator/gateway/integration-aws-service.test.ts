/**
 * AWS service integrations other than Lambda and DynamoDB (R12, R0.5): forwarded to the endpoint the user configured
 * (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), signed with the local credentials, after validation; without
 * an endpoint, not emulated and said so. The service is a FAKE AWS service that records what it receives.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointVariable, parseServiceUri, serviceEndpoint } from '../../../emulator/gateway/aws-service-uri.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { harness } from '../conformance/harness.js';
import { startFakeAwsService, type ReceivedCall } from '../support/fake-aws-service.js';
import { REFUSED_ORIGIN } from '../support/refused-port.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/aws-services/template.yaml', import.meta.url));

const fake = await startFakeAwsService({ status: 200, contentType: 'application/json', body: '{}' });
const { received, url: fakeUrl } = fake;
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const forwarding = (endpoints: Record<string, string>) => harness('ServicesApi', { services: { aws: { endpoints, credentials: TEST_CREDENTIALS, region: 'us-east-1' } } }, TEMPLATE);
const json: [string, string][] = [['Content-Type', 'application/json']];
const scopeOf = (r: ReceivedCall) => /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(r.headers.authorization))?.slice(1);

describe('R2.11 an AWS service answering binary data (an S3 object through the gateway)', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);

  it.each([
    { given: 'a binary Accept gets the bytes as S3 sent them', accept: 'image/png', want: Buffer.from(PNG) },
    { given: 'a text Accept gets them base64-encoded', accept: 'application/json', want: Buffer.from(Buffer.from(PNG).toString('base64')) },
  ])('$given', async ({ accept, want }) => {
    const h = await forwarding({ AWS_ENDPOINT_URL_S3: fakeUrl });
    fake.reply = { status: 200, contentType: 'image/png', body: PNG };

    const response = await h.gateway.fetch(new Request('http://localhost:3000/v1/objects/cat.png', { headers: { Accept: accept } }));

    expect(received[0]).toMatchObject({ method: 'GET', url: '/photos/cat.png', signatureProblem: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(want)).toBe(true);
  });
});

describe('R2.11 a binary upload to S3 (PUT through the gateway)', () => {
  const GZIP = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x80, 0x00, 0xc3, 0x28]);

  it('a binary media type body passes through as the bytes sent, signed over those bytes', async () => {
    // Prepare
    const h = await forwarding({ AWS_ENDPOINT_URL_S3: fakeUrl });

    // Act
    const response = await h.gateway.fetch(new Request('http://localhost:3000/v1/files/archive.gz', { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: GZIP }));

    // Assess
    expect(response.status).toBe(200);
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/uploads/archive.gz', signatureProblem: null });
    expect(received[0]!.bytes.equals(Buffer.from(GZIP))).toBe(true);
  });

  it('CONVERT_TO_BINARY stores the bytes a base64 text body encodes', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_S3: fakeUrl });

    const response = await h.gateway.fetch(new Request('http://localhost:3000/v1/decoded/archive.gz', { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: Buffer.from(GZIP).toString('base64') }));

    expect(response.status).toBe(200);
    expect(received[0]!.bytes.equals(Buffer.from(GZIP))).toBe(true);
  });

  it.each(['GET', 'DELETE', 'PUT'])('an integration httpMethod ANY sends the client`s verb (%s), never "ANY"', async (method) => {
    const h = await forwarding({ AWS_ENDPOINT_URL_S3: fakeUrl });

    await h.gateway.fetch(new Request('http://localhost:3000/v1/files/a.json', { method, ...(method === 'PUT' ? { body: '{}', headers: { 'Content-Type': 'application/json' } } : {}) }));

    expect(received[0]).toMatchObject({ method, url: '/uploads/a.json', signatureProblem: null });
  });
});

describe('R12 an AWS service integration with a configured endpoint is forwarded there', () => {
  it('SQS path form: the mapped request, signed for sqs in the URI region; the answer mapped by the default response', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SQS: fakeUrl });
    fake.reply.body = JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'm-1' } } });

    const got = await h.send({ method: 'POST', path: '/v1/orders', headers: json, body: '{"item":"book"}' });

    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ messageId: 'm-1' });
    const [call] = received;
    expect(received).toHaveLength(1);
    expect(call).toMatchObject({ method: 'POST', url: '/123456789012/orders', body: `Action=SendMessage&MessageBody=${encodeURIComponent('{"item":"book"}').replace(/%20/g, '+')}`, signatureProblem: null });
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call?.headers.accept).toBe('application/json');
    expect(scopeOf(call!)).toEqual(['us-east-1', 'sqs']);
  });

  it('R2.6 the service status selects the integration response: SQS 400 → the 4\\d{2} response', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SQS: fakeUrl });
    fake.reply = { status: 400, contentType: 'application/json', body: '{"Error":{"Code":"InvalidParameterValue"}}' };

    const got = await h.send({ method: 'POST', path: '/v1/orders', headers: json, body: '{"item":"book"}' });

    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'refused by the queue' });
  });

  it('the access log has the service`s own status as the integration`s (a 400 the integration response maps), not "-"', async () => {
    // Prepare
    const template = await loadTemplate(TEMPLATE);
    const plain = template.apis.find((a) => a.logicalId === 'ServicesApi')!;
    const format = '$context.status $context.integration.status $context.integrationStatus';
    const h = await harness('ServicesApi', { api: { ...plain, accessLog: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g', format } }, services: { aws: { endpoints: { AWS_ENDPOINT_URL_SQS: fakeUrl }, credentials: TEST_CREDENTIALS, region: 'us-east-1' } } }, TEMPLATE);
    fake.reply = { status: 400, contentType: 'application/json', body: '{"Error":{"Code":"InvalidParameterValue"}}' };

    // Act
    await h.send({ method: 'POST', path: '/v1/orders', headers: json, body: '{"item":"book"}' });

    // Assess
    expect(h.entries.at(-1)?.accessLog?.line).toBe('400 400 400');
  });

  it('R2.10 path variables and query string come from requestParameters; no template passes the body through', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SQS: fakeUrl });

    const got = await h.send({ method: 'POST', path: '/v1/queues/q-7?text=hello%20there', headers: json, body: '{"raw":true}' });

    expect(got.status).toBe(200);
    const url = new URL(received[0]!.url, 'http://x');
    expect(url.pathname).toBe('/123456789012/q-7');
    expect(Object.fromEntries(url.searchParams)).toEqual({ Action: 'SendMessage', MessageBody: 'hello there' });
    expect(received[0]?.body).toBe('{"raw":true}');
    expect(received[0]?.signatureProblem).toBeNull();
  });

  it('EventBridge action form: X-Amz-Target AWSEvents.PutEvents, JSON 1.1, signed for events in the URI region', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_EVENTBRIDGE: fakeUrl });
    fake.reply.body = '{"FailedEntryCount":0,"Entries":[{"EventId":"e-1"}]}';

    const got = await h.send({ method: 'POST', path: '/v1/events', headers: json, body: '{"id":1}' });

    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const [call] = received;
    expect(call).toMatchObject({ url: '/', signatureProblem: null });
    expect(call?.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(call!.body)).toEqual({ Entries: [{ Source: 'shop', DetailType: 'order', Detail: '{"id":1}' }] });
    expect(scopeOf(call!)).toEqual(['eu-west-1', 'events']);
  });

  it('the generic AWS_ENDPOINT_URL serves a service without its own variable (Kinesis PutRecord)', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL: fakeUrl });

    const got = await h.send({ method: 'POST', path: '/v1/records', headers: json, body: 'x' });

    expect(got.status).toBe(200);
    expect(received[0]?.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecord');
    expect(JSON.parse(received[0]!.body)).toEqual({ StreamName: 's', PartitionKey: 'k', Data: 'eA==' });
  });

  it('R0.5 validation runs first: an invalid body is the 400 and the service receives nothing', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SQS: fakeUrl });

    const got = await h.send({ method: 'POST', path: '/v1/orders', headers: json, body: '{"nope":1}' });

    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'Invalid request body' });
    expect(received).toEqual([]);
  });

  it('an endpoint that refuses connections is INTEGRATION_FAILURE (504), logged with the URL', async () => {
    const url = REFUSED_ORIGIN;
    const h = await forwarding({ AWS_ENDPOINT_URL_SQS: url });

    const got = await h.send({ method: 'POST', path: '/v1/orders', headers: json, body: '{"item":"book"}' });

    expect(got.status).toBe(504);
    expect(h.logs.at(-1)).toContain(`${url}/123456789012/orders failed`);
  });

  it('the start report names where each forwarded route goes, and the others as not emulated with the variable to set', async () => {
    const h = await forwarding({ AWS_ENDPOINT_URL_SQS: fakeUrl });
    const route = (path: string) => h.gateway.routes.find((r) => r.path === path);

    expect(route('/orders')).toMatchObject({ integration: 'aws-service', emulated: true, detail: `sqs path/123456789012/orders forwarded to ${fakeUrl} (AWS_ENDPOINT_URL_SQS), signed with the local credentials` });
    expect(route('/records')).toMatchObject({ integration: 'aws-service', emulated: false });
    expect(route('/records')?.detail).toMatch(/aws-service kinesis is not emulated yet: set AWS_ENDPOINT_URL_KINESIS or AWS_ENDPOINT_URL/);
    expect(h.gateway.support.filter((s) => s.status === 'not-emulated').map((s) => s.location)).toEqual(expect.arrayContaining([expect.stringContaining('/records')]));
    expect(h.gateway.support.filter((s) => s.status === 'not-emulated' && s.location.includes('/orders'))).toEqual([]);
  });

  it('without an endpoint: a valid request is a 500, logged as not emulated, and nothing is sent', async () => {
    const h = await forwarding({});

    const got = await h.send({ method: 'POST', path: '/v1/events', headers: json, body: '{}' });

    expect(got.status).toBe(500);
    expect(h.logs.at(-1)).toMatch(/aws-service events is not emulated yet: set AWS_ENDPOINT_URL_EVENTBRIDGE/);
    expect(received).toEqual([]);
  });
});

describe('R12.1 service integration URIs', () => {
  it.each([
    { uri: 'arn:aws:apigateway:us-east-1:sqs:path/123/q', want: { region: 'us-east-1', service: 'sqs', kind: 'path', target: '123/q' } },
    { uri: 'arn:aws:apigateway:eu-west-1:states:action/StartExecution', want: { region: 'eu-west-1', service: 'states', kind: 'action', target: 'StartExecution' } },
    { uri: 'arn:aws:apigateway:us-east-1:my-bucket.s3:path/{key}', want: { region: 'us-east-1', service: 's3', subdomain: 'my-bucket', kind: 'path', target: '{key}' } },
    { uri: 'arn:aws-cn:apigateway:cn-north-1:sns:action/Publish', want: { region: 'cn-north-1', service: 'sns', kind: 'action', target: 'Publish' } },
    { uri: 'https://example.com/x', want: undefined },
    { uri: 'arn:aws:apigateway:us-east-1:sqs:other/x', want: undefined },
  ])('parseServiceUri($uri)', ({ uri, want }) => {
    expect(parseServiceUri(uri)).toEqual(want);
  });

  it.each([
    { service: 'sqs', want: 'AWS_ENDPOINT_URL_SQS' },
    { service: 'events', want: 'AWS_ENDPOINT_URL_EVENTBRIDGE' },
    { service: 'states', want: 'AWS_ENDPOINT_URL_SFN' },
    { service: 'logs', want: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS' },
    { service: 'bedrock-runtime', want: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME' },
  ])('endpointVariable($service) → $want (the SDK service id)', ({ service, want }) => {
    expect(endpointVariable(service)).toBe(want);
  });

  it.each([
    { env: { AWS_ENDPOINT_URL_SQS: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' }, want: { url: 'http://a:1', variable: 'AWS_ENDPOINT_URL_SQS' } },
    { env: { AWS_ENDPOINT_URL: 'http://b:2' }, want: { url: 'http://b:2', variable: 'AWS_ENDPOINT_URL' } },
    { env: { AWS_ENDPOINT_URL_SQS: 'not a url', AWS_ENDPOINT_URL: 'http://b:2' }, want: { url: 'http://b:2', variable: 'AWS_ENDPOINT_URL' } },
    { env: { AWS_ENDPOINT_URL_SQS: 'ftp://a' }, want: undefined },
    { env: { AWS_ENDPOINT_URL_SNS: 'http://a:1' }, want: undefined },
  ])('serviceEndpoint(sqs, $env) → $want', ({ env, want }) => {
    expect(serviceEndpoint('sqs', env)).toEqual(want);
  });
});
