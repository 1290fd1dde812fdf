/**
 * Unit: Velocity 1.7 as API Gateway runs mapping templates (R3.1-R3.7 for $input, Velocity's own rules for the rest):
 * truth in #if/#elseif/&&/||/!, relations and arithmetic, #foreach and its counters, #set of null.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../../emulator/gateway/vtl/engine.js';

const BODY = JSON.stringify({ s: 'abc', zero: 0, list: [1, 2, 3], emptyList: [], map: { a: 1, b: 'x' }, yes: true, no: false, nothing: null, empty: '' });

function render(template: string, body = BODY): string {
  const context = { responseOverride: { header: {} }, requestOverride: { header: {}, path: {}, querystring: {} } };
  const params = { path: { id: '7' }, querystring: { q: '1', r: '2' }, header: { 'X-A': 'h' } };
  return renderTemplate(template, { input: { body, params }, context, stageVariables: null }).output;
}

const truth = (expr: string) => `#if(${expr})T#{else}F#end`;
const p = (path: string) => `$input.path('$.${path}')`;

describe('Velocity 1.7 truth: only null and false are false', () => {
  it.each([
    { rule: 'an empty string is true', expr: '""', want: 'T' },
    { rule: 'zero is true', expr: '0', want: 'T' },
    { rule: 'a JSON 0 is true', expr: p('zero'), want: 'T' },
    { rule: 'a JSON "" is true', expr: p('empty'), want: 'T' },
    { rule: 'an empty list is true', expr: p('emptyList'), want: 'T' },
    { rule: 'the string "false" is true', expr: '"false"', want: 'T' },
    { rule: 'R3.7 a missing parameter ("") is true', expr: "$input.params('missing')", want: 'T' },
    { rule: 'false is false', expr: p('no'), want: 'F' },
    { rule: 'R3.5 a JSON null is false', expr: p('nothing'), want: 'F' },
    { rule: 'R3.5 a missing path is false', expr: p('missing'), want: 'F' },
    { rule: 'an undefined reference is false', expr: '$undefinedVariable', want: 'F' },
    { rule: '! of "" is false', expr: '!""', want: 'F' },
    { rule: '! of null is true', expr: `!${p('nothing')}`, want: 'T' },
    { rule: '&& of "" and true is true', expr: '"" && true', want: 'T' },
    { rule: '&& with null is false', expr: `true && ${p('missing')}`, want: 'F' },
    { rule: '|| of 0 and false is true', expr: '0 || false', want: 'T' },
    { rule: '|| of null and false is false', expr: `${p('missing')} || false`, want: 'F' },
  ])('#if: $rule', ({ expr, want }) => {
    expect(render(truth(expr))).toBe(want);
  });

  it.each([
    { given: 'null, then ""', template: `#if(${p('nothing')})a#elseif("")b#{else}c#end`, want: 'b' },
    { given: 'false, then null', template: `#if(false)a#elseif(${p('missing')})b#{else}c#end`, want: 'c' },
    { given: 'a true first branch', template: '#if(0)a#elseif(true)b#{else}c#end', want: 'a' },
  ])('#elseif / #else: $given → $want', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });
});

describe('Velocity 1.7 relations and arithmetic', () => {
  it.each([
    { rule: 'numbers compare', template: truth('2 > 1'), want: 'T' },
    { rule: 'a JSON number compares', template: truth(`${p('zero')} < 1`), want: 'T' },
    { rule: 'strings do not compare (false, not lexical order)', template: truth('"b" > "a"'), want: 'F' },
    { rule: 'null does not compare', template: truth(`${p('missing')} <= 1`), want: 'F' },
    { rule: 'integers divide as integers', template: '#set($x = 7 / 2)$x', want: '3' },
    { rule: 'negative integer division truncates toward zero', template: '#set($x = -7 / 2)$x', want: '-3' },
    { rule: 'a decimal divides as a decimal', template: '#set($x = 7.5 / 2)$x', want: '3.75' },
    { rule: 'division by zero is null: #set keeps the old value', template: '#set($x = 1)#set($x = 5 / 0)$x', want: '1' },
    { rule: 'modulo by zero is null', template: '#set($x = 1)#set($x = 5 % 0)$x', want: '1' },
    { rule: '+ with a string concatenates', template: '#set($x = "a" + 1)$x', want: 'a1' },
    { rule: '+ with null is null (never "NaN")', template: `#set($x = 1)#set($x = ${p('missing')} + 1)$x`, want: '1' },
    { rule: '- on a string is null', template: '#set($x = 1)#set($x = "a" - 1)$x', want: '1' },
    { rule: 'numbers add', template: '#set($x = 2 * 3 + 1)$x', want: '7' },
  ])('$rule', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });
});

describe('#foreach', () => {
  it.each([
    { rule: '$foreach.hasNext separates items', template: `#foreach($i in ${p('list')})$i#if($foreach.hasNext),#end#end`, want: '1,2,3' },
    { rule: '$velocityHasNext (Velocity 1.7 keeps it) separates items', template: `#foreach($i in ${p('list')})$i#if($velocityHasNext),#end#end`, want: '1,2,3' },
    { rule: '$velocityHasNext over a keySet()', template: `#foreach($k in ${p('map')}.keySet())"$k"#if($velocityHasNext),#end#end`, want: '"a","b"' },
    { rule: '$velocityHasNext of an outer #foreach after an inner one ends', template: '#foreach($o in [1,2])#foreach($i in ["a"])$i#end$o#if($velocityHasNext),#end#end', want: 'a1,a2' },
    { rule: '$velocityCount counts from 1', template: '#foreach($i in ["a","b"])$velocityCount#end', want: '12' },
    { rule: '$foreach.count from 1, $foreach.index from 0', template: '#foreach($i in ["a","b"])$foreach.count$foreach.index;#end', want: '10;21;' },
    { rule: 'a Map iterates its values', template: `#foreach($v in ${p('map')})[$v]#end`, want: '[1][x]' },
    { rule: 'null iterates nothing', template: `#foreach($v in ${p('missing')})x#end.`, want: '.' },
    { rule: 'an empty list iterates nothing', template: `#foreach($v in ${p('emptyList')})x#end.`, want: '.' },
    { rule: 'R3.6 the query string map iterates by keySet() and get()', template: "#foreach($k in $input.params().querystring.keySet())$k=$input.params().querystring.get($k)#if($foreach.hasNext)&#end#end", want: 'q=1&r=2' },
    { rule: 'R3.3 the top-level array of a body', template: "#foreach($o in $input.path('$'))$o.n#end", body: '[{"n":1},{"n":2}]', want: '12' },
  ])('$rule', ({ template, body, want }) => {
    expect(render(template, body)).toBe(want);
  });
});

describe('#set', () => {
  it.each([
    { rule: '[AMBIGUOUS] #set of null keeps the previous value', template: `#set($a = "old")#set($a = ${p('nothing')})$a`, want: 'old' },
    { rule: '#set of a missing path keeps the previous value', template: `#set($a = "old")#set($a = ${p('missing')})$a`, want: 'old' },
    { rule: '#set of "" assigns it', template: '#set($a = "old")#set($a = "")[$a]', want: '[]' },
    { rule: '#set of false assigns it', template: '#set($a = "old")#set($a = false)$a', want: 'false' },
    { rule: 'double quotes interpolate, single quotes do not', template: '#set($n = "W")#set($a = "x$n")#set($b = \'x$n\')$a|$b', want: 'xW|x$n' },
    { rule: 'a map literal and put', template: '#set($m = {})#set($d = $m.put("k", 1))$m.k', want: '1' },
  ])('$rule', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });
});

describe('$input (R3.1-R3.7)', () => {
  it.each([
    { rule: 'R3.1 $input.body of a non-JSON body is the raw text', template: '$input.body', body: 'a=1&b=2', want: 'a=1&b=2' },
    { rule: "R3.2 $input.json('$') of an empty body is {}", template: "$input.json('$')", body: '', want: '{}' },
    { rule: 'R3.2 $input.json of an array element', template: "$input.json('$[1]')", body: '[{"a":1},{"b":"x"}]', want: '{"b":"x"}' },
    { rule: 'R3.2 $input.json of a number is unquoted', template: "$input.json('$.zero')", want: '0' },
    { rule: 'R3.3 size() of a top-level array', template: "$input.path('$').size()", body: '[1,2]', want: '2' },
    { rule: 'R3.3 size() of an empty list', template: `${p('emptyList')}.size()`, want: '0' },
    { rule: 'R3.3 size() of a Map', template: `${p('map')}.size()`, want: '2' },
    { rule: 'R3.3 [n] on a list', template: `${p('list')}[2]`, want: '3' },
    { rule: 'R3.3 [*] gives a list', template: "$input.path('$[*].n').size()", body: '[{"n":1},{"n":2}]', want: '2' },
    { rule: 'R3.3 dot access on the returned Map', template: `#set($m = ${p('map')})$m.b`, want: 'x' },
    { rule: "R3.3 $input.path('$') of a non-JSON body is the body", template: "$input.path('$')", body: 'plain', want: 'plain' },
    { rule: 'R3.6 $input.params().header by name', template: "$input.params().header.get('X-A')", want: 'h' },
    { rule: 'R3.6 $input.params().path', template: '$input.params().path.id', want: '7' },
  ])('$rule', ({ template, body, want }) => {
    expect(render(template, body)).toBe(want);
  });
});

describe('a template rendered again (its parse is kept) starts from a clean scope', () => {
  it.each([
    { given: '#set overwrites per render', template: "#set($n = $input.path('$.n'))$n", bodies: ['{"n":1}', '{"n":2}'], want: ['1', '2'] },
    { given: '#foreach over a different list each time', template: "#foreach($x in $input.path('$.l'))$x;#end", bodies: ['{"l":[1,2]}', '{"l":[3]}'], want: ['1;2;', '3;'] },
    { given: '#if takes the other branch', template: "#if($input.path('$.b'))yes#{else}no#end", bodies: ['{"b":true}', '{"b":false}'], want: ['yes', 'no'] },
    { given: 'a variable set in the first render is unset in the second', template: "#if($input.path('$.b'))#set($only = 'first')#end[$!only]", bodies: ['{"b":true}', '{"b":false}'], want: ['[first]', '[]'] },
  ])('$given', ({ template, bodies, want }) => {
    expect(bodies.map((body) => render(template, body))).toEqual(want);
  });
});

describe('R3: a reference right before a directive and a brace (Velocity 1.7 reads it; velocityjs did not parse it)', () => {
  const o = `#set($o = ${p('map')})`;
  it.each([
    { given: 'the #if branch', template: `${o}#if($o.b == "x")$o.b#else{"error": "$o.a"}#end`, want: 'x' },
    { given: 'the #else branch', template: `${o}#if($o.b == "y")$o.b#else{"error": "$o.a"}#end`, want: '{"error": "1"}' },
    { given: 'a method call', template: `#if(true)${p('s')}#else{"e": 1}#end`, want: 'abc' },
    { given: 'a quiet reference and #{else}', template: `${o}#if(true)$!o.b#{else}{"e": 1}#end`, want: 'x' },
    { given: '#end then a brace', template: `${o}#if(true)$o.b#end{"n": 1}`, want: 'x{"n": 1}' },
  ])('$given renders as Velocity 1.7 does', ({ template, want }) => {
    // Act
    const got = render(template);

    // Assess
    expect(got).toBe(want);
  });
});

describe('R3: a quote written twice inside a string literal is one quote (Velocity 1.7; velocityjs did not parse it)', () => {
  it.each([
    {
      given: 'a JSON document built in #set for $util.base64Encode (Kinesis and Firehose PutRecord)',
      template: `#set($data = "{""s"": ${p('s')}, ""id"": ""$input.params('id')""}")$data`,
      want: '{"s": abc, "id": "7"}',
    },
    { given: 'an interpolated string passed to a method', template: `$util.urlEncode("say ""$input.params('q')""")`, want: 'say+%221%22' },
    { given: 'the doubled quote of a single-quoted literal', template: "#set($t = 'it''s')$t", want: "it's" },
    { given: 'a literal that is only a quote', template: '#set($t = """")$t', want: '"' },
    { given: 'an empty literal beside one', template: `#if(${p('empty')} == "")#set($t = "a""b")$t#end`, want: 'a"b' },
    { given: 'a map literal', template: `#set($m = {"k": "x""y"})$m.k`, want: 'x"y' },
    { given: 'text outside a directive keeps its doubled quotes', template: `{"e": "", "t": "a""b"}#set($t = "c""d")$t`, want: '{"e": "", "t": "a""b"}c"d' },
  ])('$given', ({ template, want }) => {
    // Act
    const got = render(template);

    // Assess
    expect(got).toBe(want);
  });
});

describe('R3.2, R3.3: an integer beyond 2^53 in the payload keeps its digits (Java reads it as a Long or a BigInteger)', () => {
  const BIG = '{"id": 12345678901234567890, "neg": -9007199254740993, "list": [9007199254740993], "s": "12345678901234567890"}';
  it.each([
    { given: '$input.json of the number', template: "$input.json('$.id')", want: '12345678901234567890' },
    { given: '$input.path of the number', template: "$input.path('$.id')", want: '12345678901234567890' },
    { given: 'a negative one', template: "$input.path('$.neg')", want: '-9007199254740993' },
    {
      given: "$input.json('$')",
      template: "$input.json('$')",
      want: '{"id":12345678901234567890,"neg":-9007199254740993,"list":[9007199254740993],"s":"12345678901234567890"}',
    },
    { given: 'a List printed', template: "$input.path('$.list')", want: '[9007199254740993]' },
    { given: 'a Map printed', template: "#set($m = $input.path('$'))$m.list $m.id", want: '[9007199254740993] 12345678901234567890' },
    { given: '$util.parseJson', template: `$util.parseJson('{"n": 9007199254740993}').n`, want: '9007199254740993' },
    { given: 'a string of digits stays a string', template: "$input.json('$.s')", want: '"12345678901234567890"' },
    { given: 'arithmetic', template: "#set($n = $input.path('$.list[0]') + 1)$n", want: '9007199254740994' },
    { given: 'a comparison with a small number', template: "#if($input.path('$.id') > 5)gt#end", want: 'gt' },
    { given: 'equality with itself', template: "#if($input.path('$.list[0]') == $input.path('$.neg') * -1)eq#end", want: 'eq' },
  ])('$given', ({ template, want }) => {
    // Act
    const got = render(template, BIG);

    // Assess
    expect(got).toBe(want);
  });
});
