/** The method table API Gateway builds when it imports an OpenAPI document (paths × verbs → operation). */
import { TemplateError, type OpenApiDocument } from '../template/model.js';
import { Router } from './router.js';
import { OPENAPI_VERBS } from '../template/openapi-verbs.js';

export type Json = Record<string, unknown>;

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
}

export interface OperationRoute {
  /** "GET", "POST", ... or "ANY" for x-amazon-apigateway-any-method. */
  method: string;
  resourcePath: string;
  operation: Json;
  /** Path-item parameters merged with the operation's (operation wins on name+in). */
  parameters: ParameterSpec[];
  integration: Json | undefined;
  /** e.g. "paths./tasks/{id}.get" */
  location: string;
}

const VERBS = OPENAPI_VERBS;

/** A JSON object (not null, not an array), as OpenAPI nodes are. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local "#/..." $ref inside the document (parameters may be refs). */
export function deref(doc: OpenApiDocument, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops += 1) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref "${ref}" (only local "#/..." refs are resolved)`);
    current = ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((acc, key) => (isObject(acc) ? acc[key] : undefined), doc);
    if (current === undefined) throw new Error(`$ref "${ref}" does not resolve`);
  }
  return current;
}

function readParameters(doc: OpenApiDocument, list: unknown): ParameterSpec[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw) => {
    const p = deref(doc, raw);
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') return [];
    return [{ name: p.name, in: p.in as ParameterSpec['in'], required: p.required === true || p.in === 'path' }];
  });
}

function mergeParameters(pathLevel: ParameterSpec[], opLevel: ParameterSpec[]): ParameterSpec[] {
  const key = (p: ParameterSpec) => `${p.in}:${p.name}`;
  const merged = new Map(pathLevel.map((p) => [key(p), p]));
  for (const p of opLevel) merged.set(key(p), p);
  return [...merged.values()];
}

/** Lists every (resource, method) of the document in document order. */
export function listOperations(doc: OpenApiDocument): OperationRoute[] {
  const out: OperationRoute[] = [];
  for (const [resourcePath, item] of Object.entries(doc.paths ?? {})) {
    if (!isObject(item)) continue;
    const shared = readParameters(doc, item.parameters);
    for (const [key, value] of Object.entries(item)) {
      const method = VERBS[key];
      if (!method || !isObject(value)) continue;
      out.push({
        method,
        resourcePath,
        operation: value,
        parameters: mergeParameters(shared, readParameters(doc, value.parameters)),
        integration: isObject(value['x-amazon-apigateway-integration']) ? value['x-amazon-apigateway-integration'] : undefined,
        location: `paths.${resourcePath}.${key}`,
      });
    }
  }
  return out;
}

/** Builds the router of an API; a shape API Gateway would refuse at import is reported with the document name. */
export function buildRouter(doc: OpenApiDocument, source: string): { router: Router<OperationRoute>; operations: OperationRoute[] } {
  const router = new Router<OperationRoute>();
  const operations = listOperations(doc);
  for (const op of operations) {
    try {
      router.add(op.method, op.resourcePath, op);
    } catch (error) {
      // A resource tree API Gateway's import refuses (R11.3, R11.8): the template's error, said without a stack trace.
      throw new TemplateError(source, op.location, (error as Error).message);
    }
  }
  return { router, operations };
}

/** Lower-cased integration type ("aws_proxy", "mock", ...) or "none". */
export function integrationType(op: OperationRoute): string {
  const type = op.integration?.type;
  return typeof type === 'string' ? type.toLowerCase() : 'none';
}
