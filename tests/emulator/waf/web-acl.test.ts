/**
 * The WAF web ACL of a stage through the real pipeline, on the test clock: its rules in priority order, their
 * actions and labels (W2), and what a blocked request gets and does not reach (W3). The fixture's API is mock-only;
 * the web ACL's other topics have files of their own beside this one (associations, inspection, rate-based,
 * managed rules, the start-up report).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import type { RequestLogEntry } from '../../../emulator/gateway/types.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { createIdentityStage } from '../../../emulator/identity/gateway-stage.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { limitsFor } from '../../../emulator/limits/index.js';
import type { LambdaInvoker } from '../../../emulator/lambda/types.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { tempLocalState } from '../identity/support/fixtures.js';
import { blockRule, byteMatch, local, useWafFixture, wafWith, world } from './support/world.js';

useWafFixture();

describe('W3.1 W3.2 a blocked request', () => {
  it('W3.1 [AMBIGUOUS W3.2] gets WAF_FILTERED: 403 {"message":"Forbidden"}, ForbiddenException', async () => {
    const got = await world().send('/v1/anything', { ip: '198.51.100.7' });
    expect(got).toEqual({ status: 403, type: 'ForbiddenException', body: '{"message":"Forbidden"}' });
  });

  it('W3.1 R8.3 WAF_FILTERED goes through the API gateway responses (customised to 404 here)', async () => {
    const got = await world().send('/closed/x', {}, 'ClosedApi');
    expect({ status: got.status, body: got.body }).toEqual({ status: 404, body: '{"blocked":true}' });
  });

  it('W1.4 the web ACL runs before routing: an unmatched method on a default-Block stage is WAF_FILTERED, not Missing Authentication Token', async () => {
    const got = await world().send('/closed/x', { method: 'DELETE' }, 'ClosedApi');
    expect(got.status).toBe(404);
    expect(got.body).toBe('{"blocked":true}');
  });
});

describe('W2 rules by priority, actions and labels', () => {
  it.each([
    { name: 'W2.3 no rule matches: the default action Allow', send: {}, path: '/v1/ok', want: 200 },
    { name: 'W5.4 an IP in the block set', send: { ip: '198.51.100.7' }, path: '/v1/ok', want: 403 },
    { name: 'W5.4 the neighbour of a /32 is not in the set', send: { ip: '198.51.100.8' }, path: '/v1/ok', want: 200 },
    { name: 'W5.4 an IPv6 address in a /32 range', send: { ip: '2001:db8::42' }, path: '/v1/ok', want: 403 },
    { name: 'W2.1 Allow at priority 0 ends evaluation: an allowed IP is not blocked by later rules', send: { ip: '203.0.113.9', headers: [['User-Agent', 'BadBot']] as [string, string][] }, path: '/v1/ok', want: 200 },
    { name: 'W2.2 Count does not terminate: GET /admin passes', send: {}, path: '/v1/admin/x', want: 200 },
    { name: 'W2.5 W5.5 a later rule sees the Count rule label: POST /admin is blocked', send: { method: 'POST' }, path: '/v1/admin/x', want: 403 },
    { name: 'W5.5 POST elsewhere has no label and passes', send: { method: 'POST', headers: [['Content-Type', 'application/json']] as [string, string][], body: '{}' }, path: '/v1/other', want: 200 },
    { name: 'W5.1 CONTAINS_WORD matches the word after LOWERCASE', send: { headers: [['User-Agent', 'Mozilla (BadBot; 1.0)']] as [string, string][] }, path: '/v1/ok', want: 403 },
    { name: 'W5.1 CONTAINS_WORD does not match inside a longer word', send: { headers: [['User-Agent', 'notbadbots']] as [string, string][] }, path: '/v1/ok', want: 200 },
    { name: 'W5.2 W5.7 RegexMatch after URL_DECODE and LOWERCASE', send: {}, path: '/v1/q?x=1%20UNION%20%20SELECT%202', want: 403 },
    { name: 'W5.2 the regex does not match other text', send: {}, path: '/v1/q?x=union', want: 200 },
    { name: 'W5.5 And + Not: POST /json without a JSON content type', send: { method: 'POST', headers: [['Content-Type', 'text/plain']] as [string, string][], body: 'x' }, path: '/v1/json', want: 403 },
    { name: 'W5.5 And + Not: POST /json with a JSON content type', send: { method: 'POST', headers: [['Content-Type', 'application/json']] as [string, string][], body: '{}' }, path: '/v1/json', want: 200 },
  ])('$name', async ({ send, path, want }) => {
    expect((await world().send(path, send)).status).toBe(want);
  });
});

describe('R8.10 W3.3 a WAF custom response takes precedence over the gateway responses', () => {
  const custom = {
    CustomResponseBodies: { teapot: { ContentType: 'APPLICATION_JSON', Content: '{"waf":"custom"}' }, page: { ContentType: 'TEXT_HTML', Content: '<p>blocked</p>' } },
    DefaultAction: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'teapot', ResponseHeaders: [{ Name: 'Retry-After', Value: '30' }] } } },
  };

  it('R8.10 the default action\'s custom response wins over ClosedApi\'s customised WAF_FILTERED (404 {"blocked":true})', async () => {
    // Act
    const got = await world(wafWith(custom, 'ClosedAcl')).exchange('/closed/x', {}, 'ClosedApi');

    // Assess
    expect({ status: got.status, body: got.body, type: got.type }).toEqual({ status: 429, body: '{"waf":"custom"}', type: null });
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('retry-after')).toBe('30');
    expect(got.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    { given: 'a rule\'s Block with ResponseCode and a TEXT_HTML body', action: { Block: { CustomResponse: { ResponseCode: 503, CustomResponseBodyKey: 'page' } } }, want: { status: 503, body: '<p>blocked</p>', contentType: 'text/html' } },
    { given: 'a rule\'s Block with only a ResponseCode (no body)', action: { Block: { CustomResponse: { ResponseCode: 418 } } }, want: { status: 418, body: '', contentType: null } },
    { given: 'a rule\'s plain Block still gets the (customised) WAF_FILTERED gateway response', action: { Block: {} }, want: { status: 404, body: '{"blocked":true}', contentType: 'application/json' } },
  ])('W3.3 $given', async ({ action, want }) => {
    // Prepare: the rule blocks every request (the default action would too)
    const tpl = wafWith({ ...custom, Rules: [{ ...blockRule(byteMatch({ Method: {} }, 'GET')), Action: action }] }, 'ClosedAcl');

    // Act
    const got = await world(tpl).exchange('/closed/x', {}, 'ClosedApi');

    // Assess
    expect({ status: got.status, body: got.body, contentType: got.headers.get('content-type') }).toEqual(want);
  });

  it('W3.3 custom responses are reported emulated', () => {
    // Act
    const items = world(wafWith(custom, 'ClosedAcl')).gateways.ClosedApi!.support;

    // Assess
    expect(items.find((s) => s.subject === 'WAF DefaultAction Block.CustomResponse')?.status).toBe('emulated');
  });
});

describe('W3.4 a blocked request reaches no authorizer, usage plan or integration', () => {
  const KEY = 'waf-guarded-key-000001';
  const SRC = resolve('tests/emulator/fixtures/sam-shapes/src');
  /** A Lambda proxy method behind a Cognito authorizer and an API key with a quota of 1 a day; the web ACL blocks 198.51.100.7. */
  const GUARDED = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ${SRC}, Handler: app.handler, Runtime: nodejs22.x}
  FnPermission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com}
  Pool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties: {UserPoolId: !Ref Pool}
  GuardedApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: guarded
      DefinitionBody:
        openapi: 3.0.3
        info: {title: guarded, version: '1'}
        paths:
          /items:
            get:
              security: [{ApiKey: [], Pool: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
        components:
          securitySchemes:
            ApiKey: {type: apiKey, name: x-api-key, in: header}
            Pool:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: cognito_user_pools
              x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [!GetAtt Pool.Arn]}
  Key:
    Type: AWS::ApiGateway::ApiKey
    Properties: {Enabled: true, Value: ${KEY}}
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages: [{ApiId: !Ref GuardedApi, Stage: !Ref GuardedApi.Stage}]
      Quota: {Limit: 1, Period: DAY}
  PlanKey:
    Type: AWS::ApiGateway::UsagePlanKey
    Properties: {KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan}
  BlockSet:
    Type: AWS::WAFv2::IPSet
    Properties: {Scope: REGIONAL, IPAddressVersion: IPV4, Addresses: [198.51.100.7/32]}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: {Allow: {}}
      VisibilityConfig: {CloudWatchMetricsEnabled: false, MetricName: guarded, SampledRequestsEnabled: false}
      Rules:
        - Name: block-bad-ip
          Priority: 0
          Action: {Block: {}}
          Statement: {IPSetReferenceStatement: {Arn: !GetAtt BlockSet.Arn}}
          VisibilityConfig: {CloudWatchMetricsEnabled: false, MetricName: bad-ip, SampledRequestsEnabled: false}
  Association:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${GuardedApi}/stages/\${GuardedApi.Stage}
      WebACLArn: !GetAtt Acl.Arn
`;
  let guarded: LoadedTemplate;
  const flushes: (() => void)[] = [];
  beforeAll(async () => {
    const file = join(local.dir, 'guarded.yaml');
    writeFileSync(file, GUARDED);
    guarded = await loadTemplate(file);
  });
  afterAll(() => flushes.forEach((flush) => flush()));

  /** The guarded stage with identity, limits and the web ACL; the FAKE invoker records every function call. */
  function guardedWorld() {
    const state = tempLocalState();
    const calls: string[] = [];
    const invoker: LambdaInvoker = {
      invoke: (id) => {
        calls.push(id);
        return Promise.resolve({ kind: 'ok', payload: { statusCode: 200, body: '{"ok":true}' }, cold: false, durationMs: 1 });
      },
    };
    const apiKeys = ApiKeyRegistry.fromTemplate(guarded, state.state);
    const cognito = CognitoPools.fromTemplate(guarded, state.state);
    const limits = limitsFor(guarded, state.state, new ManualClock(Date.UTC(2026, 10, 30, 12)));
    flushes.push(() => {
      limits.usage.flush();
      state.cleanup();
    });
    const api = guarded.apis[0]!;
    const entries: RequestLogEntry[] = [];
    const identity = createIdentityStage({ template: guarded, api, invoker, state: state.state, apiKeys, cognito });
    const gateway = createGateway({ api, template: guarded, invoker, identity, log: () => undefined, onRequest: (e) => entries.push(e), ...limits.forApi(api, guarded, apiKeys) });
    const token = cognito.issueToken({ sub: 'u1', tokenUse: 'id' });
    const send = async (ip: string, credentials = true) => {
      const pairs: [string, string][] = [['Host', 'localhost:3000'], ['User-Agent', 'vitest'], ...(credentials ? ([['Authorization', token], ['x-api-key', KEY]] as [string, string][]) : [])];
      const res = await gateway.fetch(new Request('http://localhost:3000/guarded/items', { headers: pairs }), { remoteAddress: ip, rawHeaders: pairs.flat() });
      return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.text() };
    };
    return { calls, entries, send };
  }

  it.each([
    { given: 'with a valid token and API key', credentials: true },
    { given: 'without a token (the authorizer would answer 401)', credentials: false },
  ])('W3.4 W1.4 a blocked request $given is WAF_FILTERED and invokes nothing', async ({ credentials }) => {
    // Prepare
    const w = guardedWorld();

    // Act
    const got = await w.send('198.51.100.7', credentials);

    // Assess
    expect(got).toEqual({ status: 403, type: 'ForbiddenException', body: '{"message":"Forbidden"}' });
    expect(w.calls).toEqual([]);
  });

  it('W3.4 a blocked request uses none of the key\'s quota: the one allowed request of the day still passes, the next is 429', async () => {
    // Prepare
    const w = guardedWorld();
    await w.send('198.51.100.7');

    // Act
    const first = await w.send('192.0.2.1');
    const second = await w.send('192.0.2.1');

    // Assess
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(w.calls).toEqual(['Fn']);
  });

  it('[AMBIGUOUS W3.4] a blocked request is still counted where the emulator counts requests: the request log', async () => {
    // Prepare
    const w = guardedWorld();

    // Act
    await w.send('198.51.100.7');

    // Assess
    expect(w.entries.map((e) => [e.method, e.path, e.status, e.functionLogicalId])).toEqual([['GET', '/guarded/items', 403, undefined]]);
  });
});
