/** The offline evaluator the Terraform facts rest on: what it evaluates, and that what it cannot know stays visible. */
import { describe, expect, it } from 'vitest';
import type { Json } from './cfn.js';
import { hclEvaluator, parseExpression } from './hcl-eval.js';

const evaluate = hclEvaluator({
  vars: { api_type: 'HTTP', name: 'task-api', limit: 5 },
  locals: {
    http: '${var.api_type == "HTTP"}',
    all: { A: { apis: ['REST', 'HTTP'], size: 1 }, B: { apis: ['HTTP'], size: 0 } },
    selected: '${{ for k, f in local.all : k => f if contains(f.apis, var.api_type) }}',
  },
  names: { 'aws_dynamodb_table.tasks.arn': '${TasksTable.Arn}' },
});

describe('hclEvaluator', () => {
  it.each<[string, Json]>([
    ['${var.name}-tasks', 'task-api-tasks'],
    ['${local.http ? 1 : 0}', 1],
    ['${!local.http || var.limit > 4}', true],
    ['${var.limit >= 6 && local.http}', false],
    ['${keys_of_nothing}', '<tf:keys_of_nothing>'],
    ['${aws_dynamodb_table.tasks.arn}/index/byStatus', '${TasksTable.Arn}/index/byStatus'],
    ['${aws_dynamodb_table.tasks.name}', '<tf:aws_dynamodb_table.tasks.name>'],
    ['${local.http ? aws_dynamodb_table.tasks.id : null}', '<tf:aws_dynamodb_table.tasks.id>'],
    ['${local.http == aws_x.y.z}', '<tf:local.http == aws_x.y.z>'],
    ['${[for k, f in local.selected : k if f.size > 0]}', ['A']],
    ['${length({ for k, f in local.all : k => f if contains(f.apis, "REST") })}', 1],
    ['${jsonencode({ a = "x\\"y", b = [var.limit] })}', '{"a":"x\\"y","b":[5]}'],
    ['literal $${kept}', 'literal ${kept}'],
    ['${merge({}, { k = local.all["B"].size })}', { k: 0 }],
    ['${concat(["a"], [], [var.limit])}', ['a', 5]],
    ['${one(concat([], ["only"]))}', 'only'],
    ['${one([])}', null],
    ['${one(aws_x.y[*].z)}', '<tf:one(aws_x.y[*].z)>'],
  ])('%s → %j', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('evaluates for_each maps with `each` bound', () => {
    expect(Object.keys(evaluate('${local.selected}') as object)).toEqual(['A', 'B']);
    expect(evaluate('${each.key}-${each.value.size}', { each: { key: 'A', value: { size: 1 } } })).toBe('A-1');
  });

  it('one() of more than one element fails, as in Terraform', () => {
    expect(() => evaluate('${one(["a", "b"])}')).toThrow(/one\(\) of 2 elements/);
  });

  // Arithmetic is not used by the configuration: refused rather than misread.
  it.each(['a ? b', 'f(', '{ for x in y }', 'a b', 'var.limit + 1'])('refuses the expression %j', (source) => {
    expect(() => parseExpression(source)).toThrow();
  });
});
