/**
 * Every operation of the contract is served, on both APIs template.yaml can deploy: a Lambda
 * integration names a function of template.yaml that API Gateway may invoke when that API is
 * deployed, whose handler file exports the handler and has a sample event; on the REST API every
 * other operation is a mock or a DynamoDB service integration, on the HTTP API there is none.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../emulator/template/cfn-yaml.js';
import { TEMPLATE_PATH } from '../support/dynalite.js';
import { HTTP_API_DEFINITION_PATH } from '../../infra/http-api-definition.js';
import { contract, operations, type Operation } from '../support/contract.js';
import { EVENTS_DIR } from '../support/events.js';

type Json = Record<string, unknown>;
const FUNCTIONS_DIR = resolve(import.meta.dirname, '../../functions');
const template = parseCfnYaml(readFileSync(TEMPLATE_PATH, 'utf8'), TEMPLATE_PATH) as { Resources: Record<string, { Type: string; Condition?: string; Properties?: Json }> };
const httpDefinition = JSON.parse(readFileSync(HTTP_API_DEFINITION_PATH, 'utf8')) as { paths: Record<string, Record<string, Json>> };

/** The API template.yaml deploys for each value of its ApiType parameter: the condition that selects it. */
const APIS = [
  { api: 'REST', condition: 'RestApiSelected', operations: operations() },
  { api: 'HTTP', condition: 'HttpApiSelected', operations: Object.entries(httpDefinition.paths).flatMap(([path, item]) => Object.entries(item).filter(([method]) => method !== 'parameters').map(([method, spec]): Operation => ({ operationId: String(spec.operationId), path, method, spec }))) },
];

/** A property's value when `condition` holds: the matching branch of an Fn::If on the API conditions. */
function when(condition: string, value: unknown): unknown {
  const branches = (value as Json | undefined)?.['Fn::If'];
  if (!Array.isArray(branches)) return value;
  const [name, yes, no] = branches as [string, unknown, unknown];
  return name === condition ? yes : no;
}
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

/** A resource exists on the API `condition` selects: it has no Condition, or exactly that one. */
const deployedWith = (condition: string, r: { Condition?: string } | undefined): boolean => r !== undefined && (r.Condition === undefined || r.Condition === condition);

function invokableByApiGateway(id: string, condition: string): boolean {
  const fn = template.Resources[id];
  const apiEvent = Object.values((fn?.Properties?.Events as Record<string, { Type?: string }> | undefined) ?? {}).some((e) => e.Type === 'Api');
  const permission = Object.values(template.Resources).some(
    (r) => r.Type === 'AWS::Lambda::Permission' && deployedWith(condition, r) && r.Properties?.Principal === 'apigateway.amazonaws.com' && refersTo(r.Properties.FunctionName, id),
  );
  return apiEvent || permission;
}

/** The Lambda a contract entry invokes on the API `condition` selects, with what must back it. */
function expectServedBy(logicalId: string, name: string, condition: string): void {
  const fn = template.Resources[logicalId];
  expect(fn?.Type, `template.yaml Resources.${logicalId}`).toBe('AWS::Serverless::Function');
  expect(deployedWith(condition, fn), `Resources.${logicalId} is deployed with ${condition}`).toBe(true);
  const handler = String(when(condition, fn?.Properties?.Handler));
  expect(handler).toMatch(new RegExp(`^${name}\\.\\w+$`));
  expect(existsSync(resolve(FUNCTIONS_DIR, `${name}.ts`)), `functions/${name}.ts`).toBe(true);
  // Not imported here: handlers need their environment at module load (see config.test.ts).
  const source = readFileSync(resolve(FUNCTIONS_DIR, `${name}.ts`), 'utf8');
  expect(source).toMatch(new RegExp(`^export const ${handler.split('.')[1]}\\b`, 'm'));
  expect(invokableByApiGateway(logicalId, condition), `an AWS::Lambda::Permission for apigateway.amazonaws.com on ${logicalId}`).toBe(true);
  expect(events.filter((e) => e === `${name}.json` || e.startsWith(`${name}-`)).length, `events/${name}.json`).toBeGreaterThan(0);
}

describe.each(APIS)('$api API', ({ api, condition, operations: ops }) => {
  describe.each(ops.map((o) => ({ ...o, name: o.operationId })))('$name ($method $path)', (op) => {
    const integration = op.spec['x-amazon-apigateway-integration'] as Json;
    const lambda = functionOfUri(integration.uri);

    it(api === 'REST' ? 'has a Lambda handler, or a mock / DynamoDB integration' : 'has a Lambda handler (H12.1: no other integration)', () => {
      if (lambda) {
        expect(['aws_proxy', 'aws']).toContain(integration.type);
        expectServedBy(lambda, op.operationId, condition);
      } else {
        expect(api).toBe('REST');
        if (integration.type !== 'mock') {
          expect(integration.type).toBe('aws');
          expect(JSON.stringify(integration.uri)).toMatch(/:dynamodb:action\//);
        }
      }
    });
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

  it.each(lambdaAuthorizers.flatMap((a) => APIS.map(({ condition }) => ({ ...a, condition }))))(
    '$name invokes a function API Gateway may call ($condition), with a handler and an event',
    ({ id, condition }) => {
      expectServedBy(id, 'adminAuthorizer', condition);
    },
  );
});
