/** Method request validation (R5): required parameters, then the body against a draft-4 model. */
import { createRequire } from 'node:module';
import type Ajv04Module from 'ajv-draft-04';
import type addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { OpenApiDocument } from '../template/model.js';
import { GatewayError } from './gateway-responses.js';
import { headerValue, requestMediaType, type RequestState } from './request-state.js';
import { isObject, type Json, type OperationRoute } from './routes.js';
import { formatAjvErrors } from './validation-messages.js';
import { wholeNumbersWrittenAsDecimals } from './json-number-forms.js';
import { javaRegExp } from './java-regex.js';

type Ajv04 = InstanceType<typeof Ajv04Module.default>;
// Required on first use, not imported: most starts validate no body before the ready line, and loading ajv is
// a tenth of the gateway's module load. (CommonJS packages: the constructor/function sits on `.default`.)
const requireCjs = createRequire(import.meta.url);
function newAjv(): Ajv04 {
  const Ajv = (requireCjs('ajv-draft-04') as typeof Ajv04Module).default;
  const addFormats = (requireCjs('ajv-formats') as typeof addFormatsModule).default;
  // Patterns are Java's (the validator API Gateway runs): translated, without JavaScript's Unicode mode (java-regex.ts).
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, unicodeRegExp: false, code: { regExp: javaRegExp } });
  addFormats(ajv, ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri']);
  return ajv;
}

export interface ValidatorSpec {
  name: string;
  body: boolean;
  params: boolean;
}

/** A validator name the document does not declare in x-amazon-apigateway-request-validators, or undefined. */
export function undeclaredValidator(doc: OpenApiDocument, name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const all = doc['x-amazon-apigateway-request-validators'];
  return isObject(all) && isObject(all[name]) ? undefined : name;
}

/**
 * R5.1: operation-level x-amazon-apigateway-request-validator overrides the root one; none ⇒ no validation. A name
 * the document does not declare is an import warning on AWS (failOnWarnings is false by default): the method is
 * created without a validator, so it validates nothing here either (the startup report says so).
 */
export function selectValidator(doc: OpenApiDocument, operation: Json): ValidatorSpec | undefined {
  const name = operation['x-amazon-apigateway-request-validator'] ?? doc['x-amazon-apigateway-request-validator'];
  if (typeof name !== 'string' || undeclaredValidator(doc, name)) return undefined;
  const spec = (doc['x-amazon-apigateway-request-validators'] as Record<string, Json>)[name]!;
  return { name, body: spec.validateRequestBody === true, params: spec.validateRequestParameters === true };
}

const LOCATION: Record<string, string> = { header: 'header', path: 'path', query: 'querystring' };

/**
 * R5.2/R5.3: names of required parameters that are absent or blank, sorted by method.request.<location>.<name>.
 * [AMBIGUOUS R5.9] header names match case-insensitively (HTTP semantics; Fetch headers are lower-cased anyway).
 */
export function missingParameters(route: OperationRoute, state: RequestState): string[] {
  const missing: { key: string; name: string }[] = [];
  for (const p of route.parameters) {
    const location = LOCATION[p.in];
    if (!p.required || !location) continue;
    const value = parameterValue(p.in, p.name, state);
    if (value === undefined || value.trim() === '') missing.push({ key: `method.request.${location}.${p.name}`, name: p.name });
  }
  return missing.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((m) => m.name);
}

function parameterValue(location: string, name: string, state: RequestState): string | undefined {
  if (location === 'header') return headerValue(state.headers, name);
  if (location === 'path') return state.route?.pathParameters?.[name];
  let last: string | undefined;
  for (const [k, v] of state.query) if (k === name) last = v;
  return last;
}

/** Rewrites OpenAPI `#/components/schemas/X` refs into draft-4 `#/definitions/X` so one schema is self-contained. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/(components\/schemas|definitions)\//, '#/definitions/') : rewriteRefs(v);
  }
  return out;
}

/**
 * The models a schema references, through their references too: API Gateway imports each model apart, so a
 * document's other models (one a draft-4 validator cannot compile among them) take no part in this one's validation.
 */
function referencedModels(schema: unknown, all: Json): Json {
  const out: Json = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const token = k === '$ref' && typeof v === 'string' ? /^#\/definitions\/([^/]+)/.exec(v)?.[1] : undefined;
      const name = token?.replaceAll('~1', '/').replaceAll('~0', '~');
      if (name === undefined) visit(v);
      else if (!(name in out) && name in all) {
        out[name] = all[name];
        visit(all[name]);
      }
    }
  };
  visit(schema);
  return out;
}

/**
 * Swagger 2.0 (the documents SAM generates): a `body` parameter's schema is the request model of each media
 * type the operation `consumes` (else the document's, else application/json), as API Gateway imports it.
 */
function swaggerBodyModel(doc: OpenApiDocument, operation: Json, mediaType: string): unknown {
  if (doc.swagger === undefined || !Array.isArray(operation.parameters)) return undefined;
  const body = operation.parameters.find((p) => isObject(p) && p.in === 'body' && p.schema !== undefined) as Json | undefined;
  if (!body) return undefined;
  const consumes = Array.isArray(operation.consumes) ? operation.consumes : Array.isArray(doc.consumes) ? doc.consumes : ['application/json'];
  return consumes.some((c) => String(c).toLowerCase() === mediaType) ? body.schema : undefined;
}

/** R5.4: whether the operation maps a request model to any content type (a Swagger body schema, an OpenAPI 3 requestBody schema). */
export function declaresBodyModel(operation: Json): boolean {
  if (Array.isArray(operation.parameters) && operation.parameters.some((p) => isObject(p) && p.in === 'body' && p.schema !== undefined)) return true;
  const content = isObject(operation.requestBody) && isObject(operation.requestBody.content) ? operation.requestBody.content : {};
  return Object.values(content).some((entry) => isObject(entry) && entry.schema !== undefined);
}

/** The request model for a content type: exact media type, else `$default` (R5.4). */
function modelFor(doc: OpenApiDocument, operation: Json, mediaType: string): unknown {
  const swagger = swaggerBodyModel(doc, operation, mediaType);
  if (swagger !== undefined) return swagger;
  const requestBody = operation.requestBody;
  const content = isObject(requestBody) && isObject(requestBody.content) ? requestBody.content : undefined;
  if (!content) return undefined;
  const key = Object.keys(content).find((k) => k.toLowerCase() === mediaType) ?? (content.$default ? '$default' : undefined);
  const entry = key ? content[key] : undefined;
  return isObject(entry) ? entry.schema : undefined;
}

/** Compiles request models once per (operation, media type) with a draft-4 validator. */
export class BodyValidator {
  private ajvInstance: Ajv04 | undefined;
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(private readonly doc: OpenApiDocument) {}

  /** Made on the first body validated: compiling draft 4's meta-schema is a good part of an API's start otherwise. */
  private get ajv(): Ajv04 {
    return (this.ajvInstance ??= newAjv());
  }

  private compiled(route: OperationRoute, mediaType: string): ValidateFunction | null {
    const key = `${route.location}|${mediaType}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const schema = modelFor(this.doc, route.operation, mediaType);
    let fn: ValidateFunction | null = null;
    if (schema !== undefined) {
      // OpenAPI-only keywords (nullable, example, readOnly...) are unknown to draft 4 and ignored (strict: false):
      // like API Gateway, `nullable: true` does NOT admit null (R5.8).
      const schemas = isObject(this.doc.components) ? this.doc.components.schemas : undefined;
      const own = rewriteRefs(schema);
      const root = { ...(own as Json), definitions: referencedModels(own, rewriteRefs(schemas ?? (this.doc as Json).definitions ?? {}) as Json) };
      try {
        fn = this.ajv.compile(root);
      } catch (error) {
        throw new Error(`${route.location}.requestBody.content.${mediaType}.schema: ${(error as Error).message}`);
      }
    }
    this.cache.set(key, fn);
    return fn;
  }

  /** R5.4-R5.6: validates the body; undefined when valid or no model applies, else the validationErrorString. */
  check(route: OperationRoute, state: RequestState): string | undefined {
    const fn = this.compiled(route, requestMediaType(state.headers));
    if (!fn) return undefined;
    const text = new TextDecoder().decode(state.body);
    let instance: unknown = {};
    if (text.trim() !== '') {
      try {
        instance = JSON.parse(text);
      } catch (error) {
        // Not V8's own sentence: it quotes the caller's body back and names JavaScript's parser. Where, when known.
        const at = /position (\d+)/.exec((error as Error).message)?.[1];
        return at === undefined ? '[Invalid JSON in request body]' : `[Invalid JSON in request body at position ${at}]`;
      }
    }
    try {
      if (!fn(instance)) return formatAjvErrors((fn.errors ?? []) as ErrorObject[], instance);
      return decimalWhereIntegerWanted(fn, instance, text);
    } catch (error) {
      // The validator walks the body by recursion: one nested deeper than the stack holds (a recursive model) is
      // refused as a body the model does not admit, not a 500 (API Gateway's own nesting limit is undocumented).
      if (error instanceof RangeError) return '[Request body nested too deeply to validate]';
      throw error;
    }
  }
}

/** How many numbers written as decimals are looked at: each costs one more validation. */
const MAX_DECIMALS_CHECKED = 100;

/**
 * Draft 4's integer has no fraction or exponent part (json-number-forms.ts): a whole number written `2015.0` where
 * the model wants an integer is refused as the decimal it is. Found by validating again with that one value made
 * fractional and keeping only the type error at its place.
 */
function decimalWhereIntegerWanted(fn: ValidateFunction, instance: unknown, text: string): string | undefined {
  for (const pointer of wholeNumbersWrittenAsDecimals(text).slice(0, MAX_DECIMALS_CHECKED)) {
    const altered = withFraction(instance, pointer);
    if (fn(altered)) continue;
    const typeErrors = ((fn.errors ?? []) as ErrorObject[]).filter((e) => e.keyword === 'type' && e.instancePath === pointer);
    if (typeErrors.length > 0) return formatAjvErrors(typeErrors, altered);
  }
  return undefined;
}

/** A copy of the instance with the number at `pointer` given a fraction (its place's type check then tells). */
function withFraction(instance: unknown, pointer: string): unknown {
  const copy = structuredClone(instance);
  const tokens = pointer.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = tokens.pop();
  if (last === undefined) return (copy as number) + 0.5;
  const parent = tokens.reduce<unknown>((node, token) => (node as Record<string, unknown>)[token], copy) as Record<string, number>;
  parent[last] = parent[last]! + 0.5;
  return copy;
}

/** Runs the validator of the operation in API Gateway's order: parameters, then body (R0.5, R5.7). */
export function validateRequest(doc: OpenApiDocument, bodies: BodyValidator, route: OperationRoute, state: RequestState): void {
  const spec = selectValidator(doc, route.operation);
  if (!spec) return;
  if (spec.params) {
    const missing = missingParameters(route, state);
    if (missing.length > 0) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      throw new GatewayError('BAD_REQUEST_PARAMETERS', { message, validationErrorString: message });
    }
  }
  if (spec.body) {
    const detail = bodies.check(route, state);
    if (detail !== undefined) throw new GatewayError('BAD_REQUEST_BODY', { message: 'Invalid request body', validationErrorString: detail });
  }
}
