/**
 * Checks HTTP responses against the contract (openapi/api.yaml, or the HTTP API variant's generated
 * definition): the status must be declared for the operation, the
 * content type must be one declared for that status, the body must match that content type's schema
 * (ajv, `#/components/...` refs resolved, OpenAPI 3.0 `nullable`), and declared headers must be
 * present and match their schemas. Responses of routes the contract does not have (API Gateway's
 * MISSING_AUTHENTICATION_TOKEN on REST, 404 Not Found on HTTP) must have the given unmatched-route shape.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// CommonJS package: under NodeNext the plugin function sits on `.default`.
const addFormats = addFormatsModule.default;

export const CONTRACT_PATH = fileURLToPath(new URL('../../../../openapi/api.yaml', import.meta.url));
const DOC_ID = 'api.yaml';

type Json = Record<string, unknown>;

export interface ObservedResponse {
  method: string;
  /** The contract path template (`/tasks/{taskId}`), or the literal path for routes outside the contract. */
  schemaPath: string;
  status: number;
  headers: Headers;
  bodyText: string;
}

/** A gateway response as the contract customises it (x-amazon-apigateway-gateway-responses). */
export interface GatewayResponseSpec {
  type: string;
  statusCode: number;
  /** Problem fields the template writes as constants (type, title, status...). */
  constants: Record<string, unknown>;
  /** Header name -> static value, or null when the value comes from a template parameter (Fn::Sub). */
  headers: Record<string, string | null>;
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function mediaTypeOf(headers: Headers): string | undefined {
  return headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
}

/** The contract, loaded once, with compiled validators per schema location. */
export class ContractValidator {
  readonly doc: Json;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    readonly path: string = CONTRACT_PATH,
    private readonly unmatchedRoute: { schema: string; mediaTypes: string[] } = { schema: `${DOC_ID}#/components/schemas/Problem`, mediaTypes: ['application/problem+json'] },
  ) {
    const doc: unknown = parse(readFileSync(path, 'utf8'));
    if (!isObject(doc) || !isObject(doc.paths)) throw new Error(`${path}: not an OpenAPI document (no paths)`);
    this.doc = doc;
    // strict: false because OpenAPI schemas carry `example`/`description`; `nullable` is native to ajv 8.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: DOC_ID });
  }

  /** Follows a `$ref: '#/...'` inside the contract (response and header objects are not JSON Schemas). */
  deref(node: unknown): Json {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 10) throw new Error(`${this.path}: $ref cycle at ${current.$ref}`);
      const ref = current.$ref;
      if (!ref.startsWith('#/')) throw new Error(`${this.path}: only local refs are supported, got ${ref}`);
      current = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((n, part) => (isObject(n) ? n[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.doc);
      if (current === undefined) throw new Error(`${this.path}: ${ref} does not resolve`);
    }
    if (!isObject(current)) throw new Error(`${this.path}: expected an object, got ${JSON.stringify(current)}`);
    return current;
  }

  /** The operation object for a method and contract path, or undefined when the contract has none. */
  operation(method: string, schemaPath: string): Json | undefined {
    const item = (this.doc.paths as Json)[schemaPath];
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    return isObject(op) ? op : undefined;
  }

  /** The status codes an operation declares, e.g. ['200', '400', ...]. */
  declaredStatuses(method: string, schemaPath: string): string[] {
    const op = this.operation(method, schemaPath);
    if (!op) throw new Error(`${this.path}: no operation ${method.toUpperCase()} ${schemaPath}`);
    return Object.keys(isObject(op.responses) ? op.responses : {});
  }

  /** The contract's customisation of one gateway response type. */
  gatewayResponse(type: string): GatewayResponseSpec {
    const all = this.doc['x-amazon-apigateway-gateway-responses'];
    const spec = isObject(all) ? all[type] : undefined;
    if (!isObject(spec)) throw new Error(`${this.path}: x-amazon-apigateway-gateway-responses.${type} is not defined`);
    const template = isObject(spec.responseTemplates) ? spec.responseTemplates['application/json'] : undefined;
    if (typeof template !== 'string') throw new Error(`${this.path}: gateway response ${type} has no application/json template`);
    const constants: Record<string, unknown> = {};
    for (const m of template.matchAll(/"(type|title|status)":("(?:[^"\\$]|\\.)*"|[0-9]+)/g)) constants[m[1] as string] = JSON.parse(m[2] as string);
    const headers: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(isObject(spec.responseParameters) ? spec.responseParameters : {})) {
      const name = key.replace(/^gatewayresponse\.header\./, '');
      headers[name] = typeof value === 'string' && /^'.*'$/.test(value) ? value.slice(1, -1) : null;
    }
    const statusCode = Number(spec.statusCode ?? constants.status);
    return { type, statusCode, constants, headers };
  }

  /** Every violation of the contract by one response; empty when it conforms. */
  check(r: ObservedResponse): string[] {
    const where = `${r.method.toUpperCase()} ${r.schemaPath} -> ${r.status}`;
    const op = this.operation(r.method, r.schemaPath);
    if (!op) return this.checkOutsideContract(r, where);
    const responses = isObject(op.responses) ? op.responses : {};
    const declared = responses[String(r.status)] ?? responses[`${String(r.status)[0]}XX`] ?? responses.default;
    if (declared === undefined) {
      return [`${where}: status ${r.status} is not declared (declared: ${Object.keys(responses).join(', ')}); body ${r.bodyText.slice(0, 300)}`];
    }
    const response = this.deref(declared);
    return [...this.checkHeaders(response, r, where), ...this.checkBody(response, r, where)];
  }

  private checkOutsideContract(r: ObservedResponse, where: string): string[] {
    if (r.status < 400) return [`${where}: the contract has no such operation, yet the response is not an error`];
    return this.checkJson(this.unmatchedRoute.schema, r, where, this.unmatchedRoute.mediaTypes);
  }

  private checkHeaders(response: Json, r: ObservedResponse, where: string): string[] {
    const problems: string[] = [];
    for (const [name, raw] of Object.entries(isObject(response.headers) ? response.headers : {})) {
      const header = this.deref(raw);
      const value = r.headers.get(name);
      // Every header the contract names for a status is set by its integration mapping: required here.
      if (value === null) {
        problems.push(`${where}: declared header ${name} is missing`);
        continue;
      }
      if (!isObject(header.schema)) continue;
      const validate = this.validator(`header:${name}:${JSON.stringify(header.schema)}`, header.schema);
      if (!validate(value)) problems.push(`${where}: header ${name}: ${JSON.stringify(value)} ${this.ajv.errorsText(validate.errors)}`);
    }
    return problems;
  }

  private checkBody(response: Json, r: ObservedResponse, where: string): string[] {
    const content = isObject(response.content) ? response.content : undefined;
    if (!content) return r.bodyText === '' ? [] : [`${where}: no body is declared, got ${r.bodyText.slice(0, 200)}`];
    const media = mediaTypeOf(r.headers);
    // `*/*` declares a body sent with no Content-Type at all (an HTTP API's JWT 401, H7.6); a typed body needs its own entry.
    const entry = content[media ?? '*/*'];
    if (!isObject(entry)) return [`${where}: content type ${media ?? '(none)'} is not declared (declared: ${Object.keys(content).join(', ')})`];
    if (!isObject(entry.schema)) return [];
    return this.checkJson(entry.schema, r, where, media === undefined ? undefined : [media]);
  }

  /** The body against `schema`; its Content-Type one of `mediaTypes`, or absent when they are undefined. */
  private checkJson(schema: Json | string, r: ObservedResponse, where: string, mediaTypes: string[] | undefined): string[] {
    const media = mediaTypeOf(r.headers);
    if (mediaTypes === undefined ? media !== undefined : !media || !mediaTypes.includes(media)) return [`${where}: content type ${media ?? '(none)'}, expected ${mediaTypes?.join(' or ') ?? 'none'}`];
    let body: unknown;
    try {
      body = JSON.parse(r.bodyText);
    } catch {
      return [`${where}: body is not JSON: ${r.bodyText.slice(0, 200)}`];
    }
    const validate = typeof schema === 'string' ? this.validator(schema, { $ref: schema }) : this.validator(JSON.stringify(schema), schema);
    if (validate(body)) return [];
    return [`${where}: body does not match the schema: ${this.ajv.errorsText(validate.errors)}; body ${r.bodyText.slice(0, 300)}`];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    const known = this.compiled.get(key);
    if (known) return known;
    // Local refs inside operation schemas point into the contract document.
    const rooted = JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${DOC_ID}#/`)) as Json;
    const compiled = this.ajv.compile(rooted);
    this.compiled.set(key, compiled);
    return compiled;
  }
}
