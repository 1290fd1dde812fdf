import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../../emulator/template/cfn-yaml.js';
import { indentFlowContinuations } from '../../../emulator/template/flow-indent.js';

// The SAM CLI (PyYAML) and CloudFormation accept a multi-line flow collection, or quoted scalar (a mapping template
// with `\` line continuations), whose lines are indented no deeper than its key; YAML 1.2 readers do not. The gateway
// reads such templates as they do.
describe('flow collections indented no deeper than their key', () => {
  it.each([
    {
      given: 'Policy:\n  CustomStatements: [{\n    "Effect": "Allow",\n    "Resource": "execute-api:/*/*/*"\n  }]\n  Other: 1\n',
      want: { Policy: { CustomStatements: [{ Effect: 'Allow', Resource: 'execute-api:/*/*/*' }], Other: 1 } },
    },
    {
      given: 'A:\n  B: !Join\n  - ""\n  - [ "x",\n  "y" ]\n  C: 2\n',
      want: { A: { B: { 'Fn::Join': ['', ['x', 'y']] }, C: 2 } },
    },
    {
      given: 'List:\n  - {a: 1,\n  b: "has ] and } inside"}\n  - 2\n',
      want: { List: [{ a: 1, b: 'has ] and } inside' }, 2] },
    },
    {
      given: 'T:\n  application/json: "#set($x = 1) \\\n  {\\"a\\": \\"$x\\", \\\n    \\"b\\": 2}"\n  Next: 1\n',
      want: { T: { 'application/json': '#set($x = 1) {"a": "$x", "b": 2}', Next: 1 } },
    },
    {
      given: "T:\n  k: 'one\n  two'\n",
      want: { T: { k: 'one two' } },
    },
    // step-functions-workflows-collection's text-processing-sqs-express: an output's sample JSON, its `}"` under the key.
    {
      given: 'Outputs:\n  Sample:\n    Value: "{\n      \\"input\\": \\"abc\\"\n    }"\n  Next:\n    Value: x\n',
      want: { Outputs: { Sample: { Value: '{ "input": "abc" }' }, Next: { Value: 'x' } } },
    },
    {
      given: "Outputs:\n  Sample:\n    Value: '[\n      1\n    ]'\n",
      want: { Outputs: { Sample: { Value: '[ 1 ]' } } },
    },
    {
      given: 'T:\n  k: { "Fn::Sub": "a \\\n  b ${X}" }\n',
      want: { T: { k: { 'Fn::Sub': 'a b ${X}' } } },
    },
  ])('reads $want as PyYAML does', ({ given, want }) => {
    expect(parseCfnYaml(given, 'template.yaml')).toEqual(want);
  });

  it('leaves block scalars alone: a { line inside InlineCode is code, not a flow map', () => {
    const given = 'Code: |\n  {\n  x\nNext: [a,\nb]\n';

    expect(indentFlowContinuations(given)).toBe('Code: |\n  {\n  x\nNext: [a,\n b]\n');
  });

  it('well-indented YAML is not rewritten, and still reads the same', () => {
    const given = 'A:\n  B: [1,\n     2]\n';

    expect(parseCfnYaml(given, 'template.yaml')).toEqual({ A: { B: [1, 2] } });
  });

  it('a flow collection that never closes is still a syntax error naming its line', () => {
    expect(() => parseCfnYaml('A:\n  B: [{\n  "x": 1\n', 'template.yaml')).toThrow(/template\.yaml: line \d+: YAML syntax error/);
  });
});
