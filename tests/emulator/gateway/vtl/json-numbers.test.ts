/**
 * Unit: JSON numbers in mapping templates keep what API Gateway's Java engine keeps: an integer past 2^53 its exact
 * digits (a long or BigInteger, where JSON.parse rounds 9007199254740993 to ...992), a decimal its double value (1.10 is 1.1).
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../../emulator/gateway/vtl/engine.js';

function render(template: string, body: string): string {
  const context = { responseOverride: { header: {} }, requestOverride: { header: {}, path: {}, querystring: {} } };
  const params = { path: {}, querystring: {}, header: {} };
  return renderTemplate(template, { input: { body, params }, context, stageVariables: null }).output;
}

describe('R3.2 / R3.3 JSON numbers as the Java engine holds them', () => {
  it.each([
    { rule: 'R3.2 $input.json of an integer past 2^53', template: "$input.json('$.id')", body: '{"id":9007199254740993}', want: '9007199254740993' },
    { rule: 'R3.3 $input.path of an integer past 2^53, quoted', template: `"$input.path('$.id')"`, body: '{"id":9007199254740993}', want: '"9007199254740993"' },
    { rule: 'R3.3 a negative one', template: "$input.path('$.id')", body: '{"id":-9007199254740993}', want: '-9007199254740993' },
    { rule: 'R3.2 a BigInteger (past a long)', template: "$input.json('$.id')", body: '{"id":123456789012345678901234567890}', want: '123456789012345678901234567890' },
    { rule: 'R3.2 $input.json of the whole body', template: "$input.json('$')", body: '{"id":9007199254740993,"l":[18446744073709551617,1.5]}', want: '{"id":9007199254740993,"l":[18446744073709551617,1.5]}' },
    { rule: 'R3.4 a Map holding one renders it Java-style', template: "$input.path('$')", body: '{"id":9007199254740993}', want: '{id=9007199254740993}' },
    { rule: 'R3.4 a List holding one renders it as JSON', template: "$input.path('$.l')", body: '{"l":[9007199254740993]}', want: '[9007199254740993]' },
    { rule: 'R3.2 a decimal is a double: 1.10 is 1.1', template: "$input.json('$.p')", body: '{"p":1.10,"big":12345678901234567}', want: '1.1' },
    { rule: 'R3.2 a decimal past a double keeps its value (not null)', template: "$input.json('$.x')", body: '{"x":1e400}', want: '1e400' },
    { rule: 'R3.11 $util.parseJson of $input.body keeps the digits too', template: '$util.parseJson($input.body).id', body: '{"id":9007199254740993}', want: '9007199254740993' },
    { rule: 'R3.2 neighbour: a safe integer is unchanged', template: "$input.json('$.id')", body: '{"id":9007199254740991}', want: '9007199254740991' },
  ])('$rule', ({ template, body, want }) => {
    const output = render(template, body);

    expect(output).toBe(want);
  });

  it('R3.3 a "__proto__" key in a body with a long number stays a key, as JSON.parse keeps it', () => {
    const body = '{"__proto__":{"polluted":1},"id":9007199254740993}';

    const output = render("$input.json('$')", body);

    expect(JSON.parse(output.replace('9007199254740993', '0'))).toEqual(JSON.parse('{"__proto__":{"polluted":1},"id":0}'));
    expect(output).toContain('"id":9007199254740993');
  });
});
