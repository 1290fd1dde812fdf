/** Unit: Java methods on template values (R3.3: Strings, Lists and Maps) where JavaScript's differ or are missing. */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../../emulator/gateway/vtl/engine.js';

const BODY = JSON.stringify({ s: 'aXbXc', csv: 'a,b,,', list: [1, 2, [3]], map: { a: 1, b: 'x' }, one: 1 });

function render(template: string): string {
  const context = { responseOverride: { header: {} }, requestOverride: { header: {}, path: {}, querystring: {} } };
  return renderTemplate(template, { input: { body: BODY, params: { path: {}, querystring: {}, header: {} } }, context, stageVariables: null }).output;
}

const p = (path: string) => `$input.path('$.${path}')`;

describe('String', () => {
  it.each([
    { method: 'replace is literal and replaces every occurrence', template: `${p('s')}.replace("X", ".")`, want: 'a.b.c' },
    { method: 'replace does not read a regex', template: `${p('s')}.replace(".", "-")`, want: 'aXbXc' },
    { method: 'replaceAll reads a regex', template: `${p('s')}.replaceAll("[Xb]", "")`, want: 'ac' },
    { method: 'replaceFirst replaces the first match only', template: `${p('s')}.replaceFirst("X", "-")`, want: 'a-bXc' },
    { method: 'split reads a regex and drops trailing empty strings', template: `${p('csv')}.split(",").size()`, want: '2' },
    { method: 'split keeps inner empty strings', template: '#set($t = "a,,b")$t.split(",").size()', want: '3' },
    { method: 'split by a regex', template: '#set($t = "a1b22c")$t.split("[0-9]+").size()', want: '3' },
    { method: 'equalsIgnoreCase', template: `${p('s')}.equalsIgnoreCase("AxBxC")`, want: 'true' },
    { method: 'equalsIgnoreCase of a number is false', template: '#set($t = "1")$t.equalsIgnoreCase(1)', want: 'false' },
    { method: 'equals is exact', template: `${p('s')}.equals("axbxc")`, want: 'false' },
    { method: 'length()', template: `${p('s')}.length()`, want: '5' },
    { method: 'contains', template: `${p('s')}.contains("bX")`, want: 'true' },
    { method: 'matches needs the whole string', template: `${p('s')}.matches("X.*")`, want: 'false' },
    // Java counts code points: 200 emoji are 200 characters (400 UTF-16 units, which a JavaScript RegExp without
    // Unicode mode counted, and the Task API's stored-task check then refused a task the contract allows).
    { method: 'matches counts an emoji as one character (200 of them)', template: `#set($t = "${'😀'.repeat(200)}")$t.matches("[\\s\\S]{1,200}")`, want: 'true' },
    { method: 'matches: 201 emoji are over {1,200}', template: `#set($t = "${'😀'.repeat(201)}")$t.matches("[\\s\\S]{1,200}")`, want: 'false' },
    { method: 'matches: one emoji is one `.`', template: '#set($t = "😀")$t.matches(".")', want: 'true' },
    { method: 'matches reads Java syntax ([\\w-_], a POSIX class)', template: '#set($t = "a-b_c")$t.matches("[\\w-_]+") $t.matches("\\p{Alpha}.*")', want: 'true true' },
    { method: 'isEmpty of ""', template: '#set($t = "")$t.isEmpty()', want: 'true' },
    { method: 'substring, toUpperCase, indexOf', template: `${p('s')}.substring(1, 3).toUpperCase()${p('s').concat('')}.indexOf("b")`, want: 'XB2' },
  ])('$method', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });
});

describe('bean properties: `.empty` is isEmpty() on a String or List (Velocity tries getEmpty, a Map\'s get, then isEmpty)', () => {
  it.each([
    { given: 'an empty String', template: '#set($t = "")$t.empty', want: 'true' },
    { given: 'a String', template: `${p('s')}.empty`, want: 'false' },
    { given: 'an empty List', template: '#set($l = [])$l.empty', want: 'true' },
    { given: 'a List', template: `${p('list')}.empty`, want: 'false' },
    { given: 'a Map: its key "empty" (none here, so nothing)', template: `[${p('map')}.empty]`, want: '[]' },
    { given: 'a Map with a key "empty"', template: '#set($m = {"empty": "yes"})$m.empty', want: 'yes' },
    { given: 'CDK StepFunctionsRestApi`s test of an empty request context', template: '#set($rc = "")#if($rc && !$rc.empty)with#{else}without#end', want: 'without' },
  ])('$given', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });
});

describe('List and Map', () => {
  it.each([
    { method: 'List.contains uses equals', template: `${p('list')}.contains(2)`, want: 'true' },
    { method: 'List.contains of a nested list', template: `${p('list')}.contains([3])`, want: 'true' },
    { method: 'List.contains does not match "2" to 2', template: `${p('list')}.contains("2")`, want: 'false' },
    { method: 'List.add answers true', template: '#set($l = [])$l.add(1)$l', want: 'true[1]' },
    { method: 'List.add(index, value) inserts', template: '#set($l = [1, 3])#set($d = $l.add(1, 2))$l', want: '[1,2,3]' },
    { method: 'Map.put answers the previous value (null renders "")', template: '#set($m = {"k": "old"})[$m.put("k", "new")][$m.put("j", 1)]$m.k', want: '[old][]new' },
    { method: 'Map.put refuses prototype keys', template: '#set($m = {})#set($d = $m.put("__proto__", 1))$m.size()', want: '0' },
    { method: 'Map.values', template: `${p('map')}.values().size()`, want: '2' },
    { method: 'Map.keySet', template: `#foreach($k in ${p('map')}.keySet())$k#end`, want: 'ab' },
    // Java's collection views print as AbstractCollection does; a List from the body stays compact JSON (R3.4).
    { method: 'Map.keySet printed', template: `${p('map')}.keySet()`, want: '[a, b]' },
    { method: 'Map.values printed', template: `${p('map')}.values()`, want: '[1, x]' },
    { method: 'Map.keySet size', template: `${p('map')}.keySet().size()`, want: '2' },
    { method: 'Map.keySet contains', template: `${p('map')}.keySet().contains("a")`, want: 'true' },
    { method: 'the neighbour: a List from the body prints as JSON', template: `${p('list')}`, want: '[1,2,[3]]' },
    { method: 'Map.containsKey', template: `${p('map')}.containsKey("b")/${p('map')}.containsKey("z")`, want: 'true/false' },
    { method: 'Map.get', template: `${p('map')}.get("b")`, want: 'x' },
    { method: 'Map.equals compares entries', template: `${p('map')}.equals({"b": "x", "a": 1})`, want: 'true' },
  ])('$method', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });
});

describe('Integer and Long: a number`s own methods, and its class`s static parsers called through it (#set($Integer = 0))', () => {
  it.each([
    { method: 'Integer.parseInt through an Integer', template: '#set($Integer = 0)$Integer.parseInt("42")', want: '42' },
    { method: 'parseInt gives a number arithmetic takes', template: '#set($Integer = 1)#set($n = $Integer.parseInt("-7") + 1)$n', want: '-6' },
    { method: 'parseInt of a value from the body', template: `#set($Integer = 0)#set($s = "${p('one')}")$Integer.parseInt($s)`, want: '1' },
    { method: 'Integer.valueOf', template: '#set($Integer = 0)$Integer.valueOf("12")', want: '12' },
    { method: 'Long.parseLong through a Long', template: '#set($Long = 100000000000000)$Long.parseLong("9007199254740993")', want: '9007199254740993' },
    { method: 'intValue of a JSON integer', template: `${p('one')}.intValue()`, want: '1' },
    { method: 'intValue truncates a Double', template: '#set($d = 2.75)$d.intValue()', want: '2' },
    { method: 'longValue truncates toward zero', template: '#set($d = -2.75)$d.longValue()', want: '-2' },
    { method: 'intValue of a Long beyond int wraps, as Java narrows', template: '#set($l = 3000000000)$l.intValue()', want: '-1294967296' },
    { method: 'the neighbour: a String has no parseInt', template: '#set($t = "0")[$t.parseInt("5")]', want: '[]' },
  ])('$method', ({ template, want }) => {
    expect(render(template)).toBe(want);
  });

  it.each([
    { given: 'a decimal', arg: '"4.2"' },
    { given: 'an empty string', arg: '""' },
    { given: 'a value beyond int', arg: '"2147483648"' },
  ])('parseInt of $given throws NumberFormatException: the template fails, as on AWS', ({ arg }) => {
    expect(() => render(`#set($Integer = 0)$Integer.parseInt(${arg})`)).toThrow(/NumberFormatException: For input string/);
  });
});

describe('String#substring and #charAt: an index outside the string throws StringIndexOutOfBoundsException', () => {
  it.each([
    { call: 'substring(2)', want: 'bXc' },
    { call: 'substring(5)', want: '' },
    { call: 'substring(1, 3)', want: 'Xb' },
    { call: 'substring(0, 5)', want: 'aXbXc' },
    { call: 'charAt(4)', want: 'c' },
  ])('$call within the string', ({ call, want }) => {
    expect(render(`${p('s')}.${call}`)).toBe(want);
  });

  it.each([
    { given: 'an end past the string (truncating a short value)', call: 'substring(0, 10)' },
    { given: 'a begin after the end', call: 'substring(3, 1)' },
    { given: 'a negative begin', call: 'substring(-1)' },
    { given: 'a begin past the string', call: 'substring(6)' },
    { given: 'charAt past the string', call: 'charAt(5)' },
  ])('$given: the template fails, as on AWS', ({ call }) => {
    expect(() => render(`${p('s')}.${call}`)).toThrow(/StringIndexOutOfBoundsException/);
  });
});
