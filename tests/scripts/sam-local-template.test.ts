/** `npm run sam:local-template`: a template.yaml variant the SAM CLI's OpenAPI reader accepts (scripts/sam-local-template.ts). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../emulator/template/cfn-yaml.js';
import { falseByDefault, samLocalDocument, samLocalTemplate } from '../../scripts/sam-local-template.js';

type Json = Record<string, unknown>;
const proxy = { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:F/invocations' };
const CONTRACT: Json = {
  openapi: '3.0.3',
  security: [{ Key: [] }],
  paths: {
    '/both': { get: { security: [{ Pool: [], Key: [] }], 'x-amazon-apigateway-integration': proxy } },
    '/split': { get: { security: [{ Key: [] }, { Custom: [] }], 'x-amazon-apigateway-integration': proxy } },
    '/key': { get: { security: [{ Key: [] }], 'x-amazon-apigateway-integration': proxy } },
    '/open': { get: { security: [], 'x-amazon-apigateway-integration': proxy } },
    '/mock': { get: { security: [{ Pool: [], Key: [] }], 'x-amazon-apigateway-integration': { type: 'mock' } } },
  },
  components: {
    securitySchemes: {
      Key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      Pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn'] } },
      Custom: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'u' } },
    },
  },
};

/** The SAM CLI's rule for a Lambda-proxy method: at most one requirement, naming exactly one scheme. */
function samAccepts(op: Json): boolean {
  const security = op.security;
  if (security === undefined) return true;
  return Array.isArray(security) && security.length <= 1 && security.every((r) => Object.keys(r as Json).length === 1);
}

describe('samLocalDocument', () => {
  const { document, routes } = samLocalDocument(CONTRACT);
  const op = (path: string) => ((document.paths as Json)[path] as Json).get as Json;

  it.each([
    { path: '/both', want: [{ Pool: [] }] },
    { path: '/split', want: [{ Custom: [] }] },
    { path: '/key', want: [{ Key: [] }] },
    { path: '/open', want: [] },
  ])('a Lambda-proxy method keeps one scheme, the authorizer first: $path', ({ path, want }) => {
    expect(op(path).security).toEqual(want);
    expect(samAccepts(op(path))).toBe(true);
  });

  it('leaves non-proxy methods (which sam local does not serve) and the input as they were; drops root security (R6.2)', () => {
    expect(op('/mock').security).toEqual([{ Pool: [], Key: [] }]);
    expect(document.security).toBeUndefined();
    expect(((CONTRACT.paths as Json)['/both'] as Json).get).toMatchObject({ security: [{ Pool: [], Key: [] }] });
  });

  it('lists what sam local serves and what only this gateway serves, and which checks sam local skips', () => {
    expect(routes.map((r) => [r.path, r.samServes])).toEqual([
      ['/both', true],
      ['/split', true],
      ['/key', true],
      ['/open', true],
      ['/mock', false],
    ]);
    expect(routes[0]?.note).toBe('Pool is not checked by sam local (requests reach the function unauthenticated); not checked: Key');
    expect(routes[1]?.note).toBe('Lambda authorizer Custom runs in sam local; not checked: Key');
  });
});

describe('falseByDefault', () => {
  it('names the Equals-on-a-parameter conditions false at the defaults, and only those', () => {
    const template = {
      Parameters: { Kind: { Default: 'REST' }, Flag: { Default: 'false' }, NoDefault: { Type: 'String' } },
      Conditions: {
        IsRest: { 'Fn::Equals': [{ Ref: 'Kind' }, 'REST'] },
        IsHttp: { 'Fn::Equals': [{ Ref: 'Kind' }, 'HTTP'] },
        FlagOn: { 'Fn::Equals': [{ Ref: 'Flag' }, 'true'] },
        Unknown: { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] },
        Both: { 'Fn::And': [{ Condition: 'IsHttp' }, { Condition: 'FlagOn' }] },
      },
    };
    expect([...falseByDefault(template)].sort()).toEqual(['FlagOn', 'IsHttp']);
  });
});

describe('samLocalTemplate on the Task API', () => {
  const { text, routes } = samLocalTemplate(resolve('template.yaml'));
  const template = parseCfnYaml(text, 'template.sam-local.yaml') as { Resources: Record<string, { Type: string; Properties: Json }> };
  const api = Object.values(template.Resources).find((r) => r.Type === 'AWS::Serverless::Api');
  const body = api?.Properties.DefinitionBody as Json;

  it('inlines the contract and keeps the rest of template.yaml, short-form intrinsics included', () => {
    expect(body.openapi).toBe('3.0.3');
    expect(body['Fn::Transform']).toBeUndefined();
    expect(text).toMatch(/!GetAtt /);
    const original = (parseCfnYaml(readFileSync(resolve('template.yaml'), 'utf8'), 'template.yaml') as { Resources: Record<string, { Condition?: string }> }).Resources;
    expect(Object.keys(template.Resources)).toEqual(Object.keys(original).filter((id) => original[id]?.Condition !== 'HttpApiSelected'));
  });

  it("leaves out the HTTP API variant (ApiType=HTTP is not the default): the SAM CLI serves every API it finds", () => {
    expect(Object.values(template.Resources).map((r) => r.Type)).not.toContain('AWS::Serverless::HttpApi');
    expect(template.Resources).toHaveProperty('TaskApi');
    expect(template.Resources).not.toHaveProperty('GetTaskFunction');
  });

  it('every Lambda-proxy method passes the SAM CLI security rule; the non-proxy ones are listed as served by npm start only', () => {
    const ops = Object.values(body.paths as Record<string, Json>).flatMap((item) => Object.values(item).filter((o): o is Json => typeof o === 'object' && o !== null && !Array.isArray(o)));
    const proxies = ops.filter((o) => (o['x-amazon-apigateway-integration'] as Json | undefined)?.type === 'aws_proxy');

    expect(proxies.length).toBeGreaterThan(0);
    expect(proxies.every(samAccepts)).toBe(true);
    expect(routes.filter((r) => r.samServes).length).toBe(proxies.length);
    expect(routes.filter((r) => !r.samServes).map((r) => `${r.method} ${r.path}`)).toContain('PUT /tasks/{taskId}');
  });
});
