/** CloudFormation intrinsic functions, evaluated the way the CloudFormation service does at deploy time. */
import { TemplateError } from './model.js';

/** AWS::NoValue: a property that resolves to it is removed (list items too). */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface ResolveContext {
  /** File named in error messages. */
  file: string;
  /** Ref to a parameter or pseudo parameter; undefined when `name` is neither. */
  refParameter(name: string): unknown;
  /** Ref to a resource; undefined when `name` is not a (present) resource. */
  refResource(name: string, key: string): unknown;
  getAtt(logicalId: string, attribute: string, key: string): unknown;
  /** Fn::ImportValue: another stack's export, which only exists in AWS (given locally, or a placeholder). */
  importValue(exportName: string, key: string): unknown;
  condition(name: string, key: string): boolean;
  mappings: Record<string, unknown>;
  /** Fn::Transform AWS::Include: the snippet at a local `location`, its own intrinsics resolved. */
  include?(location: string, key: string): unknown;
}

type Intrinsic = (arg: unknown, ctx: ResolveContext, key: string) => unknown;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(ctx: ResolveContext, key: string, message: string): never {
  throw new TemplateError(ctx.file, key, message);
}

function asList(v: unknown, ctx: ResolveContext, key: string, name: string): unknown[] {
  if (!Array.isArray(v)) fail(ctx, key, `${name} expects a list, got ${JSON.stringify(v)}`);
  return v;
}

function asString(v: unknown, ctx: ResolveContext, key: string, name: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fail(ctx, key, `${name} expects a string, got ${JSON.stringify(v)}`);
}

function ref(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const name = asString(arg, ctx, key, 'Ref');
  if (name === 'AWS::NoValue') return NO_VALUE;
  const param = ctx.refParameter(name);
  if (param !== undefined) return param;
  const resource = ctx.refResource(name, key);
  if (resource !== undefined) return resource;
  return fail(ctx, key, `Ref to unknown parameter or resource "${name}"`);
}

function getAtt(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const parts = typeof arg === 'string' ? arg.split(/\.(.*)/s, 2) : resolveValue(arg, ctx, key);
  const list = asList(parts, ctx, key, 'Fn::GetAtt');
  const [id, attr] = list.map((v) => (v === undefined ? '' : asString(v, ctx, key, 'Fn::GetAtt')));
  // CloudFormation refuses `[Res]`, `[Res, '']`, `Res.` alike, rather than reading an attribute named "".
  if (list.length !== 2 || !id || !attr) fail(ctx, key, 'every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute');
  return ctx.getAtt(id, attr, key);
}

/** ${Name}, ${Res.Attr}, and ${!Literal} (which stays as the text ${Literal}). */
function sub(arg: unknown, ctx: ResolveContext, key: string): unknown {
  let text: unknown = arg;
  let vars: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    [text, vars = {}] = arg as [unknown, Record<string, unknown>?];
    vars = resolveValue(vars, ctx, key) as Record<string, unknown>;
    if (!isRecord(vars)) fail(ctx, key, 'Fn::Sub variables must be a map');
  }
  const template = asString(text, ctx, key, 'Fn::Sub');
  return template.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    let value: unknown;
    if (name in vars) value = vars[name];
    else if (ctx.refParameter(name) !== undefined || !name.includes('.')) value = ref(name, ctx, key);
    // SAM's referenceable properties (${Api.Stage}, ${Fn.Alias}) before an attribute (${Res.Attr}).
    else value = ctx.refResource(name, key) ?? getAtt(name, ctx, key);
    if (Array.isArray(value)) return value.join(',');
    return asString(value, ctx, key, `Fn::Sub \${${name}}`);
  });
}

function join(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const [sep, list] = asList(resolveValue(arg, ctx, key), ctx, key, 'Fn::Join');
  return asList(list, ctx, key, 'Fn::Join')
    .map((v) => asString(v, ctx, key, 'Fn::Join'))
    .join(asString(sep ?? '', ctx, key, 'Fn::Join'));
}

/** What the emulator puts where only AWS knows the value (an attribute, a parameter without value, an import). */
const PLACEHOLDER = /^(?:arn:aws:)?emulator-(?:fake|unresolved):/;

function select(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const [index, list] = asList(resolveValue(arg, ctx, key), ctx, key, 'Fn::Select');
  // A list only AWS knows (an endpoint's DnsEntries, a List<...> parameter without value): its item is a placeholder too.
  if (typeof list === 'string' && PLACEHOLDER.test(list)) return `${list}[${String(index)}]`;
  const items = asList(list, ctx, key, 'Fn::Select');
  const i = Number(index);
  // Split from a value only AWS knows (a CDK asset's "<bucket>||<key>" parameter without value): AWS's value has the item.
  const fromPlaceholder = items.length === 1 && typeof items[0] === 'string' && PLACEHOLDER.test(items[0]);
  if (fromPlaceholder && Number.isInteger(i) && i > 0) return `${items[0] as string}[${i}]`;
  if (!Number.isInteger(i) || i < 0 || i >= items.length) fail(ctx, key, `Fn::Select index ${String(index)} out of range`);
  return items[i];
}

function split(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const [sep, text] = asList(resolveValue(arg, ctx, key), ctx, key, 'Fn::Split');
  return asString(text, ctx, key, 'Fn::Split').split(asString(sep, ctx, key, 'Fn::Split'));
}

/** Fn::FindInMap; a fourth item `{DefaultValue: v}` (AWS::LanguageExtensions) answers when the map has no such value. */
function findInMap(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const args = asList(resolveValue(arg, ctx, key), ctx, key, 'Fn::FindInMap');
  const options = args.length === 4 && isRecord(args[3]) && 'DefaultValue' in args[3] ? args[3] : undefined;
  const [map, top, second] = (options ? args.slice(0, 3) : args).map((v) => asString(v, ctx, key, 'Fn::FindInMap'));
  const level1 = ctx.mappings[map ?? ''];
  const level2 = isRecord(level1) ? level1[top ?? ''] : undefined;
  const value = isRecord(level2) ? level2[second ?? ''] : undefined;
  if (value !== undefined) return value;
  if (options) return options.DefaultValue;
  return fail(ctx, key, `Fn::FindInMap: no value at Mappings.${map}.${top}.${second}`);
}

function base64(arg: unknown, ctx: ResolveContext, key: string): unknown {
  return Buffer.from(asString(resolveValue(arg, ctx, key), ctx, key, 'Fn::Base64'), 'utf8').toString('base64');
}

function fnIf(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const [name, whenTrue, whenFalse] = asList(arg, ctx, key, 'Fn::If');
  // Only the chosen branch is evaluated: the other may name resources whose Condition is false.
  const chosen = ctx.condition(asString(name, ctx, key, 'Fn::If'), key) ? whenTrue : whenFalse;
  return resolveValue(chosen, ctx, key);
}

function asBool(v: unknown, ctx: ResolveContext, key: string, name: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return fail(ctx, key, `${name} expects a condition, got ${JSON.stringify(v)}`);
}

/** CloudFormation's arity for each condition function: Fn::Not one, Fn::And and Fn::Or 2 to 10, Fn::Equals two. */
const ARITY: Record<string, [number, number]> = { 'Fn::Not': [1, 1], 'Fn::And': [2, 10], 'Fn::Or': [2, 10], 'Fn::Equals': [2, 2] };

function withArity(list: unknown[], ctx: ResolveContext, key: string, name: string): unknown[] {
  const [min, max] = ARITY[name] ?? [0, Infinity];
  if (list.length < min || list.length > max) {
    const wanted = min === max ? `${min}` : `at least ${min} and at most ${max}`;
    fail(ctx, key, `every ${name} object requires a list of ${wanted} parameters, got ${list.length} (CloudFormation refuses the template)`);
  }
  return list;
}

function conditions(arg: unknown, ctx: ResolveContext, key: string, name: string): boolean[] {
  return withArity(asList(arg, ctx, key, name), ctx, key, name).map((c) => asBool(resolveValue(c, ctx, key), ctx, key, name));
}

function equals(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const [a, b] = withArity(asList(resolveValue(arg, ctx, key), ctx, key, 'Fn::Equals'), ctx, key, 'Fn::Equals');
  return JSON.stringify(typeof a === 'number' ? String(a) : a) === JSON.stringify(typeof b === 'number' ? String(b) : b);
}

function unsupported(name: string): Intrinsic {
  return (_arg, ctx, key) => fail(ctx, key, `${name} is not supported by the local emulator`);
}

/** AWS::Include is the one transform CloudFormation runs inside a template section; others only exist in AWS. */
function transform(arg: unknown, ctx: ResolveContext, key: string): unknown {
  const t = isRecord(arg) ? arg : {};
  if (t.Name !== 'AWS::Include' || !ctx.include) return fail(ctx, key, `Fn::Transform ${JSON.stringify(t.Name)} is not supported by the local emulator (only AWS::Include)`);
  const params = isRecord(t.Parameters) ? t.Parameters : {};
  const locationKey = `${key}.Parameters.Location`;
  return ctx.include(asString(resolveValue(params.Location, ctx, locationKey), ctx, locationKey, 'Location'), locationKey);
}

const INTRINSICS: Record<string, Intrinsic> = {
  Ref: ref,
  Condition: (arg, ctx, key) => ctx.condition(asString(arg, ctx, key, 'Condition'), key),
  'Fn::GetAtt': getAtt,
  'Fn::Sub': sub,
  'Fn::Join': join,
  'Fn::Select': select,
  'Fn::Split': split,
  'Fn::FindInMap': findInMap,
  'Fn::Base64': base64,
  'Fn::If': fnIf,
  'Fn::Equals': equals,
  'Fn::Not': (arg, ctx, key) => !conditions(arg, ctx, key, 'Fn::Not')[0],
  'Fn::And': (arg, ctx, key) => conditions(arg, ctx, key, 'Fn::And').every(Boolean),
  'Fn::Or': (arg, ctx, key) => conditions(arg, ctx, key, 'Fn::Or').some(Boolean),
  'Fn::ImportValue': (arg, ctx, key) => ctx.importValue(asString(resolveValue(arg, ctx, key), ctx, key, 'Fn::ImportValue'), key),
  // AWS::LanguageExtensions
  'Fn::ToJsonString': (arg, ctx, key) => JSON.stringify(resolveValue(arg, ctx, key)),
  'Fn::Length': (arg, ctx, key) => asList(resolveValue(arg, ctx, key), ctx, key, 'Fn::Length').length,
  'Fn::GetAZs': (_arg, ctx) => ['a', 'b', 'c'].map((z) => `${String(ctx.refParameter('AWS::Region'))}${z}`),
  'Fn::Cidr': unsupported('Fn::Cidr'),
  'Fn::Transform': transform,
};

/** Resolve every intrinsic in `value` (deep); keys and list items that resolve to AWS::NoValue are dropped. */
export function resolveValue(value: unknown, ctx: ResolveContext, key: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveValue(v, ctx, `${key}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  const fn = only !== undefined ? INTRINSICS[only] : undefined;
  if (only !== undefined && fn) return fn(value[only], ctx, `${key}.${only}`);
  // An intrinsic this reader does not know must not pass through as if it were data.
  if (only !== undefined && /^Fn::[A-Za-z]+$/.test(only)) fail(ctx, `${key}.${only}`, `${only} is not supported by the local emulator`);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const resolved = resolveValue(value[k], ctx, key ? `${key}.${k}` : k);
    if (resolved !== NO_VALUE) out[k] = resolved;
  }
  return out;
}
