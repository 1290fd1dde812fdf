/** Unit: API Gateway's VTL engine (reference 3). */
import { describe, expect, it } from 'vitest';
import { renderTemplate, VtlError } from '../../../emulator/gateway/vtl/engine.js';
import { escapeJavaScript, urlEncode } from '../../../emulator/gateway/vtl/util.js';

const BODY = JSON.stringify({ foo: 'bar', nested: { list: [{ nested: 'bar' }] }, bigger: 'dict', n: null, items: [1, 2, 3], empty: '' });

function render(template: string, body = BODY, context: Record<string, unknown> = {}) {
  const ctx = { requestId: 'req-1', responseOverride: { header: {} }, requestOverride: { header: {}, path: {}, querystring: {} }, ...context };
  return renderTemplate(template, {
    input: { body, params: { path: { id: 'p1' }, querystring: { q: 'qv', id: 'shadowed' }, header: { 'X-Trace': 'h1' } } },
    context: ctx,
    stageVariables: { color: 'blue' },
  });
}

describe('renderTemplate', () => {
  it.each([
    { rule: 'R3.1 $input.body raw', template: '$input.body', body: '{"a":1}', want: '{"a":1}' },
    { rule: 'R3.1 / A29 empty $input.body renders {}', template: '$input.body', body: '', want: '{}' },
    { rule: 'R3.2 $input.json string is quoted', template: "$input.json('$.foo')", want: '"bar"' },
    { rule: 'R3.2 $input.json object is serialised', template: "$input.json('$.nested')", want: '{"list":[{"nested":"bar"}]}' },
    { rule: 'R3.3 $input.path scalar', template: "$input.path('$.foo')", want: 'bar' },
    { rule: 'R3.3 $input.path .size()', template: "$input.path('$.items').size()", want: '3' },
    { rule: 'R3.3 $input.path index', template: "$input.path('$.items[1]')", want: '2' },
    { rule: 'R3.4 Map renders Java-style', template: "$input.path('$.nested')", want: '{list=[{"nested":"bar"}]}' },
    { rule: 'R3.4 List renders as JSON', template: "$input.path('$.nested.list')", want: '[{"nested":"bar"}]' },
    { rule: 'R3.4 toString() behaves the same', template: "$input.path('$.nested').toString()", want: '{list=[{"nested":"bar"}]}' },
    { rule: 'R3.5 / A28 missing path renders empty', template: "[$input.path('$.missing')]", want: '[]' },
    { rule: 'R3.5 null renders empty', template: "[$input.path('$.n')]", want: '[]' },
    { rule: 'R3.5 unknown reference renders empty, not literally', template: '[$nothing.here]', want: '[]' },
    { rule: 'R3.5 null equals ""', template: "#if($input.path('$.n') == \"\")yes#end", want: 'yes' },
    { rule: 'R3.5 null equals $null', template: "#if($input.path('$.missing') == $null)yes#end", want: 'yes' },
    { rule: 'R3.5 "" equals null', template: "#if($input.path('$.empty') == $null)yes#else no#end", want: 'yes' },
    { rule: 'R3.6 $input.params() map', template: '$input.params().path.id', want: 'p1' },
    { rule: 'R3.7 params looks up path first', template: "$input.params('id')", want: 'p1' },
    { rule: 'R3.7 then query string', template: "$input.params('q')", want: 'qv' },
    { rule: 'R3.7 then header (case-insensitive)', template: "$input.params('x-trace')", want: 'h1' },
    { rule: 'R3.7 not found → empty', template: "[$input.params('nope')]", want: '[]' },
    { rule: "R3.7 a name Object.prototype has, not sent → empty (not Object's function)", template: "[$input.params('constructor')][$input.params('toString')]", want: '[][]' },
    { rule: 'R3.8 bracket JSONPath', template: "$input.path(\"$['foo']\")", want: 'bar' },
    { rule: 'R3.10 escapeJavaScript', template: "$util.escapeJavaScript(\"it's \\\"x\\\"\")", want: "it\\'s \\\"x\\\"" },
    { rule: 'R3.11 parseJson gives dot access', template: '#set($o = $util.parseJson(\'{"a":{"b":5}}\'))$o.a.b', want: '5' },
    { rule: 'R3.12 urlEncode', template: "$util.urlEncode('some raw data')|$util.urlEncode('{}')", want: 'some+raw+data|%7B%7D' },
    { rule: 'R3.12 urlDecode', template: "$util.urlDecode('a+b%2Bc')", want: 'a b+c' },
    { rule: 'R3.13 base64 round trip', template: "$util.base64Encode('héllo')|$util.base64Decode('aMOpbGxv')", want: 'aMOpbGxv|héllo' },
    { rule: 'R3.20 $context variables', template: '$context.requestId', want: 'req-1' },
    { rule: 'R3.22 $stageVariables dot form', template: '$stageVariables.color', want: 'blue' },
    { rule: "R3.22 $stageVariables['x'] form", template: "$stageVariables['color']", want: 'blue' },
    { rule: "R3.22 ${stageVariables['x']} form", template: "${stageVariables['color']}", want: 'blue' },
    { rule: 'foreach with $foreach.hasNext', template: "#foreach($i in $input.path('$.items'))$i#if($foreach.hasNext),#end#end", want: '1,2,3' },
  ])('$rule', ({ template, body, want }) => {
    expect(render(template, body).output).toBe(want);
  });

  it('R3.23 #foreach over more than 1000 items is refused', () => {
    expect(() => render('#foreach($i in [1..1001])x#end')).toThrow(VtlError);
    expect(render('#foreach($i in [1..1000])x#end').output).toHaveLength(1000);
  });

  it('R3.23 a template over 300 KB is refused', () => {
    expect(() => render('x'.repeat(300 * 1024 + 1))).toThrow(/exceeds/);
  });

  it('R2.12 responseOverride.status/header and requestOverride.* are returned as overrides', () => {
    const { overrides } = render(
      "#set($context.responseOverride.status = 404)#set($context.responseOverride.header['X-A'] = 'b')#set($context.requestOverride.querystring.page = '2')",
    );
    expect(overrides).toEqual({ status: 404, headers: { 'X-A': 'b' }, request: { header: {}, path: {}, querystring: { page: '2' } } });
  });

  it.each(['abc', 1000, 99])('R2.12 an invalid status override (%s) is ignored', (status) => {
    expect(render(`#set($context.responseOverride.status = ${typeof status === 'string' ? `"${status}"` : status})`).overrides.status).toBeUndefined();
  });

  it.each([
    { given: '201.0', want: undefined },
    { given: '0x12C', want: undefined },
    { given: '2e2', want: undefined },
    { given: ' 201', want: undefined },
    { given: '201 ', want: undefined },
    { given: '', want: undefined },
    { given: '201', want: 201 },
  ])('R2.12 a status override set to the string $given applies only when it is an integer (want $want)', ({ given, want }) => {
    const template = `#set($context.responseOverride.status = "${given}")`;

    const { overrides } = render(template);

    expect(overrides.status).toBe(want);
  });

  it('a template that does not parse is a VtlError naming the problem', () => {
    expect(() => render('#if($a')).toThrow(/does not parse/);
  });

  it('a method that throws while rendering is a VtlError naming the error and the reference apart (what the log shows of a 500)', () => {
    expect(() => render("$util.parseJson($input.json('$.missing'))")).toThrow(/^mapping template failed: [^,]*JSON[^,]*, in \$util\.parseJson\(\$input\.json\('\$\.missing'\)\) \(line:column 1:0\)$/);
  });
});

describe('$util helpers', () => {
  it.each([
    { given: "a'b", want: "a\\'b" },
    { given: 'line\nbreak\ttab', want: 'line\\nbreak\\ttab' },
    { given: 'é/', want: '\\u00E9\\/' },
    { given: '\x01', want: '\\u0001' },
    { given: 'DEL\x7f stays', want: 'DEL\x7f stays' },
    { given: 'ā€', want: '\\u0101\\u20AC' },
  ])('R3.10 escapeJavaScript($given)', ({ given, want }) => {
    expect(escapeJavaScript(given)).toBe(want);
  });

  it.each([
    { given: 'a b', want: 'a+b' },
    { given: '"x":~!*', want: '%22x%22%3A%7E%21*' },
  ])('R3.12 urlEncode($given) like java.net.URLEncoder', ({ given, want }) => {
    expect(urlEncode(given)).toBe(want);
  });
});
