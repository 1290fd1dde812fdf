/**
 * The WAF web ACL of a stage through the real pipeline, on the test clock (W1-W7). The fixture's API is mock-only.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../emulator/app.js';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import type { Gateway, RequestLogEntry } from '../../../emulator/gateway/types.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { createIdentityStage } from '../../../emulator/identity/gateway-stage.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { limitsFor } from '../../../emulator/limits/index.js';
import type { LambdaInvoker } from '../../../emulator/lambda/types.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { tempLocalState } from '../identity/support/fixtures.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/waf/template.yaml', import.meta.url));
/** FAKE invoker: the fixture has mock integrations only, so nothing may be invoked. */
const noLambda: LambdaInvoker = { invoke: () => Promise.reject(new Error('the WAF fixture invokes no function')) };

const local = tempLocalState();
let template: LoadedTemplate;
beforeAll(async () => {
  template = await loadTemplate(FIXTURE);
});
afterAll(() => local.cleanup());

interface Send {
  method?: string;
  headers?: [string, string][];
  body?: string;
  ip?: string;
}

function world(tpl: LoadedTemplate = template) {
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
  const limits = limitsFor(tpl, local.state, clock);
  const registry = ApiKeyRegistry.fromTemplate(tpl, local.state);
  const gateways: Record<string, Gateway> = {};
  for (const api of tpl.apis) gateways[api.logicalId] = createGateway({ api, template: tpl, invoker: noLambda, log: () => undefined, ...limits.forApi(api, tpl, registry) });
  const exchange = async (path: string, init: Send = {}, api = 'WafApi') => {
    const given = init.headers ?? [];
    const has = (name: string) => given.some(([n]) => n.toLowerCase() === name);
    const pairs: [string, string][] = [...(has('host') ? [] : [['Host', 'localhost:3000'] as [string, string]]), ...(has('user-agent') ? [] : [['User-Agent', 'vitest'] as [string, string]]), ...given];
    const request = new Request(`http://localhost:3000${path}`, { method: init.method ?? 'GET', headers: pairs, ...(init.body !== undefined ? { body: init.body } : {}) });
    const res = await gateways[api]!.fetch(request, { remoteAddress: init.ip ?? '192.0.2.1', rawHeaders: pairs.flat() });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.text(), headers: res.headers };
  };
  const send = async (path: string, init: Send = {}, api = 'WafApi') => {
    const got = await exchange(path, init, api);
    return { status: got.status, type: got.type, body: got.body };
  };
  return { clock, gateways, send, exchange };
}

type Json = Record<string, unknown>;
const NONE = [{ Priority: 0, Type: 'NONE' }];
const LOWERCASE = [{ Priority: 0, Type: 'LOWERCASE' }];
const byteMatch = (field: Json, search: string, position = 'EXACTLY', transforms: Json[] = NONE): Json => ({ ByteMatchStatement: { SearchString: search, FieldToMatch: field, PositionalConstraint: position, TextTransformations: transforms } });
const blockRule = (statement: Json, name = 'under-test', priority = 0): Json => ({ Name: name, Priority: priority, Action: { Block: {} }, Statement: statement });

/** The fixture with properties of one WAFv2 resource replaced (the web ACL Acl by default: its Rules, DefaultAction...). */
function wafWith(props: Json, logicalId = 'Acl', base: LoadedTemplate = template): LoadedTemplate {
  const wafResources = structuredClone(base.wafResources!);
  const resource = wafResources.find((r) => r.logicalId === logicalId)!;
  resource.properties = { ...resource.properties, ...props };
  return { ...base, wafResources };
}

/** The fixture whose API `logicalId` has its OpenAPI document edited by `edit`. */
function apiWith(logicalId: string, edit: (doc: Json) => void, base: LoadedTemplate = template): LoadedTemplate {
  const apis = base.apis.map((api) => {
    if (api.logicalId !== logicalId) return api;
    const openapi = structuredClone(api.openapi) as Json;
    edit(openapi);
    return { ...api, openapi } as typeof api;
  });
  return { ...base, apis };
}

/** `n` distinct filler headers (`X-Fill-<i>: 1`). */
const fillers = (n: number): [string, string][] => Array.from({ length: n }, (_, i) => [`X-Fill-${i}`, '1'] as [string, string]);
/** The bytes a header takes in the 8 KB the host forwards to WAF (W4.3): its `Name: value` line with CRLF. */
const lineBytes = ([name, value]: [string, string]) => name.length + value.length + 4;
/** Host and User-Agent, which every `send` adds first. */
const SENT_FIRST = lineBytes(['Host', 'localhost:3000']) + lineBytes(['User-Agent', 'vitest']);

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

describe('W4 body inspection limit', () => {
  const json: [string, string][] = [['Content-Type', 'application/json']];
  it.each([
    { name: 'W4.1 W4.2 a body over the 16 KB inspection limit matches a Body rule with OversizeHandling MATCH', size: 16_385, want: 403 },
    { name: 'W4.1 a body of exactly 16 KB is inspected whole and passes (SizeRestrictions_BODY overridden to Count)', size: 16_384, want: 200 },
  ])('$name', async ({ size, want }) => {
    const body = `"${'a'.repeat(size - 2)}"`;
    expect((await world().send('/v1/upload', { method: 'POST', headers: json, body })).status).toBe(want);
  });
});

describe('W6 rate-based rules on the clock', () => {
  it('W6.1 W6.2 past Limit requests from one IP in the window the IP is blocked, other IPs are not', async () => {
    const w = world();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await w.send('/v1/limited')).status);
    expect(statuses).toEqual([...Array(10).fill(200), 403, 403]);
    expect((await w.send('/v1/limited', { ip: '192.0.2.2' })).status).toBe(200);
  });

  it('W6.1 requests outside the scope-down statement are neither counted nor limited', async () => {
    const w = world();
    for (let i = 0; i < 20; i++) await w.send('/v1/elsewhere');
    expect((await w.send('/v1/limited')).status).toBe(200);
  });

  it('W6.1 the window slides: 60 s after the burst the IP passes again', async () => {
    const w = world();
    for (let i = 0; i < 11; i++) await w.send('/v1/limited');
    w.clock.advance(59_999);
    expect((await w.send('/v1/limited')).status).toBe(403);
    w.clock.advance(60_001);
    expect((await w.send('/v1/limited')).status).toBe(200);
  });

  it('W6.1 FORWARDED_IP aggregates on the first X-Forwarded-For address, not the peer', async () => {
    const w = world();
    const from = (ip: string): Send => ({ headers: [['X-Forwarded-For', `${ip}, 10.0.0.1`]] });
    for (let i = 0; i < 10; i++) expect((await w.send('/v1/fwd', from('192.0.2.50'))).status).toBe(200);
    expect((await w.send('/v1/fwd', from('192.0.2.50'))).status).toBe(403);
    expect((await w.send('/v1/fwd', from('192.0.2.51'))).status).toBe(200);
  });

  it('W6.1 FORWARDED_IP with a malformed header takes the FallbackBehavior (MATCH: acted on)', async () => {
    expect((await world().send('/v1/fwd', { headers: [['X-Forwarded-For', 'not-an-ip']] })).status).toBe(403);
  });
});

describe('W7 managed rule groups: the documented rules', () => {
  it.each([
    { name: 'W7.1 NoUserAgent_HEADER blocks a request without User-Agent', init: { headers: [] as [string, string][] }, path: '/v1/ok', drop: true, want: 403 },
    { name: 'W7.1 SizeRestrictions_QUERYSTRING blocks a query over 2,048 bytes', init: {}, path: `/v1/ok?q=${'a'.repeat(2100)}`, want: 403 },
    { name: 'W7.1 a query of 2,048 bytes passes', init: {}, path: `/v1/ok?q=${'a'.repeat(2046)}`, want: 200 },
    { name: 'W7.1 SizeRestrictions_URIPATH blocks a path over 1,024 bytes', init: {}, path: `/v1/${'p'.repeat(1030)}`, want: 403 },
    { name: 'W7.2 PROPFIND_METHOD', init: { method: 'PROPFIND' }, path: '/v1/ok', want: 403 },
    { name: 'W7.2 Log4JRCE_HEADER', init: { headers: [['X-Api-Version', '${jndi:ldap://example.com/a}']] as [string, string][] }, path: '/v1/ok', want: 403 },
    { name: 'W7.2 Log4JRCE_QUERYSTRING (URL-encoded)', init: {}, path: '/v1/ok?x=%24%7Bjndi%3Aldap%3A%2F%2Fexample.com%2F%7D', want: 403 },
    { name: 'W7.2 Log4JRCE_BODY', init: { method: 'POST', headers: [['Content-Type', 'application/json']] as [string, string][], body: '{"a":"${jndi:rmi://x/}"}' }, path: '/v1/ok', want: 403 },
    { name: 'W7.1 W2.4 SizeRestrictions_BODY overridden to Count lets a 9 KB body through', init: { method: 'POST', headers: [['Content-Type', 'application/json']] as [string, string][], body: `"${'b'.repeat(9000)}"` }, path: '/v1/ok', want: 200 },
  ])('$name', async ({ init, path, want, ...rest }) => {
    const w = world();
    if ('drop' in rest) {
      const request = new Request(`http://localhost:3000${path}`, { headers: [['Host', 'localhost:3000']] });
      const res = await w.gateways.WafApi!.fetch(request, { remoteAddress: '192.0.2.1', rawHeaders: ['Host', 'localhost:3000'] });
      expect(res.status).toBe(want);
      return;
    }
    expect((await w.send(path, init)).status).toBe(want);
  });
});

describe('startup report (never silent)', () => {
  const items = () => world().gateways.WafApi!.support.filter((s) => s.location === 'web ACL Acl');
  const status = (subject: string) => items().find((s) => s.subject === subject)?.status;

  it.each([
    ['AWS::WAFv2::WebACL', 'emulated'],
    ['WAF rule rate-per-ip', 'emulated'],
    ['WAF rule aws-common AWSManagedRulesCommonRuleSet:NoUserAgent_HEADER', 'emulated'],
    ['WAF rule aws-common AWSManagedRulesCommonRuleSet:GenericLFI_URIPATH', 'not-emulated'],
    ['WAF rule aws-bad-inputs AWSManagedRulesKnownBadInputsRuleSet:Log4JRCE_BODY', 'emulated'],
    ['WAF rule aws-bad-inputs AWSManagedRulesKnownBadInputsRuleSet:Host_localhost_HEADER', 'ignored'],
    ['WAF rule xss', 'not-emulated'],
  ])('W7 %s is reported %s', (subject, want) => {
    expect(status(subject)).toBe(want);
  });

  it('W3.3 a custom Block response is reported emulated and sent as defined (see R8.10 below)', async () => {
    const wafResources = structuredClone(template.wafResources!);
    wafResources.find((r) => r.logicalId === 'Acl')!.properties.DefaultAction = { Block: { CustomResponse: { ResponseCode: 418 } } };
    const custom: LoadedTemplate = { ...template, wafResources };
    const w = world(custom);
    const item = w.gateways.WafApi!.support.find((s) => s.subject === 'WAF DefaultAction Block.CustomResponse');
    expect(item?.status).toBe('emulated');
    expect((await w.send('/v1/ok')).status).toBe(418);
  });

  it('W1.2 a stage without an association has no web ACL; EnableWaf=false (condition) removes it', async () => {
    const off = await loadTemplate(FIXTURE, { parameterOverrides: { EnableWaf: 'false' } });
    expect(world(off).gateways.WafApi!.support.some((s) => s.subject.startsWith('AWS::WAFv2') || s.subject.startsWith('WAF rule'))).toBe(false);
    expect((await world(off).send('/v1/x', { ip: '198.51.100.7' })).status).toBe(200);
    expect(off.warnings?.some((w) => w.includes('WAFv2'))).toBe(false);
  });

  it('W7 --strict refuses the managed rules and statements that are not emulated', async () => {
    const started = startEmulator({ templatePath: FIXTURE, port: 0, localDir: local.state.dir, strict: true });
    const error = await started.then(
      async (emulator) => {
        await emulator.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrictModeError);
    const items = (error as StrictModeError).items;
    expect(items).toContainEqual(expect.stringMatching(/^WAF rule aws-common AWSManagedRulesCommonRuleSet:GenericLFI_URIPATH at web ACL Acl/));
    expect(items).toContainEqual(expect.stringMatching(/^WAF rule xss at web ACL Acl: XssMatchStatement \(W5.8\)/));
    expect(items.some((i) => i.includes('NoUserAgent_HEADER') || i.includes('Host_localhost_HEADER'))).toBe(false);
  });
});

describe('W1.1 a web ACL protects the REST API stage it is associated with, and only a REGIONAL one', () => {
  const resourceArn = () => String(template.wafResources!.find((r) => r.logicalId === 'AclAssociation')!.properties.ResourceArn);
  const otherRegion = () => (template.region === 'ap-southeast-2' ? 'eu-west-3' : 'ap-southeast-2');

  it.each([
    { given: 'the REGIONAL web ACL associated with stage v1 filters that stage', tpl: () => template, want: 403 },
    { given: 'an association naming another stage of the API leaves stage v1 unfiltered', tpl: () => wafWith({ ResourceArn: resourceArn().replace(/\/stages\/v1$/, '/stages/prod') }, 'AclAssociation'), want: 200 },
    { given: 'an association naming the API id in another Region leaves the stage unfiltered', tpl: () => wafWith({ ResourceArn: resourceArn().replace(`:apigateway:${template.region}:`, `:apigateway:${otherRegion()}:`) }, 'AclAssociation'), want: 200 },
    { given: 'a CLOUDFRONT web ACL is not applied to a REST stage (AWS refuses the association)', tpl: () => wafWith({ Scope: 'CLOUDFRONT' }), want: 200 },
  ])('W1.1 $given', async ({ tpl, want }) => {
    // Act: 198.51.100.7 is in the block set of Acl
    const got = await world(tpl()).send('/v1/ok', { ip: '198.51.100.7' });

    // Assess
    expect(got.status).toBe(want);
  });

  it('W1.1 a CLOUDFRONT web ACL on a REST stage is reported NOT EMULATED with why (AWS would refuse the association), its rules not listed', () => {
    // Act
    const items = world(wafWith({ Scope: 'CLOUDFRONT' })).gateways.WafApi!.support.filter((s) => s.location === 'web ACL Acl');

    // Assess
    expect(items).toEqual([{ subject: 'AWS::WAFv2::WebACL', location: 'web ACL Acl', status: 'not-emulated', detail: expect.stringMatching(/Scope CLOUDFRONT.*REGIONAL.*\(W1\.1\)/) }]);
  });
});

describe('W1.1 never silent: an association naming no REST API stage of the template', () => {
  // The shape of serverless-patterns' apigw-waf-sam: a web ACL for an API of another stack, named by a parameter.
  const ELSEWHERE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ApiGatewayId: {Type: String, Default: abc123}
Resources:
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: {Block: {}}
      VisibilityConfig: {CloudWatchMetricsEnabled: false, MetricName: acl, SampledRequestsEnabled: false}
  Elsewhere:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      WebACLArn: !GetAtt Acl.Arn
      ResourceArn: !Sub arn:aws:apigateway:\${AWS::Region}::/restapis/\${ApiGatewayId}/stages/prod
`;

  it('W1.1 is listed NOT EMULATED with the ARN it names (it filters nothing locally), not EMULATED', async () => {
    // Arrange
    const file = join(local.dir, 'elsewhere.yaml');
    writeFileSync(file, ELSEWHERE);

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    const group = loaded.resources!.find((g) => g.type === 'AWS::WAFv2::WebACLAssociation');
    expect(group).toMatchObject({ logicalIds: ['Elsewhere'], status: 'not-emulated', detail: expect.stringContaining(`/restapis/abc123/stages/prod names no REST API stage of this template`) });
    expect(loaded.warnings).toContainEqual(expect.stringMatching(/^Resources\.Elsewhere \(AWS::WAFv2::WebACLAssociation\): its ResourceArn /));
  });

  it('W1.2 the fixture\'s associations, which name its own stages, stay EMULATED', () => {
    const groups = template.resources!.filter((g) => g.type === 'AWS::WAFv2::WebACLAssociation');
    expect(groups.map((g) => g.status)).toEqual(['emulated']);
  });
});

describe('W1.5 $context.wafResponseCode and $context.webaclArn', () => {
  const ECHO = '{"code":"$context.wafResponseCode","acl":"$context.webaclArn"}';
  const aclArn = (tpl: LoadedTemplate, association: string) => tpl.wafResources!.find((r) => r.logicalId === association)!.properties.WebACLArn;
  /** WafApi's mock answers the two variables. */
  const echoing = (base: LoadedTemplate) =>
    apiWith(
      'WafApi',
      (doc) => {
        const integration = ((doc.paths as Json)['/{proxy+}'] as Json)['x-amazon-apigateway-any-method'] as Json;
        ((integration['x-amazon-apigateway-integration'] as Json).responses as Json).default = { statusCode: '200', responseTemplates: { 'application/json': ECHO } };
      },
      base,
    );

  it('W1.5 a request the web ACL allows: WAF_ALLOW and the ARN of the associated web ACL', async () => {
    // Act
    const got = await world(echoing(template)).send('/v1/anything');

    // Assess
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toEqual({ code: 'WAF_ALLOW', acl: aclArn(template, 'AclAssociation') });
  });

  it('W1.5 a request the web ACL blocks: WAF_BLOCK in the WAF_FILTERED gateway response', async () => {
    // Prepare: ClosedApi's WAF_FILTERED response renders the two variables
    const tpl = apiWith('ClosedApi', (doc) => {
      (doc['x-amazon-apigateway-gateway-responses'] as Json).WAF_FILTERED = { statusCode: 403, responseTemplates: { 'application/json': ECHO } };
    });

    // Act
    const got = await world(tpl).send('/closed/x', {}, 'ClosedApi');

    // Assess
    expect(got.status).toBe(403);
    expect(JSON.parse(got.body)).toEqual({ code: 'WAF_BLOCK', acl: aclArn(template, 'ClosedAssociation') });
  });

  it('W1.5 a stage without a web ACL leaves both unset', async () => {
    // Prepare
    const off = await loadTemplate(FIXTURE, { parameterOverrides: { EnableWaf: 'false' } });

    // Act
    const got = await world(echoing(off)).send('/v1/anything');

    // Assess
    expect(JSON.parse(got.body)).toEqual({ code: '', acl: '' });
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

describe('W4.3 headers and cookies: the first 200 and the first 8 KB, then OversizeHandling', () => {
  const headersRule = (handling: string, scope = 'KEY', search = 'x-evil', position = 'EXACTLY') =>
    blockRule(byteMatch({ Headers: { MatchPattern: { All: {} }, MatchScope: scope, OversizeHandling: handling } }, search, position, LOWERCASE));
  const evil: [string, string] = ['X-Evil', '1'];

  it.each([
    { given: '200 headers, the 200th inspected (CONTINUE)', handling: 'CONTINUE', headers: () => [...fillers(197), evil], want: 403 },
    { given: '201 headers, the 201st not inspected (CONTINUE)', handling: 'CONTINUE', headers: () => [...fillers(198), evil], want: 200 },
    { given: '201 headers with OversizeHandling MATCH: matches without inspection', handling: 'MATCH', headers: () => fillers(199), want: 403 },
    { given: '200 headers with OversizeHandling MATCH: not oversize, inspected normally', handling: 'MATCH', headers: () => fillers(198), want: 200 },
    { given: '201 headers with OversizeHandling NO_MATCH: no match even though X-Evil is the first', handling: 'NO_MATCH', headers: () => [evil, ...fillers(198)], want: 200 },
    { given: '201 headers with CONTINUE: X-Evil among the first 200 still matches', handling: 'CONTINUE', headers: () => [evil, ...fillers(198)], want: 403 },
  ])('W4.3 $given', async ({ handling, headers, want }) => {
    // Prepare
    const tpl = wafWith({ Rules: [headersRule(handling)] });

    // Act: every send has Host and User-Agent first
    const got = await world(tpl).send('/v1/ok', { headers: headers() });

    // Assess
    expect(got.status).toBe(want);
  });

  /** One filler header making the request's headers exactly `total` bytes of `Name: value` lines. */
  const filling = (total: number): [string, string] => ['X-Fill', 'a'.repeat(total - SENT_FIRST - lineBytes(['X-Fill', '']))];

  it.each([
    { given: 'headers of exactly 8,192 bytes are not oversize (MATCH does not apply)', handling: 'MATCH', headers: () => [filling(8192)], want: 200 },
    { given: 'headers of 8,193 bytes are oversize: MATCH matches', handling: 'MATCH', headers: () => [filling(8193)], want: 403 },
    { given: 'headers of 8,193 bytes with NO_MATCH do not match', handling: 'NO_MATCH', headers: () => [filling(8193), evil], want: 200 },
    { given: 'CONTINUE: a header after the first 8 KB is not inspected', handling: 'CONTINUE', headers: () => [filling(8192), evil], want: 200 },
    { given: 'CONTINUE: the same header before the big one is inspected', handling: 'CONTINUE', headers: () => [evil, filling(8192 - lineBytes(evil))], want: 403 },
  ])('W4.3 $given', async ({ handling, headers, want }) => {
    // Prepare
    const tpl = wafWith({ Rules: [headersRule(handling)] });

    // Act
    const got = await world(tpl).send('/v1/ok', { headers: headers() });

    // Assess
    expect(got.status).toBe(want);
  });

  it('W4.3 CONTINUE inspects the first 8 KB of a header that crosses the limit, not the rest of it', async () => {
    // Prepare: VALUE scope, CONTAINS "evil"
    const tpl = wafWith({ Rules: [headersRule('CONTINUE', 'VALUE', 'evil', 'CONTAINS')] });
    const room = 8192 - SENT_FIRST - lineBytes(['X-Big', '']);
    const within = `evil${'a'.repeat(room)}`;
    const beyond = `${'a'.repeat(room)}evil`;

    // Act
    const seen = await world(tpl).send('/v1/ok', { headers: [['X-Big', within]] });
    const unseen = await world(tpl).send('/v1/ok', { headers: [['X-Big', beyond]] });

    // Assess
    expect([seen.status, unseen.status]).toEqual([403, 200]);
  });

  it('W4.3 a single header is inspected whole, wherever it is: SingleHeader has no 200-header or 8 KB limit', async () => {
    // Prepare
    const tpl = wafWith({ Rules: [blockRule(byteMatch({ SingleHeader: { Name: 'x-evil' } }, '1'))] });

    // Act
    const got = await world(tpl).send('/v1/ok', { headers: [...fillers(250), evil] });

    // Assess
    expect(got.status).toBe(403);
  });

  it('W4.3 when allowed, the whole request is forwarded: the integration still sees header 251', async () => {
    // Prepare: WafApi's mock echoes a header given after 250 others
    const tpl = apiWith('WafApi', (doc) => {
      const any = ((doc.paths as Json)['/{proxy+}'] as Json)['x-amazon-apigateway-any-method'] as Json;
      ((any['x-amazon-apigateway-integration'] as Json).responses as Json).default = { statusCode: '200', responseTemplates: { 'application/json': '{"last":"$input.params(\'X-Last\')"}' } };
    }, wafWith({ Rules: [headersRule('CONTINUE')] }));

    // Act
    const got = await world(tpl).send('/v1/ok', { headers: [...fillers(250), ['X-Last', 'kept']] });

    // Assess
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toEqual({ last: 'kept' });
  });

  const cookiesRule = (handling: string, scope = 'VALUE', pattern: Json = { All: {} }, search = 'admin') =>
    blockRule(byteMatch({ Cookies: { MatchPattern: pattern, MatchScope: scope, OversizeHandling: handling } }, search));
  const cookies = (n: number, last?: string) => Array.from({ length: n }, (_, i) => (i === n - 1 && last ? last : `c${i}=1`)).join('; ');

  it.each([
    { given: '200 cookies, the 200th inspected (CONTINUE)', handling: 'CONTINUE', cookie: () => cookies(200, 'role=admin'), want: 403 },
    { given: '201 cookies, the 201st not inspected (CONTINUE)', handling: 'CONTINUE', cookie: () => cookies(201, 'role=admin'), want: 200 },
    { given: '201 cookies with MATCH', handling: 'MATCH', cookie: () => cookies(201), want: 403 },
    { given: '200 cookies with MATCH: not oversize', handling: 'MATCH', cookie: () => cookies(200), want: 200 },
    { given: '201 cookies with NO_MATCH, role=admin first', handling: 'NO_MATCH', cookie: () => `role=admin; ${cookies(200)}`, want: 200 },
    { given: 'cookies of exactly 8,192 bytes with MATCH: not oversize', handling: 'MATCH', cookie: () => `big=${'a'.repeat(8192 - 4)}`, want: 200 },
    { given: 'cookies of 8,193 bytes with MATCH', handling: 'MATCH', cookie: () => `big=${'a'.repeat(8193 - 4)}`, want: 403 },
    { given: 'CONTINUE: a cookie after the first 8 KB is not inspected', handling: 'CONTINUE', cookie: () => `big=${'a'.repeat(8192 - 4)}; role=admin`, want: 200 },
  ])('W4.3 $given', async ({ handling, cookie, want }) => {
    // Prepare
    const tpl = wafWith({ Rules: [cookiesRule(handling)] });

    // Act
    const got = await world(tpl).send('/v1/ok', { headers: [['Cookie', cookie()]] });

    // Assess
    expect(got.status).toBe(want);
  });
});

describe('W4.4 the classic "block bodies over the limit" rule', () => {
  const json: [string, string][] = [['Content-Type', 'application/json']];
  const sizeRule = (size: number, handling: string) =>
    blockRule({ SizeConstraintStatement: { FieldToMatch: { Body: { OversizeHandling: handling } }, ComparisonOperator: 'GT', Size: size, TextTransformations: NONE } }, 'body-size', 0);
  /** A body-inspecting rule placed after the size rule: blocks "EVIL" anywhere it can see. */
  const evilRule = blockRule(byteMatch({ Body: { OversizeHandling: 'CONTINUE' } }, 'EVIL', 'CONTAINS'), 'body-evil', 1);
  const body = (size: number, tail = '') => `"${'a'.repeat(size - 2 - tail.length)}${tail}"`;

  it.each([
    { given: 'GT 16384 with MATCH: a body of 16,384 bytes passes', rules: () => [sizeRule(16_384, 'MATCH')], size: 16_384, want: 200 },
    { given: 'GT 16384 with MATCH: a body of 16,385 bytes is blocked', rules: () => [sizeRule(16_384, 'MATCH')], size: 16_385, want: 403 },
    { given: 'GT 16384 with CONTINUE: only the first 16 KB is seen, so 20,000 bytes pass (why MATCH is needed)', rules: () => [sizeRule(16_384, 'CONTINUE')], size: 20_000, want: 200 },
    { given: 'GT 16384 with NO_MATCH: 20,000 bytes pass', rules: () => [sizeRule(16_384, 'NO_MATCH')], size: 20_000, want: 200 },
    { given: 'GT 8192 (the 2023 regional limit): 8,192 bytes pass', rules: () => [sizeRule(8192, 'MATCH')], size: 8192, want: 200 },
    { given: 'GT 8192: 8,193 bytes are blocked (inspected whole, under 16 KB)', rules: () => [sizeRule(8192, 'MATCH')], size: 8193, want: 403 },
    { given: 'without the size rule, EVIL beyond the first 16 KB is not seen by a body rule', rules: () => [evilRule], size: 20_000, tail: 'EVIL', want: 200 },
    { given: 'placed before the body rule, the size rule blocks that request', rules: () => [sizeRule(16_384, 'MATCH'), evilRule], size: 20_000, tail: 'EVIL', want: 403 },
    { given: 'EVIL within the first 16 KB is seen by the body rule', rules: () => [evilRule], size: 16_384, tail: 'EVIL', want: 403 },
  ])('W4.4 $given', async ({ rules, size, tail, want }) => {
    // Prepare
    const tpl = wafWith({ Rules: rules() });

    // Act
    const got = await world(tpl).send('/v1/upload', { method: 'POST', headers: json, body: body(size, tail) });

    // Assess
    expect(got.status).toBe(want);
  });

  it('W4.4 W4.1 with AssociationConfig KB_32 the CONTINUE size rule sees 20,000 bytes and blocks', async () => {
    // Prepare
    const tpl = wafWith({ Rules: [sizeRule(16_384, 'CONTINUE')], AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_32' } } } });

    // Act
    const got = await world(tpl).send('/v1/upload', { method: 'POST', headers: json, body: body(20_000) });

    // Assess
    expect(got.status).toBe(403);
  });
});

describe('W5.3 SizeConstraintStatement: every ComparisonOperator at size - 1, size and size + 1', () => {
  const SIZE = 12;
  /** UriPath with the stage: "/v1/logo.jpg" is 12 bytes, the leading slash counted. */
  const PATHS = { below: '/v1/logo.jp', at: '/v1/logo.jpg', above: '/v1/logo.jpeg' };
  const rows = [
    { op: 'EQ', below: false, at: true, above: false },
    { op: 'NE', below: true, at: false, above: true },
    { op: 'LE', below: true, at: true, above: false },
    { op: 'LT', below: true, at: false, above: false },
    { op: 'GE', below: false, at: true, above: true },
    { op: 'GT', below: false, at: false, above: true },
  ].flatMap(({ op, ...want }) => (['below', 'at', 'above'] as const).map((where) => ({ op, where, path: PATHS[where], matches: want[where] })));

  it.each(rows)('W5.3 $op $where ($path) matches: $matches', async ({ op, path, matches }) => {
    // Prepare
    const tpl = wafWith({ Rules: [blockRule({ SizeConstraintStatement: { FieldToMatch: { UriPath: {} }, ComparisonOperator: op, Size: SIZE, TextTransformations: NONE } })] });

    // Act
    const got = await world(tpl).send(path);

    // Assess
    expect(got.status).toBe(matches ? 403 : 200);
  });

  it.each([
    { given: 'the size is taken after the transformations: /v1/%41%42xy is 12 bytes as sent, 8 after URL_DECODE', transforms: [{ Priority: 0, Type: 'URL_DECODE' }], want: 200 },
    { given: 'without a transformation /v1/%41%42xy is 12 bytes', transforms: NONE, want: 403 },
  ])('W5.3 $given', async ({ transforms, want }) => {
    // Prepare: EQ 12
    const tpl = wafWith({ Rules: [blockRule({ SizeConstraintStatement: { FieldToMatch: { UriPath: {} }, ComparisonOperator: 'EQ', Size: SIZE, TextTransformations: transforms } })] });

    // Act
    const got = await world(tpl).send('/v1/%41%42xy');

    // Assess
    expect(got.status).toBe(want);
  });
});

describe('W5.6 each FieldToMatch component', () => {
  const rows: { component: string; field: Json; search: string; position?: string; hit: [string, Send]; miss: [string, Send] }[] = [
    { component: 'UriPath (with the stage)', field: { UriPath: {} }, search: '/v1/secret', position: 'STARTS_WITH', hit: ['/v1/secret/x', {}], miss: ['/v1/public/secret', {}] },
    { component: 'QueryString (as sent, not decoded)', field: { QueryString: {} }, search: 'q=%41', hit: ['/v1/ok?q=%41', {}], miss: ['/v1/ok?q=A', {}] },
    { component: 'SingleQueryArgument (name case-insensitive)', field: { SingleQueryArgument: { Name: 'From' } }, search: 'office', hit: ['/v1/ok?from=office', {}], miss: ['/v1/ok?to=office', {}] },
    { component: 'AllQueryArguments (any one value)', field: { AllQueryArguments: {} }, search: 'seattle', hit: ['/v1/ok?UserName=abc&SalesRegion=seattle', {}], miss: ['/v1/ok?UserName=seattle-abc', {}] },
    { component: 'SingleHeader (name case-insensitive)', field: { SingleHeader: { Name: 'x-team' } }, search: 'red', hit: ['/v1/ok', { headers: [['X-Team', 'red']] }], miss: ['/v1/ok', { headers: [['X-Teams', 'red']] }] },
    { component: 'Headers (MatchScope VALUE)', field: { Headers: { MatchPattern: { All: {} }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, search: 'red', hit: ['/v1/ok', { headers: [['X-Anything', 'red']] }], miss: ['/v1/ok', { headers: [['Red', 'blue']] }] },
    { component: 'Headers (MatchScope KEY)', field: { Headers: { MatchPattern: { All: {} }, MatchScope: 'KEY', OversizeHandling: 'CONTINUE' } }, search: 'Red', hit: ['/v1/ok', { headers: [['Red', 'blue']] }], miss: ['/v1/ok', { headers: [['X-Anything', 'Red']] }] },
    { component: 'Headers (MatchScope ALL: key or value)', field: { Headers: { MatchPattern: { All: {} }, MatchScope: 'ALL', OversizeHandling: 'CONTINUE' } }, search: 'red', hit: ['/v1/ok', { headers: [['X-Anything', 'red']] }], miss: ['/v1/ok', { headers: [['X-Anything', 'blue']] }] },
    { component: 'Headers (IncludedHeaders)', field: { Headers: { MatchPattern: { IncludedHeaders: ['x-a'] }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, search: 'red', hit: ['/v1/ok', { headers: [['X-A', 'red']] }], miss: ['/v1/ok', { headers: [['X-B', 'red']] }] },
    { component: 'Headers (ExcludedHeaders)', field: { Headers: { MatchPattern: { ExcludedHeaders: ['x-a'] }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, search: 'red', hit: ['/v1/ok', { headers: [['X-B', 'red']] }], miss: ['/v1/ok', { headers: [['X-A', 'red']] }] },
    { component: 'Cookies (MatchScope VALUE)', field: { Cookies: { MatchPattern: { All: {} }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, search: 'admin', hit: ['/v1/ok', { headers: [['Cookie', 'theme=dark; role=admin']] }], miss: ['/v1/ok', { headers: [['Cookie', 'admin=no']] }] },
    { component: 'Cookies (MatchScope KEY)', field: { Cookies: { MatchPattern: { All: {} }, MatchScope: 'KEY', OversizeHandling: 'CONTINUE' } }, search: 'admin', hit: ['/v1/ok', { headers: [['Cookie', 'admin=no']] }], miss: ['/v1/ok', { headers: [['Cookie', 'role=admin']] }] },
    { component: 'Cookies (IncludedCookies)', field: { Cookies: { MatchPattern: { IncludedCookies: ['role'] }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, search: 'admin', hit: ['/v1/ok', { headers: [['Cookie', 'role=admin']] }], miss: ['/v1/ok', { headers: [['Cookie', 'team=admin']] }] },
    { component: 'Cookies (ExcludedCookies)', field: { Cookies: { MatchPattern: { ExcludedCookies: ['role'] }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, search: 'admin', hit: ['/v1/ok', { headers: [['Cookie', 'team=admin']] }], miss: ['/v1/ok', { headers: [['Cookie', 'role=admin']] }] },
    { component: 'Method', field: { Method: {} }, search: 'DELETE', hit: ['/v1/ok', { method: 'DELETE' }], miss: ['/v1/ok', { method: 'GET' }] },
    { component: 'Body', field: { Body: { OversizeHandling: 'CONTINUE' } }, search: 'drop table', position: 'CONTAINS', hit: ['/v1/ok', { method: 'POST', body: 'x; drop table t' }], miss: ['/v1/ok', { method: 'POST', body: 'x' }] },
  ];

  it.each(rows)('W5.6 $component', async ({ field, search, position, hit, miss }) => {
    // Prepare
    const tpl = wafWith({ Rules: [blockRule(byteMatch(field, search, position ?? 'EXACTLY'))] });
    const w = world(tpl);

    // Act
    const matched = await w.send(...hit);
    const unmatched = await w.send(...miss);

    // Assess
    expect([matched.status, unmatched.status]).toEqual([403, 200]);
  });

  it.each([
    { component: 'JsonBody', field: { JsonBody: { MatchPattern: { All: {} }, MatchScope: 'VALUE' } } },
    { component: 'HeaderOrder', field: { HeaderOrder: { OversizeHandling: 'CONTINUE' } } },
    { component: 'JA3Fingerprint', field: { JA3Fingerprint: { FallbackBehavior: 'MATCH' } } },
    { component: 'UriFragment', field: { UriFragment: { FallbackBehavior: 'MATCH' } } },
  ])('W5.6 $component is reported NOT EMULATED and its rule skipped (never silent)', async ({ component, field }) => {
    // Prepare: a CONTAINS "" would match anything if evaluated
    const w = world(wafWith({ Rules: [blockRule(byteMatch(field, '', 'CONTAINS'))] }));

    // Act
    const got = await w.send('/v1/ok', { method: 'POST', body: '{"a":1}' });

    // Assess
    expect(got.status).toBe(200);
    expect(w.gateways.WafApi!.support.find((s) => s.subject === 'WAF rule under-test')).toMatchObject({ status: 'not-emulated', detail: expect.stringContaining(`FieldToMatch ${component}`) });
  });
});

describe('W6.3 W6.4 rate-based rules on the injected clock: exactly at the limit and one over', () => {
  const rate = (statement: Json): Json[] => [{ Name: 'rate', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: statement } }];

  it.each([
    { limit: 10, window: 60 },
    { limit: 100, window: 300 },
    { limit: 2000, window: undefined },
  ])('W6.4 Limit $limit, EvaluationWindowSec $window: request Limit passes, Limit + 1 is blocked at once (no detection lag)', async ({ limit, window }) => {
    // Prepare
    const w = world(wafWith({ Rules: rate({ Limit: limit, AggregateKeyType: 'IP', ...(window ? { EvaluationWindowSec: window } : {}) }) }));
    for (let i = 1; i < limit; i++) await w.send('/v1/x');

    // Act
    const atLimit = await w.send('/v1/x');
    const over = await w.send('/v1/x');

    // Assess
    expect([atLimit.status, over.status]).toEqual([200, 403]);
  });

  it.each([
    { given: 'one millisecond before the window has passed: still blocked', after: 59_999, want: 403 },
    { given: 'the instant the window has passed: allowed again, no lingering mitigation', after: 60_000, want: 200 },
  ])('W6.3 [choice W6.4] $given', async ({ after, want }) => {
    // Prepare: 11 requests at one instant, Limit 10 in 60 s
    const w = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'IP' }) }));
    for (let i = 0; i < 11; i++) await w.send('/v1/x');

    // Act
    w.clock.advance(after);
    const got = await w.send('/v1/x');

    // Assess
    expect(got.status).toBe(want);
  });

  it('W6.4 the window slides: requests spread over it count until each is older than the window', async () => {
    // Prepare: Limit 10 in 60 s; 5 requests at t, 5 at t + 30 s
    const w = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'IP' }) }));
    for (let i = 0; i < 5; i++) await w.send('/v1/x');
    w.clock.advance(30_000);
    for (let i = 0; i < 5; i++) await w.send('/v1/x');

    // Act: t + 59 s (10 in the window, the 11th is over), then t + 60 s (the first 5 have left it)
    w.clock.advance(29_000);
    const over = await w.send('/v1/x');
    w.clock.advance(1_000);
    const again = await w.send('/v1/x');

    // Assess
    expect([over.status, again.status]).toEqual([403, 200]);
  });

  it('W6.4 CONSTANT aggregation counts every client together (within the scope-down statement)', async () => {
    // Prepare
    const w = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'CONSTANT', ScopeDownStatement: byteMatch({ UriPath: {} }, '/v1/limited', 'STARTS_WITH') }) }));
    for (let i = 0; i < 10; i++) await w.send('/v1/limited', { ip: `192.0.2.${i + 10}` });

    // Act
    const over = await w.send('/v1/limited', { ip: '192.0.2.99' });
    const outOfScope = await w.send('/v1/other', { ip: '192.0.2.99' });

    // Assess
    expect([over.status, outOfScope.status]).toEqual([403, 200]);
  });

  it('W6.3 a changed rate setting starts from zero counts (a reloaded template is a new web ACL)', async () => {
    // Prepare
    const first = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60 }) }));
    for (let i = 0; i < 11; i++) await first.send('/v1/x');

    // Act
    const reloaded = world(wafWith({ Rules: rate({ Limit: 20, EvaluationWindowSec: 60 }) }));
    const got = await reloaded.send('/v1/x');

    // Assess
    expect((await first.send('/v1/x')).status).toBe(403);
    expect(got.status).toBe(200);
  });
});

describe('W7.3 Host_localhost_HEADER is not applied to the local gateway', () => {
  const LABEL = 'awswaf:managed:aws:known-bad-inputs:Host_localhost_HEADER';
  /** The KnownBadInputs group, then a rule blocking on the label Host_localhost_HEADER would add. */
  const rules = () => [
    { Name: 'bad-inputs', Priority: 0, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } },
    blockRule({ LabelMatchStatement: { Scope: 'LABEL', Key: LABEL } }, 'block-on-label', 1),
  ];

  it.each([
    { host: 'localhost:3000' },
    { host: 'localhost' },
    { host: '127.0.0.1:3000' },
  ])('W7.3 Host $host: not blocked and not labelled', async ({ host }) => {
    // Prepare
    const w = world(wafWith({ Rules: rules() }));

    // Act: the Host header given replaces the one send adds (the last value counts)
    const got = await w.send('/v1/ok', { headers: [['Host', host]] });

    // Assess
    expect(got.status).toBe(200);
  });

  it('W7.3 the group\'s other documented rules still apply (PROPFIND_METHOD)', async () => {
    expect((await world(wafWith({ Rules: rules() })).send('/v1/ok', { method: 'PROPFIND' })).status).toBe(403);
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
