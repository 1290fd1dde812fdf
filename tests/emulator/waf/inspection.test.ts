/**
 * What a WAF rule inspects: the body, headers and cookies up to their limits, then OversizeHandling (W4), the size
 * constraint's operators and each FieldToMatch component (W5.3, W5.6), through the real pipeline.
 */
import { describe, expect, it } from 'vitest';
import { apiWith, blockRule, byteMatch, fillers, type Json, lineBytes, LOWERCASE, NONE, type Send, SENT_FIRST, useWafFixture, wafWith, world } from './support/world.js';

useWafFixture();

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
