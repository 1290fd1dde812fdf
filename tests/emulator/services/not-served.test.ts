import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describeCall, startNotServed, type NotServedCall, type NotServedServer } from '../../../emulator/services/not-served.js';

describe('fallback endpoint for services the emulator does not serve', () => {
  let server: NotServedServer;
  const lines: string[] = [];
  const calls: NotServedCall[] = [];
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

  beforeAll(async () => {
    server = await startNotServed({ log: (line, call) => { lines.push(line); calls.push(call); } });
  });
  afterAll(() => server.close());

  it('a real DynamoDB client call rejects at once, naming service and operation, and one line is logged', async () => {
    const client = new DynamoDBClient({ endpoint: server.endpointFor('ListTasksFunction'), region: 'eu-west-1', credentials });
    const error = (await client.send(new ListTablesCommand({})).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number; attempts: number } };
    expect(error.name).toBe('NotImplemented');
    expect(error.message).toBe('dynamodb.ListTables is not served by the local emulator');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 501, attempts: 1 });
    expect(lines).toEqual(['ListTasksFunction called dynamodb.ListTables, which the local emulator does not serve']);
    client.destroy();
  });

  it('a malformed percent-encoding in the path is answered, not a crash', async () => {
    const res = await fetch(`${server.url}/fn/%E0%A4%A`, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.Query' }, body: '{}' });
    const again = await fetch(`${server.url}/fn/F`, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.Query' }, body: '{}' });

    expect(res.status).toBe(501);
    expect(again.status).toBe(501);
  });

  it('works as the global AWS_ENDPOINT_URL for any client (secretsmanager here), without a function name', async () => {
    process.env.AWS_ENDPOINT_URL = server.url;
    const client = new SecretsManagerClient({ region: 'eu-west-1', credentials });
    const error = (await client.send(new GetSecretValueCommand({ SecretId: 'x' })).catch((e: unknown) => e)) as Error;
    delete process.env.AWS_ENDPOINT_URL;
    expect(error.message).toBe('secretsmanager.GetSecretValue is not served by the local emulator');
    expect(calls.at(-1)).toEqual({ functionName: 'a function', service: 'secretsmanager', operation: 'GetSecretValue' });
    client.destroy();
  });

  // A REST-JSON service's binary payload (Lambda Invoke here, Bedrock InvokeModel in serverless-patterns'
  // apigw-websocket-lambda-bedrock-sam) is sent as application/octet-stream: the SDK still parses a JSON error.
  it('a REST-JSON call with a binary payload gets a JSON NotImplemented error the SDK parses, not a deserialization error', async () => {
    const client = new LambdaClient({ endpoint: server.endpointFor('ChatFunction'), region: 'eu-west-1', credentials });
    const error = (await client.send(new InvokeCommand({ FunctionName: 'other', Payload: new TextEncoder().encode('{"a":1}') })).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
    expect(error.name).toBe('NotImplemented');
    expect(error.message).toBe('lambda.POST /2015-03-31/functions/other/invocations is not served by the local emulator');
    expect(error.$metadata.httpStatusCode).toBe(501);
    client.destroy();
  });

  it('a REST-XML service (S3) still gets an XML NotImplemented error its SDK parses', async () => {
    const client = new S3Client({ endpoint: server.endpointFor('F'), region: 'eu-west-1', credentials, forcePathStyle: true });
    const error = (await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('NotImplemented');
    expect(error.message).toBe('s3.GET /b/k is not served by the local emulator');
    client.destroy();
  });

  it.each<{ given: string; init: RequestInit }>([
    { given: 'a browser Origin header', init: { method: 'POST', headers: { origin: 'https://evil.example' } } },
    { given: 'a CORS preflight', init: { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } } },
  ])('refuses $given with 403, no Access-Control-* header, and logs nothing', async ({ init }) => {
    const logged = lines.length;

    const res = await fetch(`${server.url}/fn/F`, init);

    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(lines.length).toBe(logged);
  });

  const sigv4 = (service: string) => `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;
  it.each([
    { name: 'JSON protocol target + signature', req: { url: '/fn/F1', method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents', authorization: sigv4('events') } }, body: '{}', want: { functionName: 'F1', service: 'events', operation: 'PutEvents' } },
    { name: 'JSON target without signature', req: { url: '/', method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.Query' } }, body: '{}', want: { functionName: 'a function', service: 'DynamoDB', operation: 'Query' } },
    { name: 'query protocol (SQS/SNS) Action in the body', req: { url: '/fn/F2/', method: 'POST', headers: { authorization: sigv4('sns'), 'content-type': 'application/x-www-form-urlencoded' } }, body: 'Action=Publish&Version=2010-03-31', want: { functionName: 'F2', service: 'sns', operation: 'Publish' } },
    { name: 'REST protocol (S3): method and path', req: { url: '/fn/F3/bucket/key.txt', method: 'PUT', headers: { authorization: sigv4('s3') } }, body: '', want: { functionName: 'F3', service: 's3', operation: 'PUT /bucket/key.txt' } },
  ])('names service and operation: $name', ({ req, body, want }) => {
    expect(describeCall(req, body)).toEqual(want);
  });
});
