/** infra/contract.ts: how the one contract's intrinsics are carried to CDK and Terraform (I8.1–I8.3). */
import { describe, expect, it } from 'vitest';
import { lambdaAuthorizers, lambdaPermissions, lambdaRoutes, permissionPath, readContract, referencesOf, splitSub, substitute, type Json, type SubPart } from '../../infra/contract.js';

const asText = (parts: SubPart[]): string => parts.map((p) => ('text' in p ? p.text : `<${p.ref}>`)).join('');

describe('splitSub: Fn::Sub templates into text and references', () => {
  it.each([
    ['arn:${AWS::Partition}:x', [{ text: 'arn:' }, { ref: 'AWS::Partition' }, { text: ':x' }]],
    ["'${AllowedOrigin}'", [{ text: "'" }, { ref: 'AllowedOrigin' }, { text: "'" }]],
    ['${Fn.Arn}', [{ ref: 'Fn.Arn' }]],
    ['no references', [{ text: 'no references' }]],
    ['${!Literal} stays', [{ text: '${Literal} stays' }]],
    ['$context.requestId and $util', [{ text: '$context.requestId and $util' }]],
    ['', []],
  ])('%j', (template, parts) => {
    expect(splitSub(template, '#')).toEqual(parts);
  });

  it.each([
    ['arn:${AWS::Region', /unclosed/],
    ['${not a ref}', /is not a reference/],
    ['${a.b.c}', /is not a reference/],
  ])('refuses %j', (template, error) => {
    expect(() => splitSub(template, '#/x')).toThrow(error);
  });
});

describe('substitute: every intrinsic replaced, everything else kept', () => {
  it.each<[Json, string]>([
    [{ 'Fn::Sub': 'a${B}c' }, 'a<B>c'],
    [{ 'Fn::GetAtt': ['UserPool', 'Arn'] }, '<UserPool.Arn>'],
    [{ 'Fn::GetAtt': 'UserPool.Arn' }, '<UserPool.Arn>'],
    [{ Ref: 'TasksTable' }, '<TasksTable>'],
  ])('%j', (intrinsic, text) => {
    expect(substitute({ a: [1, { b: intrinsic }], c: 'd' }, asText)).toEqual({ a: [1, { b: text }], c: 'd' });
  });

  it.each<[Json, RegExp]>([
    [{ 'Fn::If': ['C', 'a', 'b'] }, /#\/x\/y: Fn::If .* cannot be carried/],
    [{ 'Fn::Sub': ['a${B}', { B: 'c' }] }, /Fn::Sub .* cannot be carried/],
    [{ Ref: 'A', other: 1 }, /Ref must be the only key/],
  ])('refuses %j, naming where it is', (intrinsic, error) => {
    expect(() => substitute({ x: { y: intrinsic } }, asText)).toThrow(error);
  });

  it('leaves the contract read from disk untouched', () => {
    const before = JSON.stringify(readContract());
    const doc = readContract();
    substitute(doc, asText);
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('the Task API contract', () => {
  const contract = readContract();

  it('references pseudo parameters, the allowed origin, the functions, the table, the pool and the read role only', () => {
    expect(referencesOf(contract)).toEqual([
      'AWS::Partition',
      'AWS::Region',
      'AdminAuthorizerFunction.Arn',
      'AllowedOrigin',
      'ApiGatewayTasksReadRole.Arn',
      'CreateTaskFunction.Arn',
      'DeleteTaskFunction.Arn',
      'ListTasksFunction.Arn',
      'ListUserTasksFunction.Arn',
      'TasksTable',
      'UpdateTaskFunction.Arn',
      'UserPool.Arn',
    ]);
  });

  it('routes five operations to Lambda (proxy and non-proxy), getTask goes to DynamoDB directly', () => {
    expect(lambdaRoutes(contract).map((r) => `${permissionPath(r)} ${r.functionName}`)).toEqual([
      'GET/tasks ListTasksFunction',
      'POST/tasks CreateTaskFunction',
      'PUT/tasks/* UpdateTaskFunction',
      'DELETE/tasks/* DeleteTaskFunction',
      'GET/admin/users/*/tasks ListUserTasksFunction',
    ]);
  });

  it('has one Lambda authorizer; the Cognito authorizer is not a function', () => {
    expect([...lambdaAuthorizers(contract)]).toEqual([['AdminAuthorizer', 'AdminAuthorizerFunction']]);
  });

  it('R1.54 needs one permission per Lambda route, any stage, and one for the authorizer', () => {
    expect(lambdaPermissions(contract)).toEqual({
      '*/GET/tasks': 'ListTasksFunction',
      '*/POST/tasks': 'CreateTaskFunction',
      '*/PUT/tasks/*': 'UpdateTaskFunction',
      '*/DELETE/tasks/*': 'DeleteTaskFunction',
      '*/GET/admin/users/*/tasks': 'ListUserTasksFunction',
      'authorizers/*': 'AdminAuthorizerFunction',
    });
  });

  it('a document without Lambda integrations or authorizers needs no permission (the neighbour)', () => {
    expect(lambdaPermissions({ paths: { '/health': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } })).toEqual({});
  });
});

/** The importer's own variables, which API Gateway resolves in a plain string (no Fn::Sub) at import. */
const IMPORTER_VARIABLES = ['AWS::AccountId', 'AWS::Partition', 'AWS::Region'];

/** Strings outside every intrinsic that hold "${": what would reach API Gateway's importer as written. */
function plainVariables(doc: Json): string[] {
  const strings = (node: Json): string[] =>
    typeof node === 'string' ? [node] : Array.isArray(node) ? node.flatMap(strings) : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : [];
  return strings(substitute(doc, () => '')).filter((s) => s.includes('${'));
}

describe('I8.2 the importer\'s ${AWS::…} variables are not relied on', () => {
  it('the contract has no "${" outside an intrinsic: its ${AWS::Partition} and ${AWS::Region} are in Fn::Sub strings each deployer resolves', () => {
    // Act
    const contract = readContract();
    // Assess
    expect(plainVariables(contract)).toEqual([]);
    expect(referencesOf(contract)).toEqual(expect.arrayContaining(['AWS::Partition', 'AWS::Region']));
  });

  it('the neighbour: a plain importer variable (no Fn::Sub) is found', () => {
    // Prepare
    const doc: Json = { uri: 'arn:${AWS::Partition}:apigateway:x', sub: { 'Fn::Sub': 'arn:${AWS::Region}' } };
    // Act, Assess
    expect(plainVariables(doc)).toEqual(['arn:${AWS::Partition}:apigateway:x']);
  });

  it('[chosen: I8.3] the importer\'s variables alone could not carry the contract: it names generated function names, a role, the pool, the table and the origin', () => {
    // Act
    const others = referencesOf(readContract()).filter((r) => !IMPORTER_VARIABLES.includes(r));
    // Assess
    expect(others).toEqual(expect.arrayContaining(['ListTasksFunction.Arn', 'ApiGatewayTasksReadRole.Arn', 'UserPool.Arn', 'TasksTable', 'AllowedOrigin']));
  });
});
