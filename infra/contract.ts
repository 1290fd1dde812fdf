/**
 * The one contract, openapi/api.yaml, as every deployer reads it. SAM resolves the long-form
 * intrinsics the document holds (`Fn::Sub`, `Fn::GetAtt`) because it inlines the document into the
 * template (I8.1); CDK and Terraform do not evaluate them, so each deployer turns every reference
 * into its own value with `substitute` (I8.3): CDK tokens for an inline Body (I9.2), Terraform
 * template variables for `templatefile` (I12.5).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const CONTRACT_PATH = resolve(REPO_ROOT, 'openapi/api.yaml');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A piece of an `Fn::Sub` string: literal text, or a `${Name}` / `${Name.Attr}` reference. */
export type SubPart = { text: string } | { ref: string };

/** Turns the parts of one intrinsic into the deployer's value (a string with tokens or placeholders). */
export type Substitution = (parts: SubPart[], where: string) => string;

/** The contract read fresh from disk (never a copy): plain YAML, long-form intrinsics only (R13.3). */
export function readContract(path = CONTRACT_PATH): { [key: string]: Json } {
  return parse(readFileSync(path, 'utf8')) as { [key: string]: Json };
}

/** Splits an `Fn::Sub` template into literal text and references; `${!x}` is the literal `${x}`. */
export function splitSub(template: string, where: string): SubPart[] {
  const parts: SubPart[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('${', i);
    if (open < 0) break;
    const close = template.indexOf('}', open);
    if (close < 0) throw new Error(`${where}: unclosed "\${" in Fn::Sub`);
    literal += template.slice(i, open);
    const name = template.slice(open + 2, close);
    if (name.startsWith('!')) {
      literal += `\${${name.slice(1)}}`;
    } else {
      if (!/^[A-Za-z0-9:]+(\.[A-Za-z0-9]+)?$/.test(name)) throw new Error(`${where}: "\${${name}}" is not a reference`);
      if (literal) parts.push({ text: literal });
      literal = '';
      parts.push({ ref: name });
    }
    i = close + 1;
  }
  literal += template.slice(i);
  if (literal) parts.push({ text: literal });
  return parts;
}

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts of one intrinsic object, or undefined when `node` is not an intrinsic. */
function intrinsicParts(node: { [key: string]: Json }, where: string): SubPart[] | undefined {
  const keys = Object.keys(node);
  const intrinsic = keys.find((k) => k === 'Ref' || k.startsWith('Fn::'));
  if (intrinsic === undefined) return undefined;
  if (keys.length !== 1) throw new Error(`${where}: ${intrinsic} must be the only key of its object`);
  const arg = node[intrinsic] as Json;
  if (intrinsic === 'Fn::Sub' && typeof arg === 'string') return splitSub(arg, where);
  if (intrinsic === 'Fn::GetAtt') {
    const [res, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
    if (typeof res === 'string' && typeof attr === 'string') return [{ ref: `${res}.${attr}` }];
  }
  if (intrinsic === 'Ref' && typeof arg === 'string') return [{ ref: arg }];
  throw new Error(`${where}: ${intrinsic} ${JSON.stringify(arg)} cannot be carried to CDK and Terraform (only Fn::Sub strings, Fn::GetAtt and Ref)`);
}

/** A deep copy of `doc` with every intrinsic replaced by `sub(parts)`; everything else is kept as is. */
export function substitute(doc: Json, sub: Substitution, where = '#'): Json {
  if (Array.isArray(doc)) return doc.map((v, i) => substitute(v, sub, `${where}/${i}`));
  if (!isObject(doc)) return doc;
  const parts = intrinsicParts(doc, where);
  if (parts) return sub(parts, where);
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, substitute(v, sub, `${where}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`)]));
}

/** Every reference the document makes (`AWS::Region`, `ListTasksFunction.Arn`, `AllowedOrigin`...), sorted. */
export function referencesOf(doc: Json): string[] {
  const refs = new Set<string>();
  substitute(doc, (parts) => {
    for (const p of parts) if ('ref' in p) refs.add(p.ref);
    return '';
  });
  return [...refs].sort();
}

/** An operation that API Gateway answers with a Lambda function, and the function the contract names. */
export interface LambdaRoute {
  method: string;
  path: string;
  /** The logical name in the contract's integration URI (`ListTasksFunction`). */
  functionName: string;
}

const LAMBDA_URI = /:lambda:path\/2015-03-31\/functions\/\$\{([A-Za-z0-9]+)\.Arn\}\/invocations$/;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The value at `keys` inside nested objects, or undefined. */
function at(node: Json | undefined, ...keys: string[]): Json | undefined {
  let here = node;
  for (const k of keys) here = here !== undefined && isObject(here) ? here[k] : undefined;
  return here;
}

/** The function named by a Lambda integration or authorizer URI (`{Fn::Sub: ...${Fn.Arn}/invocations}`). */
function lambdaOf(uri: Json | undefined): string | undefined {
  const sub = at(uri, 'Fn::Sub');
  return typeof sub === 'string' ? LAMBDA_URI.exec(sub)?.[1] : undefined;
}

/** The Lambda-backed operations (aws_proxy and aws) of the contract, in document order. */
export function lambdaRoutes(doc: { [key: string]: Json }): LambdaRoute[] {
  const routes: LambdaRoute[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as { [key: string]: Json })) {
    for (const method of METHODS) {
      const functionName = lambdaOf(at(item, method, 'x-amazon-apigateway-integration', 'uri'));
      if (functionName) routes.push({ method: method.toUpperCase(), path, functionName });
    }
  }
  return routes;
}

/** Lambda authorizers of the contract: security scheme name → function logical name. */
export function lambdaAuthorizers(doc: { [key: string]: Json }): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, scheme] of Object.entries((at(doc, 'components', 'securitySchemes') ?? {}) as { [key: string]: Json })) {
    const functionName = lambdaOf(at(scheme, 'x-amazon-apigateway-authorizer', 'authorizerUri'));
    if (functionName) out.set(name, functionName);
  }
  return out;
}

/** The execute-api resource path API Gateway checks a Lambda permission against: `{param}` segments become `*`. */
export function permissionPath(route: LambdaRoute): string {
  return `${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;
}

/**
 * The Lambda permissions an API from `doc` needs, each as narrow as API Gateway allows (R1.54, H1.8):
 * execute-api path after the API's ARN (`*\/GET/tasks/*`: any stage; `authorizers/*`) → the function.
 */
export function lambdaPermissions(doc: { [key: string]: Json }): Record<string, string> {
  return Object.fromEntries([
    ...lambdaRoutes(doc).map((r) => [`*/${permissionPath(r)}`, r.functionName]),
    ...[...new Set(lambdaAuthorizers(doc).values())].map((fn) => ['authorizers/*', fn]),
  ]);
}
