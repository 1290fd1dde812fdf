/**
 * Every operation of the contract is served: a Lambda integration names a function of
 * template.yaml that API Gateway may invoke, whose handler file exists and has a sample event;
 * every other operation is a mock or a DynamoDB service integration.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../emulator/template/cfn-yaml.js';
import { TEMPLATE_PATH } from '../support/dynalite.js';
import { contract, operations } from '../support/contract.js';
import { EVENTS_DIR } from '../support/events.js';

type Json = Record<string, unknown>;
const FUNCTIONS_DIR = resolve(import.meta.dirname, '../../functions');
const template = parseCfnYaml(readFileSync(TEMPLATE_PATH, 'utf8'), TEMPLATE_PATH) as { Resources: Record<string, { Type: string; Properties?: Json }> };
const events = readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json'));

/** The logical id in `${XFunction.Arn}` of a Lambda invocation URI (Fn::Sub, intrinsics kept). */
function functionOfUri(uri: unknown): string | undefined {
  const text = typeof uri === 'string' ? uri : JSON.stringify(uri ?? '');
  if (!text.includes(':lambda:path/2015-03-31/functions/')) return undefined;
  return /\$\{([A-Za-z0-9]+)\.Arn\}/.exec(text)?.[1];
}

const refersTo = (value: unknown, id: string): boolean => {
  const v = value as Json | string | undefined;
  if (typeof v === 'string') return v === id;
  return v?.Ref === id || (Array.isArray(v?.['Fn::GetAtt']) && (v['Fn::GetAtt'] as unknown[])[0] === id);
};

function invokableByApiGateway(id: string): boolean {
  const fn = template.Resources[id];
  const apiEvent = Object.values((fn?.Properties?.Events as Record<string, { Type?: string }> | undefined) ?? {}).some((e) => e.Type === 'Api');
  const permission = Object.values(template.Resources).some(
    (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties?.Principal === 'apigateway.amazonaws.com' && refersTo(r.Properties.FunctionName, id),
  );
  return apiEvent || permission;
}

/** The Lambda a contract entry invokes, with what must back it. */
function expectServedBy(logicalId: string, name: string): void {
  const fn = template.Resources[logicalId];
  expect(fn?.Type, `template.yaml Resources.${logicalId}`).toBe('AWS::Serverless::Function');
  expect(fn?.Properties?.Handler).toBe(`${name}.handler`);
  expect(existsSync(resolve(FUNCTIONS_DIR, `${name}.ts`)), `functions/${name}.ts`).toBe(true);
  expect(invokableByApiGateway(logicalId), `an AWS::Lambda::Permission for apigateway.amazonaws.com on ${logicalId}`).toBe(true);
  expect(events.filter((e) => e === `${name}.json` || e.startsWith(`${name}-`)).length, `events/${name}.json`).toBeGreaterThan(0);
}

describe.each(operations().map((o) => ({ ...o, name: o.operationId })))('$name ($method $path)', (op) => {
  const integration = op.spec['x-amazon-apigateway-integration'] as Json;
  const lambda = functionOfUri(integration.uri);

  it('has a Lambda handler, or a mock / DynamoDB integration', () => {
    if (lambda) {
      expect(['aws_proxy', 'aws']).toContain(integration.type);
      expectServedBy(lambda, op.operationId);
      // Not imported here: handlers need their environment at module load (see config.test.ts).
      const source = readFileSync(resolve(FUNCTIONS_DIR, `${op.operationId}.ts`), 'utf8');
      expect(source).toMatch(/^export const handler\b/m);
    } else if (integration.type === 'mock') {
      expect(existsSync(resolve(FUNCTIONS_DIR, `${op.operationId}.ts`))).toBe(false);
    } else {
      expect(integration.type).toBe('aws');
      expect(JSON.stringify(integration.uri)).toMatch(/:dynamodb:action\//);
    }
  });
});

describe('authorizers', () => {
  const schemes = (contract.components.securitySchemes ?? {}) as Record<string, Json>;
  const lambdaAuthorizers = Object.entries(schemes).flatMap(([name, s]) => {
    const authorizer = s['x-amazon-apigateway-authorizer'] as Json | undefined;
    const id = functionOfUri(authorizer?.authorizerUri);
    return id ? [{ name, id }] : [];
  });

  it('the contract has the admin Lambda authorizer', () => {
    expect(lambdaAuthorizers.map((a) => a.name)).toEqual(['AdminAuthorizer']);
  });

  it.each(lambdaAuthorizers)('$name invokes a function API Gateway may call, with a handler and an event', ({ id }) => {
    expectServedBy(id, 'adminAuthorizer');
  });
});
