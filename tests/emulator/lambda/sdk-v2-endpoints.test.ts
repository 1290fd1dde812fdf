/**
 * Functions on the AWS SDK for JavaScript v2 (`aws-sdk`, installed with the function as nodejs16.x-era apps do) reach
 * the embedded services, as v3 clients do through AWS_ENDPOINT_URL_<SERVICE> (lambda/sdk-v2-endpoints.ts): DynamoDB's
 * DocumentClient, SQS, S3 (path style on the IP endpoint), and a service not served fails fast with NotImplemented
 * instead of calling AWS. A client given its own endpoint keeps it.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { sdkV2EndpointConfig } from '../../../emulator/lambda/sdk-v2-endpoints.js';
import { eventAppForSuite } from '../support/event-app.js';

describe('sdkV2EndpointConfig', () => {
  it.each([
    { given: 'a service variable', env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' }, want: { dynamodb: { endpoint: 'http://127.0.0.1:1' } } },
    { given: 'S3 (path style on an IP endpoint)', env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2' }, want: { s3: { endpoint: 'http://127.0.0.1:2', s3ForcePathStyle: true } } },
    { given: 'SECRETS_MANAGER (underscores dropped)', env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:3' }, want: { secretsmanager: { endpoint: 'http://127.0.0.1:3' } } },
    { given: 'SFN (v2 calls it stepfunctions)', env: { AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:4' }, want: { stepfunctions: { endpoint: 'http://127.0.0.1:4' } } },
    { given: 'EVENTBRIDGE (and CloudWatchEvents, its older client)', env: { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:5' }, want: { eventbridge: { endpoint: 'http://127.0.0.1:5' }, cloudwatchevents: { endpoint: 'http://127.0.0.1:5' } } },
    { given: 'the global variable (every other service)', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:6/fn/F' }, want: { endpoint: 'http://127.0.0.1:6/fn/F' } },
    { given: 'no variable', env: { PATH: '/bin' }, want: {} },
  ])('$given', ({ env, want }) => {
    expect(sdkV2EndpointConfig(env)).toEqual(want);
  });
});

const HANDLER = `
const AWS = require('aws-sdk');
const db = new AWS.DynamoDB.DocumentClient();
const sqs = new AWS.SQS();
const s3 = new AWS.S3();
const ssm = new AWS.SSM();
const kms = new AWS.KMS();
const own = new AWS.DynamoDB({ endpoint: 'http://127.0.0.1:9', maxRetries: 0, httpOptions: { connectTimeout: 2000 } });
exports.handler = async (event) => {
  const step = event.queryStringParameters.step;
  let out;
  try {
    if (step === 'dynamodb') {
      await db.put({ TableName: process.env.TABLE, Item: { id: 'v2', n: 1 } }).promise();
      out = (await db.get({ TableName: process.env.TABLE, Key: { id: 'v2' } }).promise()).Item;
    } else if (step === 'sqs') {
      const { QueueUrl } = await sqs.getQueueUrl({ QueueName: process.env.QUEUE }).promise();
      out = await sqs.sendMessage({ QueueUrl, MessageBody: 'from v2' }).promise();
    } else if (step === 's3') {
      await s3.putObject({ Bucket: process.env.BUCKET, Key: 'k.txt', Body: 'from v2' }).promise();
      out = String((await s3.getObject({ Bucket: process.env.BUCKET, Key: 'k.txt' }).promise()).Body);
    } else if (step === 'ssm') {
      out = await ssm.getParameter({ Name: 'p' }).promise();
    } else if (step === 'kms') {
      out = await kms.listKeys({}).promise();
    } else {
      out = own.endpoint.href;
    }
  } catch (e) {
    out = { error: e.code, message: e.message };
  }
  return { statusCode: 200, body: JSON.stringify(out) };
};
`;
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Table: { Type: AWS::Serverless::SimpleTable, Properties: { PrimaryKey: { Name: id, Type: String } } }
  Queue: { Type: AWS::SQS::Queue, Properties: { QueueName: v2-queue } }
  Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: v2-bucket } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: index.handler
      Runtime: nodejs20.x
      Timeout: 20
      Environment: { Variables: { TABLE: !Ref Table, QUEUE: v2-queue, BUCKET: v2-bucket } }
      Events: { Api: { Type: Api, Properties: { Path: /v2, Method: get } } }
  ClientsFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: clients.handler
      Runtime: nodejs20.x
      Events: { Api: { Type: Api, Properties: { Path: /clients, Method: get } } }
`;
// A function that loads one client module only (aws-sdk/clients/sqs), never 'aws-sdk' itself.
const CLIENTS_HANDLER = `const SQS = require('aws-sdk/clients/sqs');
exports.handler = async () => ({ statusCode: 200, body: JSON.stringify(new SQS().endpoint.href) });
`;
// The function's own copy of the SDK, as such apps install it (npm install aws-sdk in the function's folder).
const app = eventAppForSuite('sdk-v2-', { 'src/index.js': HANDLER, 'src/clients.js': CLIENTS_HANDLER, 'template.yaml': TEMPLATE }, (root) => {
  mkdirSync(join(root, 'src/node_modules'));
  symlinkSync(resolve('node_modules/aws-sdk'), join(root, 'src/node_modules/aws-sdk'));
});

const step = async (name: string): Promise<unknown> => (await fetch(`${app().apis[0]!.url}/v2?step=${name}`)).json();

describe('a function on aws-sdk v2 reaches the embedded services', () => {
  it('DynamoDB DocumentClient: put then get, and the item is in the embedded table', async () => {
    const item = await step('dynamodb');

    expect(item).toEqual({ id: 'v2', n: 1 });
    const db = new DynamoDBClient({ region: 'us-east-1', endpoint: app().services.AWS_ENDPOINT_URL_DYNAMODB, credentials: app().credentials });
    const table = app().template.tables[0]?.tableName;
    expect((await db.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'v2' } } }))).Item).toEqual({ id: { S: 'v2' }, n: { N: '1' } });
  });

  it('SQS: GetQueueUrl and SendMessage', async () => {
    expect(await step('sqs')).toMatchObject({ MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('S3: putObject and getObject on the template`s bucket (path style)', async () => {
    expect(await step('s3')).toBe('from v2');
  });

  it('SSM: the embedded Parameter Store answers (a parameter the template lacks: ParameterNotFound)', async () => {
    expect(await step('ssm')).toMatchObject({ error: 'ParameterNotFound' });
  });

  it('a service not served fails fast with NotImplemented (not a call to AWS)', async () => {
    expect(await step('kms')).toMatchObject({ error: 'NotImplemented' });
  });

  it('a function loading one client module only (aws-sdk/clients/sqs) gets the local endpoint too', async () => {
    const endpoint = await (await fetch(`${app().apis[0]!.url}/clients`)).json();

    expect(endpoint).toBe(`${app().services.AWS_ENDPOINT_URL_SQS}/`);
  });

  it('a client given its own endpoint keeps it', async () => {
    expect(await step('own')).toBe('http://127.0.0.1:9/');
  });
});
