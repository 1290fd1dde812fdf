/**
 * An EventBridge rule's API Gateway target (EventBridge User Guide, "Amazon API Gateway targets for rules"): the ARN's
 * wildcards filled from PathParameterValues, query string and headers from HttpParameters (`$.` values read from the
 * event), the input as the JSON body, signed with a RoleArn; against a stand-in server, then end to end: a rule that
 * refreshes a cached method of the template's API (Cache-Control: max-age=0, signed), as a cache-invalidation app does.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargetProblem, invokeApiTarget, parseExecuteApiArn, type ApiTargets } from '../../../../emulator/services/eventbridge/api-target.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { verifySignature } from '../../../../emulator/services/sigv4.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { eventAppForSuite } from '../../support/event-app.js';

const CREDENTIALS = { accessKeyId: 'AKIDTARGET', secretAccessKey: 'target-secret' };
const EVENT = { id: 'e-1', source: 'shop', detail: { item: { id: 'sku 7' }, store: 'north' } };

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
const requests: Recorded[] = [];
let apis: ApiTargets;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.url!.includes('/broken') ? 502 : 200, { 'Content-Type': 'application/json' });
      res.end(req.url!.includes('/broken') ? '{"message": "Internal server error"}' : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  apis = { ids: ['abc123'], origin: (id) => (id === 'abc123' ? origin : undefined), credentials: CREDENTIALS, region: 'us-east-1' };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the target ARN', () => {
  it('names the API, stage, method and path; any other ARN is none', () => {
    expect(parseExecuteApiArn('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/post/items/*/notes')).toEqual({ apiId: 'abc123', stage: 'prod', method: 'POST', path: '/items/*/notes' });
    expect(parseExecuteApiArn('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET')).toEqual({ apiId: 'abc123', stage: 'prod', method: 'GET', path: '/' });
    expect(parseExecuteApiArn('arn:aws:sqs:us-east-1:123456789012:queue')).toBeUndefined();
  });

  it.each([
    { name: 'a wildcard without its value', arn: 'arn:aws:execute-api:us-east-1:1:abc123/prod/GET/items/*', parameters: {}, problem: /1 wildcard\(s\) and PathParameterValues 0/ },
    { name: 'a header EventBridge does not let a target set', arn: 'arn:aws:execute-api:us-east-1:1:abc123/prod/GET/items', parameters: { headerParameters: { Authorization: 'x' } }, problem: /Authorization is not permitted/ },
    { name: 'no method', arn: 'arn:aws:execute-api:us-east-1:1:abc123/prod/*/items', parameters: {}, problem: /no HTTP method/ },
    { name: 'no stage', arn: 'arn:aws:execute-api:us-east-1:1:abc123/*/GET/items', parameters: {}, problem: /no stage/ },
  ])('is refused with $name', ({ arn, parameters, problem }) => {
    expect(apiTargetProblem(parseExecuteApiArn(arn)!, parameters)).toMatch(problem);
  });
});

describe('a delivery', () => {
  it('fills the path in order, adds query and headers (values from the event where they start with $.), posts the input, signed with a RoleArn', async () => {
    requests.length = 0;
    const input = JSON.stringify(EVENT);

    const outcome = await invokeApiTarget('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/PUT/stores/*/items/*', { pathParameterValues: ['$.detail.store', '$.detail.item.id'], queryStringParameters: { from: 'rule', id: '$.id' }, headerParameters: { 'Cache-Control': 'max-age=0' } }, true, EVENT, input, apis);

    expect(outcome).toBeUndefined();
    const [got] = requests;
    expect(got).toMatchObject({ method: 'PUT', url: '/prod/stores/north/items/sku%207?from=rule&id=e-1', body: input });
    expect(got!.headers).toMatchObject({ 'cache-control': 'max-age=0', 'content-type': 'application/json; charset=utf-8' });
    const headers = Object.fromEntries(Object.entries(got!.headers).map(([k, v]) => [k, Array.isArray(v) ? v : [v ?? '']]));
    expect(verifySignature({ method: 'PUT', url: got!.url, headers, body: Buffer.from(got!.body) }, CREDENTIALS, { service: 'execute-api', region: 'us-east-1', hashBody: true })).toBeUndefined();
  });

  it('without a RoleArn goes unsigned; a non-2xx answer is the delivery`s error', async () => {
    requests.length = 0;

    const outcome = await invokeApiTarget('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/broken', undefined, false, EVENT, '{}', apis);

    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(outcome).toBe('POST /prod/broken answered 502: {"message": "Internal server error"}');
  });
});

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  ShopApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      CacheClusterEnabled: true
      MethodSettings:
        - ResourcePath: /~1prices~1{sku}
          HttpMethod: GET
          CachingEnabled: true
          CacheTtlInSeconds: 300
      DefinitionBody:
        openapi: 3.0.1
        info: { title: shop, version: '1' }
        paths:
          /prices/{sku}:
            get:
              x-amazon-apigateway-integration:
                type: mock
                cacheKeyParameters: [method.request.path.sku]
                requestTemplates:
                  application/json: '{"statusCode": 200}'
                responses:
                  default:
                    statusCode: '200'
                    responseTemplates:
                      application/json: '{"sku": "$input.params(''sku'')", "answeredFor": "$context.requestId"}'
  ShopBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: shop-bus
  InvokeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }
  PriceChanged:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref ShopBus
      EventPattern: { source: [shop.prices] }
      Targets:
        - Id: RefreshPrice
          Arn: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${ShopApi}/live/GET/prices/*
          RoleArn: !GetAtt InvokeRole.Arn
          HttpParameters:
            PathParameterValues: [$.detail.sku]
            HeaderParameters:
              Cache-Control: max-age=0
`;

const reports = new AwaitedReports<DeliveryReport>();
const app = eventAppForSuite('api-target-', { 'template.yaml': TEMPLATE }, () => undefined, { onEventDelivery: reports.add });

describe('R9.4 a rule refreshing a cached method of the template`s API', () => {
  it('the startup report names the target; an event makes the next client answer a fresh one', async () => {
    const emulator = app();
    const base = emulator.apis.find((a) => a.logicalId === 'ShopApi')!.url.replace(/\/$/, '');
    const first = (await (await fetch(`${base}/prices/p-1`)).json()) as { answeredFor: string };
    const cached = (await (await fetch(`${base}/prices/p-1`)).json()) as { answeredFor: string };
    const events = new EventBridgeClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_EVENTBRIDGE!, credentials: emulator.credentials });

    const put = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: 'shop-bus', Source: 'shop.prices', DetailType: 'PriceChanged', Detail: JSON.stringify({ sku: 'p-1' }) }] }));
    const delivered = await reports.where((r) => r.eventId === put.Entries![0]!.EventId);
    const after = (await (await fetch(`${base}/prices/p-1`)).json()) as { sku: string; answeredFor: string };

    expect(emulator.eventNotes).toContain('PriceChanged (bus shop-bus): delivers to GET /live/prices/* (API Gateway)');
    expect(cached.answeredFor).toBe(first.answeredFor);
    expect(delivered).toMatchObject({ kind: 'execute-api', outcome: 'ok' });
    expect(after.sku).toBe('p-1');
    expect(after.answeredFor).not.toBe(first.answeredFor);
  });
});
