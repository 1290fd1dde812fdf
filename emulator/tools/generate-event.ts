/**
 * `sam-local-gateway generate-event apigateway <event>`: the events API Gateway sends to Lambda, built by the
 * gateway's own event builders (the same code that serves requests), like `sam local generate-event apigateway`;
 * and `sqs receive-message`, built by the SQS pollers' record builder.
 */
import { buildProxyEvent } from '../gateway/proxy-event.js';
import { authorizerEvent, identityValue, routeArnOf } from '../gateway/http/authorization.js';
import { eventV1, eventV2 } from '../gateway/http/events.js';
import { initialHttpState, type HttpRequestState } from '../gateway/http/state.js';
import { newExtendedRequestId, newRequestId, readQuery, type HeaderList, type RequestState } from '../gateway/request-state.js';
import { traceFor } from '../gateway/trace.js';
import { methodArn, requestEvent, tokenEvent } from '../identity/authorizer-event.js';
import { authorizerRequest } from '../identity/gateway-stage.js';
import { randomUUID } from 'node:crypto';
import { md5Hex } from '../services/sqs/md5.js';
import { sqsRecord, type SqsRecord } from '../services/sqs/event-source.js';
import { s3EventRecord } from '../services/s3/notifications.js';
import { lambdaRecord } from '../services/dynamodb-streams/event-source.js';
import type { StreamRecord } from '../services/dynamodb-streams/capture.js';
import { recordSizeBytes } from '../services/dynamodb-streams/item-size.js';
import { md5Etag } from '../services/s3/store.js';
import { parseOptions, UsageError } from './args.js';

/** The SAM CLI's four apigateway events (same names), and the HTTP API Lambda authorizer's, which SAM lacks. */
const EVENTS = {
  'aws-proxy': 'REST API Lambda proxy integration event (payload 1.0)',
  'http-api-proxy': 'HTTP API Lambda proxy integration event (payload 2.0; --payload-format-version 1.0)',
  authorizer: 'REST API Lambda TOKEN authorizer event',
  'request-authorizer': 'REST API Lambda REQUEST authorizer event',
  'http-api-authorizer': 'HTTP API Lambda REQUEST authorizer event (payload 2.0; --payload-format-version 1.0)',
} as const;
type EventName = keyof typeof EVENTS;

export const GENERATE_EVENT_USAGE = `usage: sam-local-gateway generate-event apigateway <event> [options]     (like sam local generate-event)
${Object.entries(EVENTS)
  .map(([name, what]) => `  ${name.padEnd(20)} ${what}`)
  .join('\n')}
       sam-local-gateway generate-event sqs receive-message [--body <text>] [--queue-name <name>]
                         the SQS event an event source mapping hands a function (one record; --body default
                         "Hello from SQS!", --queue-name default MyQueue; --account-id, --region below)
       sam-local-gateway generate-event s3 put|delete [--bucket <name>] [--key <key>] [--body <text>]
                         the S3 event a bucket notification hands a function (one record; --bucket default
                         example-bucket, --key default test/key, --body the object, default 1,024 bytes)
       sam-local-gateway generate-event dynamodb update [--table <name>]
                         the DynamoDB stream event a stream event source hands a function: an INSERT, a MODIFY and
                         a REMOVE of one item (NEW_AND_OLD_IMAGES; --table default ExampleTableWithStream)
options:
  --method <verb>        HTTP method (default: GET)
  --path <path>          request path after the stage, with or without its leading / (default: /examplepath)
  --resource <template>  REST resource or HTTP route path (default: /{proxy+})
  --operation-name <id>  aws-proxy: the method's operation name (OpenAPI operationId), requestContext.operationName
  --stage <name>         stage (default: prod; $default for http-api-proxy)
  --query <a=1&b=2>      query string
  --body <text>          request body (sent as application/json)
  --token <value>        authorization token, the Authorization header (default: allow)
  --header <"Name: v">   another request header (repeatable)
  --stage-variables <a=1&b=2>          the stage's variables (default: none)
  --payload-format-version <1.0|2.0>   HTTP API events only (default: 2.0)
  --identity-source <s,...>            http-api-authorizer: $request.header.X, $request.querystring.X,
                         $context.X (default: $request.header.Authorization)
  --api-id <id>          (default: 1234567890)
  --account-id <id>      (default: 123456789012)
  --region <name>        (default: us-east-1)`;

function parse(argv: string[]) {
  return parseOptions(
    argv,
    {
      method: { type: 'string', default: 'GET' },
      path: { type: 'string', default: '/examplepath' },
      resource: { type: 'string', default: '/{proxy+}' },
      'operation-name': { type: 'string' },
      stage: { type: 'string' },
      query: { type: 'string', default: '' },
      body: { type: 'string' },
      token: { type: 'string', default: 'allow' },
      header: { type: 'string', multiple: true, default: [] },
      'payload-format-version': { type: 'string', default: '2.0' },
      'identity-source': { type: 'string', default: '$request.header.Authorization' },
      'api-id': { type: 'string', default: '1234567890' },
      'stage-variables': { type: 'string', default: '' },
      'account-id': { type: 'string', default: '123456789012' },
      region: { type: 'string', default: 'us-east-1' },
      'queue-name': { type: 'string', default: 'MyQueue' },
      bucket: { type: 'string', default: 'example-bucket' },
      key: { type: 'string', default: 'test/key' },
      table: { type: 'string', default: 'ExampleTableWithStream' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    GENERATE_EVENT_USAGE,
  );
}

type Options = ReturnType<typeof parse>['values'];

/** `--stage-variables a=1&b=2`, or null (R1.18, H4.13: no variables is null). */
function stageVariablesOf(o: Options): Record<string, string> | null {
  const vars = Object.fromEntries(new URLSearchParams(o['stage-variables']));
  return Object.keys(vars).length > 0 ? vars : null;
}

/** Path parameters of `path` under a resource template: `{name}` takes one segment, `{name+}` the rest. */
export function pathParametersOf(resource: string, path: string): Record<string, string> | null | undefined {
  const template = resource.split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (const [i, part] of template.entries()) {
    const variable = /^\{([^}+]+)(\+?)\}$/.exec(part);
    if (variable?.[2]) {
      if (i >= segments.length) return undefined;
      params[variable[1] as string] = segments.slice(i).join('/');
      return params;
    }
    if (i >= segments.length) return undefined;
    if (variable) params[variable[1] as string] = segments[i] as string;
    else if (part !== segments[i]) return undefined;
  }
  if (segments.length !== template.length) return undefined;
  return Object.keys(params).length > 0 ? params : null;
}

function requestHeaders(o: Options): HeaderList {
  const headers: HeaderList = [
    ['Host', `${o['api-id']}.execute-api.${o.region}.amazonaws.com`],
    ['User-Agent', 'sam-local-gateway generate-event'],
    ['Accept', '*/*'],
    ['Authorization', o.token],
  ];
  if (o.body !== undefined) headers.push(['Content-Type', 'application/json']);
  for (const line of o.header) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--header "${line}" is not "Name: value"`, GENERATE_EVENT_USAGE);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** The REST pipeline's state for this request, its route matched. */
function restState(o: Options, stage: string, pathParameters: Record<string, string> | null): RequestState {
  const now = Date.now();
  const headers = requestHeaders(o);
  const method = o.method.toUpperCase();
  return {
    requestId: newRequestId(),
    extendedRequestId: newExtendedRequestId(),
    requestTimeEpoch: now,
    httpMethod: method,
    stage,
    contextPath: `/${stage}${o.path}`,
    path: o.path,
    headers,
    query: readQuery(new URL(`http://x/?${o.query}`)),
    body: new TextEncoder().encode(o.body ?? ''),
    sourceIp: '127.0.0.1',
    trace: traceFor(headers, now),
    route: { route: { method, resourcePath: o.resource, operation: o['operation-name'] ? { operationId: o['operation-name'] } : {}, parameters: [], integration: undefined, location: '' }, resourcePath: o.resource, pathParameters },
  };
}

/** The HTTP API pipeline's state for this request, its route matched (as the gateway has it when it invokes). */
function httpState(o: Options, stage: string, pathParameters: Record<string, string> | null): HttpRequestState {
  const prefix = stage === '$default' ? '' : `/${stage}`;
  const pairs = requestHeaders(o);
  const request = new Request(`https://${o['api-id']}.execute-api.${o.region}.amazonaws.com${prefix}${o.path}${o.query ? `?${o.query}` : ''}`, { method: o.method.toUpperCase(), headers: pairs });
  const state = initialHttpState(request, { remoteAddress: '127.0.0.1', rawHeaders: pairs.flat() }, Date.now());
  state.path = o.path;
  state.port = '443';
  state.body = new TextEncoder().encode(o.body ?? '');
  state.stage = { name: stage, stageVariables: stageVariablesOf(o), defaultThrottle: {}, routeThrottle: {} };
  state.match = { route: { routeKey: `${o.method.toUpperCase()} ${o.resource}`, authorizationType: 'NONE', authorizationScopes: [], location: '' }, routePath: o.resource, pathParameters };
  return state;
}

/** H8.2/H8.3: the authorizer's event; API Gateway invokes no authorizer (401) when an identity source has no value (H8.4). */
function httpAuthorizerEvent(o: Options, state: HttpRequestState, version: '1.0' | '2.0'): Record<string, unknown> {
  const api = { accountId: o['account-id'], apiId: o['api-id'] };
  const sources = o['identity-source'].split(',').map((s) => s.trim()).filter(Boolean);
  const values = sources.map((source) => identityValue(state, source, api));
  const missing = sources.filter((_, i) => values[i] === undefined || values[i] === '');
  if (missing.length > 0) throw new UsageError(`identity source ${missing.join(', ')} has no value in this request: API Gateway answers 401 without invoking the authorizer`, GENERATE_EVENT_USAGE);
  return authorizerEvent({ payloadFormatVersion: version }, state, api, values as string[], routeArnOf(state, { ...api, region: o.region }));
}

function httpApiEvent(o: Options, event: 'http-api-proxy' | 'http-api-authorizer', stage: string, pathParameters: Record<string, string> | null): Record<string, unknown> {
  const version = o['payload-format-version'];
  if (version !== '1.0' && version !== '2.0') throw new UsageError(`--payload-format-version is 1.0 or 2.0, not ${version}`, GENERATE_EVENT_USAGE);
  const state = httpState(o, stage, pathParameters);
  if (event === 'http-api-authorizer') return httpAuthorizerEvent(o, state, version);
  const api = { accountId: o['account-id'], apiId: o['api-id'] };
  return version === '2.0' ? eventV2(state, api) : eventV1(state, api);
}

/** The event an SQS event source mapping hands a function, built by the pollers' own record builder. */
function sqsEvent(o: Options): { Records: SqsRecord[] } {
  const body = o.body ?? 'Hello from SQS!';
  const now = String(Date.now());
  const message = {
    MessageId: randomUUID(),
    ReceiptHandle: Buffer.from(`${o['queue-name']}\0${randomUUID()}`).toString('base64'),
    MD5OfBody: md5Hex(body),
    Body: body,
    Attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: now },
  };
  return { Records: [sqsRecord(message, `arn:aws:sqs:${o.region}:${o['account-id']}:${o['queue-name']}`, o.region)] };
}

/** The event a bucket notification hands a function, built by the embedded S3's own record builder. */
function s3Event(o: Options, name: 'put' | 'delete'): { Records: Record<string, unknown>[] } {
  const body = Buffer.from(o.body ?? 'x'.repeat(1024));
  const now = Date.now();
  const put = name === 'put';
  const change = { eventName: put ? ('ObjectCreated:Put' as const) : ('ObjectRemoved:Delete' as const), bucket: o.bucket, key: o.key, requestId: randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase() };
  const object = put ? { object: { key: o.key, body, etag: md5Etag(body), lastModified: now, headers: {}, metadata: {} } } : {};
  const spec = { id: 'testConfigRule', bucket: o.bucket, events: [`s3:${change.eventName}`], target: '' };
  return s3EventRecord(spec, { ...change, ...object }, { region: o.region, accountId: o['account-id'], time: now, sequencer: now.toString(16).toUpperCase().padStart(16, '0') });
}

/** An INSERT, a MODIFY and a REMOVE of one item, as the stream event sources build them (SAM's `dynamodb update` shape). */
function dynamoDbEvent(o: Options): { Records: unknown[] } {
  const streamArn = `arn:aws:dynamodb:${o.region}:${o['account-id']}:table/${o.table}/stream/1970-01-01T00:00:00.000`;
  const keys = { Id: { N: '101' } };
  const v1 = { ...keys, Message: { S: 'New item!' } };
  const v2 = { ...keys, Message: { S: 'This item has changed' } };
  const at = Math.floor(Date.now() / 1000);
  const record = (n: number, eventName: StreamRecord['eventName'], old?: Record<string, unknown>, now?: Record<string, unknown>): StreamRecord => {
    const images = { ...(now ? { NewImage: now } : {}), ...(old ? { OldImage: old } : {}) };
    return {
      eventID: String(n),
      eventName,
      streamArn,
      dynamodb: { ApproximateCreationDateTime: at, Keys: keys, ...images, SequenceNumber: String(10n ** 20n + BigInt(n)), SizeBytes: recordSizeBytes({ Keys: keys, ...images }), StreamViewType: 'NEW_AND_OLD_IMAGES' },
    };
  };
  return { Records: [record(1, 'INSERT', undefined, v1), record(2, 'MODIFY', v1, v2), record(3, 'REMOVE', v2)].map((r) => lambdaRecord(r, o.region)) };
}

/** Print the event named by `apigateway <event>`, `sqs receive-message`, `s3 put|delete` or `dynamodb update` as JSON. */
export async function generateEventCommand(argv: string[]): Promise<string> {
  const { values: o, positionals } = parse(argv);
  if (o.help || positionals.length === 0) return GENERATE_EVENT_USAGE;
  const [service, name, ...extra] = positionals;
  if (service === 'sqs') {
    if (name !== 'receive-message' || extra.length > 0) throw new UsageError(`unknown sqs event "${[name, ...extra].join(' ')}" (sqs has receive-message)`, GENERATE_EVENT_USAGE);
    return JSON.stringify(sqsEvent(o), null, 2);
  }
  if (service === 's3') {
    if ((name !== 'put' && name !== 'delete') || extra.length > 0) throw new UsageError(`unknown s3 event "${[name, ...extra].join(' ')}" (s3 has put and delete)`, GENERATE_EVENT_USAGE);
    return JSON.stringify(s3Event(o, name), null, 2);
  }
  if (service === 'dynamodb') {
    if (name !== 'update' || extra.length > 0) throw new UsageError(`unknown dynamodb event "${[name, ...extra].join(' ')}" (dynamodb has update)`, GENERATE_EVENT_USAGE);
    return JSON.stringify(dynamoDbEvent(o), null, 2);
  }
  if (service !== 'apigateway') throw new UsageError(`unknown service "${service}": apigateway, sqs, s3 and dynamodb events are generated`, GENERATE_EVENT_USAGE);
  if (!name || !(name in EVENTS) || extra.length > 0) throw new UsageError(`unknown apigateway event "${[name, ...extra].join(' ')}"`, GENERATE_EVENT_USAGE);
  // SAM's own --path takes no leading slash (its template writes `/{{path}}`): both forms read the same.
  if (!o.path.startsWith('/')) o.path = `/${o.path}`;
  if (!o.resource.startsWith('/')) o.resource = `/${o.resource}`;
  const pathParameters = pathParametersOf(o.resource, o.path);
  if (pathParameters === undefined) throw new UsageError(`--path ${o.path} does not match --resource ${o.resource}`, GENERATE_EVENT_USAGE);
  const event = name as EventName;
  const http = event === 'http-api-proxy' || event === 'http-api-authorizer';
  const stage = o.stage ?? (http ? '$default' : 'prod');
  if (http) return JSON.stringify(httpApiEvent(o, event, stage, pathParameters), null, 2);
  const state = restState(o, stage, pathParameters);
  const env = { accountId: o['account-id'], apiId: o['api-id'], stageVariables: stageVariablesOf(o) };
  if (event === 'aws-proxy') return JSON.stringify(buildProxyEvent(state, env, []), null, 2);
  const arn = methodArn({ region: o.region, accountId: o['account-id'], restApiId: o['api-id'], stage }, state.httpMethod, o.path);
  if (event === 'authorizer') return JSON.stringify(tokenEvent(o.token, arn), null, 2);
  const request = authorizerRequest(state, { accountId: o['account-id'] }, { restApiId: o['api-id'], stageVariables: stageVariablesOf(o) });
  return JSON.stringify(requestEvent(request, arn), null, 2);
}
