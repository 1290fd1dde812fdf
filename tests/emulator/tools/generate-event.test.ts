/**
 * `generate-event apigateway` (emulator/tools/generate-event.ts) against what the gateway sends: the same request
 * through an HTTP API gateway (fixture template, fake in-process invoker) and through generate-event give the same
 * event, but for the ids and times of the one request.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sqsRecord } from '../../../emulator/services/sqs/event-source.js';
import { generateEventCommand } from '../../../emulator/tools/generate-event.js';
import { harness as restHarness } from '../conformance/harness.js';
import { httpHarness } from '../http-api/harness.js';
import type { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import type { Given, Got } from '../conformance/harness.js';

type Json = Record<string, unknown>;

/** Per request, not per shape: ids, times, the trace header, the port the request came in on (443 in a generated event). */
const VOLATILE = new Set(['requestId', 'extendedRequestId', 'time', 'timeEpoch', 'requestTime', 'requestTimeEpoch', 'x-amzn-trace-id', 'X-Amzn-Trace-Id', 'x-forwarded-port']);
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, VOLATILE.has(k) ? typeof v : shape(v)]));
}

interface Case {
  name: string;
  kind: 'rest' | 'http';
  api: string;
  /** The function whose invocation is compared (the authorizer, or the route's integration). */
  fn: string;
  stage: string;
  /** The fixture stage's variables, given to generate-event. */
  stageVariables: string;
  path: string;
  resource: string;
  query: string;
  args: string[];
}

const CASES: Case[] = [
  { name: 'R1.10 aws-proxy (REST, payload 1.0)', kind: 'rest', api: 'ConformanceApi', fn: 'EchoFunction', stage: 'test', stageVariables: 'color=blue', path: '/items/7', resource: '/items/{id}', query: 'a=1&a=2&b=', args: ['aws-proxy', '--operation-name', 'getItem'] },
  { kind: 'http', name: 'H8.2 http-api-authorizer (payload 2.0)', api: 'AuthApi', fn: 'SimpleAuthorizerFunction', stage: 'dev', stageVariables: 'color=blue', path: '/simple/5', resource: '/simple/{n}', query: 'a=1&a=2', args: ['http-api-authorizer', '--identity-source', '$request.header.x-key'] },
  { kind: 'http', name: 'H8.3 http-api-authorizer --payload-format-version 1.0', api: 'AuthApi', fn: 'PolicyAuthorizerFunction', stage: 'dev', stageVariables: 'color=blue', path: '/policy-v1', resource: '/policy-v1', query: '', args: ['http-api-authorizer', '--payload-format-version', '1.0', '--identity-source', '$request.header.x-key'] },
  { kind: 'http', name: 'H4.1 http-api-proxy (payload 2.0)', api: 'ServerlessHttpApi', fn: 'EchoFunction', stage: '$default', stageVariables: '', path: '/pets/dog/7', resource: '/pets/dog/{id}', query: 'q=x', args: ['http-api-proxy'] },
  { kind: 'http', name: 'H5.1 http-api-proxy --payload-format-version 1.0', api: 'ServerlessHttpApi', fn: 'EchoFunction', stage: '$default', stageVariables: '', path: '/v1/thing', resource: '/v1/{item}', query: '', args: ['http-api-proxy', '--payload-format-version', '1.0'] },
];

describe('generate-event apigateway: the event the gateway sends for the same request', () => {
  /** The gateway of the case's API, its id and the calls its functions got. */
  async function gatewayOf(kind: Case['kind'], api: string): Promise<{ apiId: string; invoker: FakeInProcessInvoker; send: (given: Given) => Promise<Got> }> {
    if (kind === 'http') {
      const h = await httpHarness(api);
      return { apiId: h.api.apiId, invoker: h.invoker, send: h.send };
    }
    const h = await restHarness(api);
    return { apiId: h.api.restApiId, invoker: h.invoker, send: h.send };
  }

  it.each(CASES)('$name', async ({ kind, api, fn, stage, stageVariables, path, resource, query, args }) => {
    const harness = await gatewayOf(kind, api);
    const host = `${harness.apiId}.execute-api.us-east-1.amazonaws.com`;
    const headers: [string, string][] = [
      ['Host', host],
      ['User-Agent', 'sam-local-gateway generate-event'],
      ['Accept', '*/*'],
      ['Authorization', 'allow'],
      ['x-key', 'key-1'],
    ];
    await harness.send({ path: `${stage === '$default' ? '' : `/${stage}`}${path}${query ? `?${query}` : ''}`, headers });
    const sent = harness.invoker.calls.find((c) => c.functionLogicalId === fn)?.event;

    const generated = JSON.parse(
      await generateEventCommand(['apigateway', ...args, '--stage', stage, '--stage-variables', stageVariables, '--path', path, '--resource', resource, '--query', query, '--header', 'x-key: key-1', '--api-id', harness.apiId]),
    ) as Json;

    expect(sent).toBeDefined();
    expect(shape(generated)).toEqual(shape(sent));
  });
});

describe('generate-event apigateway aws-proxy --operation-name (R1.10)', () => {
  it.each([
    { given: 'with --operation-name', args: ['--operation-name', 'listPets'], want: 'listPets' },
    { given: 'without it (a method with no operation name)', args: [], want: undefined },
  ])('requestContext.operationName $given', async ({ args, want }) => {
    const event = JSON.parse(await generateEventCommand(['apigateway', 'aws-proxy', ...args])) as { requestContext: Record<string, unknown> };

    expect(event.requestContext.operationName).toBe(want);
    expect('operationName' in event.requestContext).toBe(want !== undefined);
  });
});

describe('generate-event apigateway http-api-authorizer: identity sources and refusals', () => {
  const generate = async (args: string[]) => JSON.parse(await generateEventCommand(['apigateway', 'http-api-authorizer', ...args])) as Json;

  it.each([
    { version: '2.0', want: { identitySource: ['abc', 'k'] } },
    { version: '1.0', want: { identitySource: 'abc,k', authorizationToken: 'abc,k' } },
  ])('H8.4 H8.2 H8.3 a query string and a header source (payload $version)', async ({ version, want }) => {
    const event = await generate(['--payload-format-version', version, '--identity-source', '$request.querystring.t, $request.header.X-Key', '--query', 't=abc', '--header', 'x-key: k']);

    expect(event).toMatchObject(want);
  });

  it.each([
    { given: 'an identity source the request lacks', args: ['--identity-source', '$request.header.x-missing'], want: /\$request\.header\.x-missing has no value in this request: API Gateway answers 401/ },
    { given: 'a payload format version HTTP APIs do not have', args: ['--payload-format-version', '3.0'], want: /--payload-format-version is 1\.0 or 2\.0, not 3\.0/ },
    { given: 'a header without a colon', args: ['--header', 'x-key'], want: /--header "x-key" is not "Name: value"/ },
  ])('$given is a usage error', async ({ args, want }) => {
    await expect(generateEventCommand(['apigateway', 'http-api-authorizer', ...args])).rejects.toThrow(want);
  });
});

describe('generate-event sqs receive-message: the event an SQS event source hands a function', () => {
  it('has the fields of the pollers` records, the body`s MD5 and the queue`s ARN (like sam local generate-event sqs receive-message)', async () => {
    // Prepare: a record as the poller builds it from a received message.
    const polled = sqsRecord({ MessageId: 'm', ReceiptHandle: 'h', MD5OfBody: 'x', Body: 'b', Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '1' } }, 'arn', 'r');

    // Act
    const event = JSON.parse(await generateEventCommand(['sqs', 'receive-message', '--body', '{"a":1}', '--queue-name', 'jobs', '--region', 'eu-west-1', '--account-id', '111122223333'])) as { Records: Json[] };

    // Assess
    expect(event.Records).toHaveLength(1);
    const [record] = event.Records as [Json];
    expect(Object.keys(record)).toEqual(Object.keys(polled));
    expect(Object.keys(record.attributes as Json)).toEqual(Object.keys(polled.attributes));
    expect(record).toMatchObject({ body: '{"a":1}', md5OfBody: createHash('md5').update('{"a":1}').digest('hex'), eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:jobs', awsRegion: 'eu-west-1' });
  });

  it('SAM`s defaults: "Hello from SQS!" on MyQueue', async () => {
    const event = JSON.parse(await generateEventCommand(['sqs', 'receive-message'])) as { Records: Json[] };

    expect(event.Records[0]).toMatchObject({ body: 'Hello from SQS!', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:MyQueue' });
  });

  it('another sqs event is a usage error', async () => {
    await expect(generateEventCommand(['sqs', 'send-message'])).rejects.toThrow(/unknown sqs event "send-message"/);
  });
});

describe('generate-event s3 put|delete: the event a bucket notification hands a function', () => {
  it('put: one ObjectCreated:Put record for the bucket and the key as S3 encodes it, with the body`s size and ETag', async () => {
    const event = JSON.parse(await generateEventCommand(['s3', 'put', '--bucket', 'media', '--key', 'in/a b.txt', '--body', 'hello', '--region', 'eu-west-1'])) as { Records: Json[] };

    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: 'eu-west-1',
      s3: { bucket: { name: 'media', arn: 'arn:aws:s3:::media' }, object: { key: 'in/a+b.txt', size: 5, eTag: createHash('md5').update('hello').digest('hex') } },
    });
  });

  it('delete: an ObjectRemoved:Delete record without size or ETag; SAM`s defaults example-bucket and test/key', async () => {
    const event = JSON.parse(await generateEventCommand(['s3', 'delete'])) as { Records: { eventName: string; s3: { bucket: Json; object: Json } }[] };

    expect(event.Records[0]?.eventName).toBe('ObjectRemoved:Delete');
    expect(event.Records[0]?.s3.bucket.name).toBe('example-bucket');
    expect(Object.keys(event.Records[0]?.s3.object ?? {})).toEqual(['key', 'sequencer']);
  });

  it('another s3 event is a usage error', async () => {
    await expect(generateEventCommand(['s3', 'copy'])).rejects.toThrow(/unknown s3 event "copy"/);
  });
});

describe('generate-event dynamodb update: the event a stream event source hands a function', () => {
  it('an INSERT, a MODIFY and a REMOVE of one item with the images NEW_AND_OLD_IMAGES keeps, on the table`s stream', async () => {
    const event = JSON.parse(await generateEventCommand(['dynamodb', 'update', '--table', 'Orders', '--region', 'eu-west-1'])) as { Records: { eventName: string; eventSource: string; eventSourceARN: string; dynamodb: Json }[] };

    expect(event.Records.map((r) => [r.eventName, Object.keys(r.dynamodb).filter((k) => k.endsWith('Image')).sort()])).toEqual([
      ['INSERT', ['NewImage']],
      ['MODIFY', ['NewImage', 'OldImage']],
      ['REMOVE', ['OldImage']],
    ]);
    expect(event.Records[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventVersion: '1.1', awsRegion: 'eu-west-1', eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/1970-01-01T00:00:00.000' });
  });

  it('SizeBytes is DynamoDB`s size of each record`s Keys and images (26, 59, 38 in SAM`s own dynamodb update event)', async () => {
    const event = JSON.parse(await generateEventCommand(['dynamodb', 'update'])) as { Records: { dynamodb: { SizeBytes: number } }[] };

    expect(event.Records.map((r) => r.dynamodb.SizeBytes)).toEqual([26, 59, 38]);
  });

  it('another dynamodb event is a usage error', async () => {
    await expect(generateEventCommand(['dynamodb', 'scan'])).rejects.toThrow(/unknown dynamodb event "scan"/);
  });
});
