/** The contract (openapi/api.yaml) as test oracle: declared statuses and response schemas per operation. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = addFormatsModule.default;
export const API_PATH = resolve(import.meta.dirname, '../../openapi/api.yaml');

type Json = Record<string, unknown>;
export interface Operation {
  operationId: string;
  path: string;
  method: string;
  spec: Json;
}

export const contract = parse(readFileSync(API_PATH, 'utf8')) as Json & { paths: Record<string, Record<string, Json>>; components: Json };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'patch', 'head'];

export function operations(): Operation[] {
  return Object.entries(contract.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, spec]) => ({ operationId: String(spec.operationId), path, method, spec })),
  );
}

export function operation(operationId: string): Operation {
  const op = operations().find((o) => o.operationId === operationId);
  if (!op) throw new Error(`${API_PATH}: no operation ${operationId}`);
  return op;
}

function deref(value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  let node: unknown = contract;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part];
  return deref(node as Json);
}

/** The statuses the operation declares. */
export function declaredStatuses(operationId: string): number[] {
  return Object.keys(operation(operationId).spec.responses as Json).map(Number);
}

export function declaredResponse(operationId: string, status: number): Json | undefined {
  const responses = operation(operationId).spec.responses as Json;
  const response = responses[String(status)];
  return response ? deref(response as Json) : undefined;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ ...contract, $id: 'api' } as Json);

/** The validator of the declared body of (operation, status, content type). */
export function responseSchema(operationId: string, status: number, contentType: string): ValidateFunction {
  const response = declaredResponse(operationId, status);
  const content = response?.content as Record<string, { schema?: Json }> | undefined;
  const schema = content?.[contentType]?.schema;
  if (typeof schema?.$ref !== 'string') throw new Error(`${operationId} ${status} declares no ${contentType} body schema ($ref)`);
  return ajv.compile({ $ref: `api${schema.$ref}` });
}

/** The integration response selection patterns of a non-proxy operation, as anchored JS regexes. */
export function selectionPatterns(operationId: string): { pattern: RegExp; statusCode: number }[] {
  const integration = operation(operationId).spec['x-amazon-apigateway-integration'] as { responses: Record<string, { statusCode: string }> };
  return Object.entries(integration.responses)
    .filter(([pattern]) => pattern !== 'default')
    .map(([pattern, r]) => ({ pattern: new RegExp(`^(?:${pattern})$`, 's'), statusCode: Number(r.statusCode) }));
}
