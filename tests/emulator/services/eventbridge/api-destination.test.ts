/**
 * EventBridge API destinations (User Guide, "API destinations as targets"): the request EventBridge sends (its own
 * headers, the endpoint's wildcards, the target's HttpParameters merged with the connection's, the connection's wins),
 * each connection authorization (API key, Basic, OAuth client credentials with its token kept and fetched again after
 * a 401), what counts as delivered; against a stand-in server (it stands for the third party's endpoint), then end to
 * end: rules of a template sending events to a stand-in webhook and to the template's own API by its execute-api URL.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from 'vitest';
import { API_DESTINATION_HEADERS, invokeApiDestination, OAuthTokens } from '../../../../emulator/services/eventbridge/api-destination.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import type { ApiDestinationSpec, ConnectionAuthorization } from '../../../../emulator/template/model.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { standInServer } from '../../support/stand-in-server.js';
import { eventAppForSuite } from '../../support/event-app.js';

const EVENT = { id: 'e-1', source: 'shop', detail: { order: 'o 7', total: 12 } };
const NO_PARAMETERS = { headers: [], query: [], body: [] };

/** What the stand-in answers a path with (200 `{}` by default). */
let answers: Record<string, { status: number; body: string }[]> = {};
const stand = standInServer((path) => {
  const answer = answers[path]?.shift() ?? { status: 200, body: '{}' };
  return { ...answer, headers: { 'Content-Type': 'application/json' } };
});
const requests = stand.requests;
const silent = stand.silent;
let origin: string;
beforeEach(() => {
  origin = stand.origin();
  answers = {};
});

const destination = (authorization: ConnectionAuthorization, extra: Partial<ApiDestinationSpec> = {}): ApiDestinationSpec => ({
  logicalId: 'Hook',
  arn: 'arn:aws:events:us-east-1:123456789012:api-destination/hook/1',
  endpoint: `${origin}/hooks/*`,
  method: 'POST',
  connection: { logicalId: 'HookConnection', authorization, invocation: NO_PARAMETERS },
  ...extra,
});
const API_KEY: ConnectionAuthorization = { type: 'API_KEY', name: 'x-api-key', value: 'k-1' };
const OAUTH: ConnectionAuthorization = { type: 'OAUTH_CLIENT_CREDENTIALS', endpoint: '', method: 'POST', clientId: 'client', clientSecret: 's3cret', parameters: { headers: [['x-tenant', 't1']], query: [['audience', 'orders']], body: [['grant_type', 'client_credentials']] } };
const oauth = (): ConnectionAuthorization => ({ ...OAUTH, endpoint: `${origin}/token` } as ConnectionAuthorization);

describe('the request EventBridge sends', () => {
  it('carries its own headers, the wildcard filled from the event, the target`s HttpParameters under the connection`s, the input as body', async () => {
    const input = JSON.stringify(EVENT);
    const spec = destination(API_KEY);
    spec.connection!.invocation = { headers: [['x-source', 'connection']], query: [['v', 'connection']], body: [['from', 'connection']] };

    const outcome = await invokeApiDestination(spec, { pathParameterValues: ['$.detail.order'], headerParameters: { 'x-source': 'target', 'x-order': '$.detail.order' }, queryStringParameters: { v: 'target', id: '$.id' } }, EVENT, input, { destinations: [spec] }, new OAuthTokens());

    expect(outcome).toBeUndefined();
    const [got] = requests;
    expect(got).toMatchObject({ method: 'POST', url: '/hooks/o%207?v=connection&id=e-1' });
    expect(JSON.parse(got!.body)).toEqual({ ...EVENT, from: 'connection' });
    expect(got!.headers).toMatchObject({ 'x-source': 'connection', 'x-order': 'o 7', 'x-api-key': 'k-1', 'content-length': String(Buffer.byteLength(got!.body)) });
    for (const [name, value] of Object.entries(API_DESTINATION_HEADERS)) expect(got!.headers[name.toLowerCase()]).toBe(value);
  });

  it('a body that is no JSON object goes as it is; a HEAD request has none', async () => {
    const spec = destination(API_KEY);
    spec.connection!.invocation = { ...NO_PARAMETERS, body: [['from', 'connection']] };

    await invokeApiDestination(spec, { pathParameterValues: ['a'] }, EVENT, '"plain text"', { destinations: [spec] }, new OAuthTokens());
    await invokeApiDestination({ ...spec, method: 'HEAD' }, { pathParameterValues: ['b'] }, EVENT, '{}', { destinations: [spec] }, new OAuthTokens());

    expect(requests.map((r) => [r.method, r.body])).toEqual([['POST', '"plain text"'], ['HEAD', '']]);
  });

  it('a deployed URL of a local API is called on its local port', async () => {
    const spec = destination(API_KEY, { endpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com/live/orders' });

    const outcome = await invokeApiDestination(spec, undefined, EVENT, '{}', { destinations: [spec], localUrl: (url) => url.replace('https://abc123.execute-api.us-east-1.amazonaws.com', origin) }, new OAuthTokens());

    expect(outcome).toBeUndefined();
    expect(requests[0]!.url).toBe('/live/orders');
  });
});

describe('the connection`s authorization', () => {
  it('BASIC sends the username and password as HTTP Basic credentials', async () => {
    const spec = destination({ type: 'BASIC', username: 'shop', password: 'p:w' });

    await invokeApiDestination(spec, { pathParameterValues: ['x'] }, EVENT, '{}', { destinations: [spec] }, new OAuthTokens());

    expect(requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('shop:p:w').toString('base64')}`);
  });

  it('OAUTH_CLIENT_CREDENTIALS fetches a token with the client`s credentials and OAuthHttpParameters, then keeps it until it expires', async () => {
    let now = 1_000_000;
    const tokens = new OAuthTokens(() => now);
    const spec = destination(oauth());
    answers['/token'] = [{ status: 200, body: '{"access_token":"t-1","token_type":"Bearer","expires_in":60}' }, { status: 200, body: '{"access_token":"t-2","expires_in":60}' }];

    await invokeApiDestination(spec, { pathParameterValues: ['1'] }, EVENT, '{}', { destinations: [spec] }, tokens);
    await invokeApiDestination(spec, { pathParameterValues: ['2'] }, EVENT, '{}', { destinations: [spec] }, tokens);
    now += 61_000;
    await invokeApiDestination(spec, { pathParameterValues: ['3'] }, EVENT, '{}', { destinations: [spec] }, tokens);

    expect(requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization}`)).toEqual([
      `POST /token?audience=orders Basic ${Buffer.from('client:s3cret').toString('base64')}`,
      'POST /hooks/1 Bearer t-1',
      'POST /hooks/2 Bearer t-1',
      `POST /token?audience=orders Basic ${Buffer.from('client:s3cret').toString('base64')}`,
      'POST /hooks/3 Bearer t-2',
    ]);
    expect(requests[0]).toMatchObject({ body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-tenant': 't1' } });
  });

  it('a 401 from the endpoint has the token fetched again and the request sent once more', async () => {
    const spec = destination(oauth());
    answers['/token'] = [{ status: 200, body: '{"access_token":"old"}' }, { status: 200, body: '{"access_token":"new"}' }];
    answers['/hooks/x'] = [{ status: 401, body: '{"message":"expired"}' }];

    const outcome = await invokeApiDestination(spec, { pathParameterValues: ['x'] }, EVENT, '{}', { destinations: [spec] }, new OAuthTokens());

    expect(outcome).toBeUndefined();
    expect(requests.filter((r) => r.url === '/hooks/x').map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('a token endpoint that refuses fails the delivery with its answer', async () => {
    const spec = destination(oauth());
    answers['/token'] = [{ status: 400, body: '{"error":"invalid_client"}' }];

    const outcome = await invokeApiDestination(spec, { pathParameterValues: ['x'] }, EVENT, '{}', { destinations: [spec] }, new OAuthTokens());

    expect(outcome).toMatch(/token endpoint .*\/token answered 400: \{"error":"invalid_client"\}/);
    expect(requests.map((r) => r.url)).toEqual(['/token?audience=orders']);
  });
});

describe('what counts as delivered', () => {
  it.each([
    { status: 200, want: undefined },
    { status: 204, want: undefined },
    { status: 400, want: /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/x answered 400: no$/ },
    { status: 429, want: /answered 429 \(EventBridge would retry it\): no/ },
    { status: 503, want: /answered 503 \(EventBridge would retry it\): no/ },
  ])('an answer $status is $want', async ({ status, want }) => {
    answers['/hooks/x'] = [{ status, body: status === 204 ? '' : 'no' }];
    const spec = destination(API_KEY);

    const outcome = await invokeApiDestination(spec, { pathParameterValues: ['x'] }, EVENT, '{}', { destinations: [spec] }, new OAuthTokens());

    if (want === undefined) expect(outcome).toBeUndefined();
    else expect(outcome).toMatch(want);
  });

  it('an endpoint that does not answer within the limit fails the delivery', async () => {
    silent.add('/hooks/slow');
    const spec = destination(API_KEY);

    const outcome = await invokeApiDestination(spec, { pathParameterValues: ['slow'] }, EVENT, '{}', { destinations: [spec], timeoutMs: 50 }, new OAuthTokens());

    expect(outcome).toMatch(/\/hooks\/slow: no answer within 0.05 s/);
  });

  it.each([
    { given: 'a wildcard without its value', spec: () => destination(API_KEY), parameters: undefined, want: /has 1 wildcard\(s\) and PathParameterValues 0 value\(s\)/ },
    { given: 'a destination EventBridge would refuse', spec: () => destination(API_KEY, { problem: 'its ConnectionArn x is not a connection of this template' }), parameters: { pathParameterValues: ['x'] }, want: /^its ConnectionArn x/ },
  ])('$given sends nothing', async ({ spec, parameters, want }) => {
    const outcome = await invokeApiDestination(spec(), parameters, EVENT, '{}', { destinations: [spec()] }, new OAuthTokens());

    expect(outcome).toMatch(want);
    expect(requests).toEqual([]);
  });
});

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  WebhookUrl:
    Type: String
    Default: STAND_IN/webhook/*
Resources:
  ShopApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      DefinitionBody:
        openapi: 3.0.1
        info: { title: shop, version: '1' }
        paths:
          /orders:
            post:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates:
                  application/json: '{"statusCode": 201}'
                responses:
                  default:
                    statusCode: '201'
  HookSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: hook-secret
      SecretString: '{"token": "from-the-secret"}'
  HookConnection:
    Type: AWS::Events::Connection
    Properties:
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters:
          ApiKeyName: x-api-key
          ApiKeyValue: '{{resolve:secretsmanager:hook-secret:SecretString:token}}'
  Webhook:
    Type: AWS::Events::ApiDestination
    Properties:
      ConnectionArn: !GetAtt HookConnection.Arn
      InvocationEndpoint: !Ref WebhookUrl
      HttpMethod: POST
      InvocationRateLimitPerSecond: 10
  OwnApi:
    Type: AWS::Events::ApiDestination
    Properties:
      ConnectionArn: !GetAtt HookConnection.Arn
      InvocationEndpoint: !Sub https://\${ShopApi}.execute-api.\${AWS::Region}.amazonaws.com/live/orders
      HttpMethod: POST
  Orphan:
    Type: AWS::Events::ApiDestination
    Properties:
      ConnectionArn: arn:aws:events:us-east-1:123456789012:connection/elsewhere/1
      InvocationEndpoint: https://hooks.example.com/in
      HttpMethod: POST
  OrderPlaced:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [shop.orders] }
      Targets:
        - Id: ToWebhook
          Arn: !GetAtt Webhook.Arn
          HttpParameters:
            PathParameterValues: [$.detail.order]
          InputTransformer:
            InputPathsMap: { order: $.detail.order }
            InputTemplate: '{"text": "order <order> placed"}'
        - Id: ToOwnApi
          Arn: !GetAtt OwnApi.Arn
        - Id: ToOrphan
          Arn: !GetAtt Orphan.Arn
`;

const reports = new AwaitedReports<DeliveryReport>();
const app = eventAppForSuite('api-destination-', { 'template.yaml': TEMPLATE }, (root) => {
  const path = join(root, 'template.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('STAND_IN', stand.origin()));
}, { onEventDelivery: reports.add });

describe('rules sending events to API destinations', () => {
  it('the startup report names each destination, what it calls and what is not applied', () => {
    const notes = app().eventNotes;

    expect(notes).toContain('OrderPlaced (bus default): delivers to Webhook (API destination), OwnApi (API destination), Orphan (API destination)');
    expect(notes).toContain(`OrderPlaced: target ToWebhook: calls POST ${origin}/webhook/* (API_KEY authorization; for real, outside this machine unless it names a local API)`);
    expect(notes).toContain('OrderPlaced: target ToWebhook: EventBridge calls HTTPS endpoints only; this one is called as written');
    expect(notes).toContain('OrderPlaced: target ToWebhook: InvocationRateLimitPerSecond 10 not applied (every event is sent at once)');
    expect(notes).toContain('OrderPlaced: target ToOrphan: Orphan its ConnectionArn arn:aws:events:us-east-1:123456789012:connection/elsewhere/1 is not a connection of this template: every delivery fails here');
  });

  it('an event reaches the webhook with the secret`s API key and the transformed input, and the template`s API on its local port', async () => {
    const emulator = app();
    const events = new EventBridgeClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_EVENTBRIDGE!, credentials: emulator.credentials });

    const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ order: 'o-9' }) }] }));
    const eventId = put.Entries![0]!.EventId;
    const [webhook, own, orphan] = await Promise.all(['ToWebhook', 'ToOwnApi', 'ToOrphan'].map((id) => reports.where((r) => r.eventId === eventId && r.targetId === id)));

    expect(webhook).toMatchObject({ kind: 'api-destination', target: 'Webhook', outcome: 'ok' });
    expect(own).toMatchObject({ kind: 'api-destination', target: 'OwnApi', outcome: 'ok' });
    expect(orphan).toMatchObject({ kind: 'api-destination', outcome: 'error', detail: expect.stringContaining('is not a connection of this template') });
    const got = requests.find((r) => r.url === '/webhook/o-9');
    expect(got).toMatchObject({ method: 'POST', body: '{"text": "order o-9 placed"}', headers: { 'x-api-key': 'from-the-secret', 'user-agent': 'Amazon/EventBridge/ApiDestinations' } });
  });
});
