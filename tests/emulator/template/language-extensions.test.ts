/** emulator/template/language-extensions.ts: Fn::ForEach (AWS::LanguageExtensions) expanded before the template is read, as CloudFormation does. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/app.js';
import { expandForEach } from '../../../emulator/template/language-extensions.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const TRANSFORM = { Transform: ['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31'] };
/** Collections written as intrinsics: only what the tests below use (a parameter and a Split). */
const collections = (value: unknown): unknown => {
  const v = value as Record<string, unknown>;
  if (v.Ref === 'Names') return 'a,b';
  if (Array.isArray(v['Fn::Split'])) return String(v['Fn::Split'][1]).split(String(v['Fn::Split'][0]));
  return value;
};

describe('expandForEach', () => {
  it.each([
    {
      given: 'a loop over a list in Resources: one resource per item, ${Id} replaced in keys, strings and Sub strings',
      section: { 'Fn::ForEach::Fns': ['Name', ['alpha', 'beta'], { '${Name}Function': { Type: 'T', Properties: { CodeUri: 'src/${Name}/', Path: { 'Fn::Sub': '/${Name}/${Other}' } } } }] },
      want: {
        alphaFunction: { Type: 'T', Properties: { CodeUri: 'src/alpha/', Path: { 'Fn::Sub': '/alpha/${Other}' } } },
        betaFunction: { Type: 'T', Properties: { CodeUri: 'src/beta/', Path: { 'Fn::Sub': '/beta/${Other}' } } },
      },
    },
    {
      given: 'Ref to the identifier: the item; Ref to anything else kept',
      section: { 'Fn::ForEach::T': ['Topic', ['x'], { 'Topic${Topic}': { Type: 'T', Properties: { Name: { Ref: 'Topic' }, Other: { Ref: 'Stage' } } } }] },
      want: { Topicx: { Type: 'T', Properties: { Name: 'x', Other: { Ref: 'Stage' } } } },
    },
    {
      given: '&{Id}: the item without its non-alphanumeric characters',
      section: { 'Fn::ForEach::Cidrs': ['Cidr', ['10.0.2.0/24'], { 'Subnet&{Cidr}': { Type: 'T', Properties: { CidrBlock: '${Cidr}', Tag: '&{Cidr}' } } }] },
      want: { Subnet1002024: { Type: 'T', Properties: { CidrBlock: '10.0.2.0/24', Tag: '1002024' } } },
    },
    {
      given: 'a collection that is a Ref to a CommaDelimitedList parameter',
      section: { 'Fn::ForEach::P': ['N', { Ref: 'Names' }, { 'Q${N}': { Type: 'T' } }] },
      want: { Qa: { Type: 'T' }, Qb: { Type: 'T' } },
    },
    {
      given: 'nested loops: every pair',
      section: { 'Fn::ForEach::Outer': ['Env', ['dev', 'prod'], { 'Fn::ForEach::Inner': ['App', ['web', 'api'], { '${Env}${App}': { Type: 'T', Properties: { N: '${Env}-${App}' } } }] }] },
      want: {
        devweb: { Type: 'T', Properties: { N: 'dev-web' } },
        devapi: { Type: 'T', Properties: { N: 'dev-api' } },
        prodweb: { Type: 'T', Properties: { N: 'prod-web' } },
        prodapi: { Type: 'T', Properties: { N: 'prod-api' } },
      },
    },
    {
      given: 'a loop inside resource properties (keys of a map), beside ordinary keys',
      section: { Fn: { Type: 'T', Properties: { Variables: { FIXED: '1', 'Fn::ForEach::Vars': ['V', { 'Fn::Split': [',', 'A,B'] }, { 'VAR_${V}': '${V}' }] } } } },
      want: { Fn: { Type: 'T', Properties: { Variables: { FIXED: '1', VAR_A: 'A', VAR_B: 'B' } } } },
    },
    {
      given: 'no loop: unchanged',
      section: { Fn: { Type: 'T', Properties: { P: '${Name}' } } },
      want: { Fn: { Type: 'T', Properties: { P: '${Name}' } } },
    },
  ])('$given', ({ section, want }) => {
    // Act
    const expanded = expandForEach({ ...TRANSFORM, Resources: section }, 'template.yaml', collections);

    // Assess
    expect(expanded.Resources).toEqual(want);
  });

  it('expands Conditions and Outputs too, and leaves other sections alone', () => {
    const raw = {
      ...TRANSFORM,
      Parameters: { Names: { Type: 'CommaDelimitedList' } },
      Conditions: { 'Fn::ForEach::C': ['N', ['a'], { 'Is${N}': { 'Fn::Equals': ['${N}', 'a'] } }] },
      Resources: {},
      Outputs: { 'Fn::ForEach::O': ['N', ['a', 'b'], { 'Out${N}': { Value: { Ref: 'N' } } }] },
    };

    const expanded = expandForEach(raw, 'template.yaml', collections);

    expect(expanded).toEqual({ ...raw, Conditions: { Isa: { 'Fn::Equals': ['a', 'a'] } }, Outputs: { Outa: { Value: 'a' }, Outb: { Value: 'b' } } });
  });

  it.each([
    { given: 'Fn::ForEach without the transform', raw: { Resources: { 'Fn::ForEach::X': ['N', ['a'], { 'R${N}': { Type: 'T' } }] } }, want: /Resources: Fn::ForEach needs the AWS::LanguageExtensions transform/ },
    { given: 'an OutputKey without the identifier', raw: { ...TRANSFORM, Resources: { 'Fn::ForEach::X': ['N', ['a', 'b'], { Same: { Type: 'T' } }] } }, want: /Resources\.Fn::ForEach::X\.2\.Same: the OutputKey must contain \$\{N\} or &\{N\}/ },
    { given: 'two items producing the same key', raw: { ...TRANSFORM, Resources: { 'Fn::ForEach::X': ['N', ['a-b', 'ab'], { 'R&{N}': { Type: 'T' } }] } }, want: /Fn::ForEach produces "Rab" more than once/ },
    { given: 'a key produced beside one of the same name', raw: { ...TRANSFORM, Resources: { Ra: { Type: 'T' }, 'Fn::ForEach::X': ['N', ['a'], { 'R${N}': { Type: 'T' } }] } }, want: /Fn::ForEach produces "Ra" more than once/ },
    { given: 'arguments that are not a triple', raw: { ...TRANSFORM, Resources: { 'Fn::ForEach::X': ['N', ['a']] } }, want: /Fn::ForEach::X takes \[Identifier, Collection, \{OutputKey: OutputValue\}\]/ },
    { given: 'a collection that is no list', raw: { ...TRANSFORM, Resources: { 'Fn::ForEach::X': ['N', { Nope: 1 }, { 'R${N}': { Type: 'T' } }] } }, want: /the collection must be a list/ },
    { given: 'an identifier reused by an inner loop', raw: { ...TRANSFORM, Resources: { 'Fn::ForEach::X': ['N', ['a'], { 'Fn::ForEach::Y': ['N', ['b'], { 'R${N}': { Type: 'T' } }] }] } }, want: /the identifier "N" is already used by an enclosing Fn::ForEach/ },
  ])('refuses $given, naming where', ({ raw, want }) => {
    expect(() => expandForEach(raw, 'template.yaml', collections)).toThrow(want);
  });
});

describe('a SAM template with Fn::ForEach, served', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foreach-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'template.yaml');
  writeFileSync(
    file,
    [
      'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]',
      'Parameters:',
      '  Endpoints: { Type: CommaDelimitedList, Default: "users,orders" }',
      'Resources:',
      '  Fn::ForEach::Endpoints:',
      '    - Endpoint',
      '    - !Ref Endpoints',
      '    - ${Endpoint}Function:',
      '        Type: AWS::Serverless::Function',
      '        Properties:',
      `          CodeUri: ${resolve('tests/emulator/fixtures/sam-shapes/src')}`,
      '          Handler: app.handler',
      '          Runtime: nodejs22.x',
      '          Events:',
      '            Get:',
      '              Type: Api',
      '              Properties: { Path: !Sub "/${Endpoint}/{id}", Method: get }',
      '',
    ].join('\n'),
  );

  it('has one function per item, with its own route', async () => {
    const loaded = await loadTemplate(file, { parameterOverrides: {} });

    expect([...loaded.functions.keys()]).toEqual(['usersFunction', 'ordersFunction']);
  });

  it('answers each generated route from its function, and --parameter-overrides changes the collection', async () => {
    // Prepare
    const emulator = await startEmulator({ templatePath: file, port: 0, parameterOverrides: { Endpoints: 'users,carts' }, localDir: join(dir, 'local') });
    try {
      // Act
      const carts = await fetch(`${emulator.apis[0]?.url}/carts/7`);
      const orders = await fetch(`${emulator.apis[0]?.url}/orders/7`);

      // Assess
      expect(carts.status).toBe(200);
      expect(await carts.json()).toEqual({ resource: '/carts/{id}', path: '/carts/7' });
      expect(orders.status).toBe(403);
    } finally {
      await emulator.close();
    }
  });
});
