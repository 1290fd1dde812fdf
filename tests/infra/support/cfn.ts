/**
 * Reading synthesized CloudFormation symbolically: intrinsics become `${Name}` / `${Name.Attr}` text,
 * so a CDK `Fn::Join` and a SAM `Fn::Sub` that mean the same value read the same.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface CfnResource {
  Type: string;
  Properties?: { [key: string]: Json };
  Condition?: string;
  DeletionPolicy?: string;
  Metadata?: { [key: string]: Json };
  DependsOn?: string | string[];
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: Json; Description?: string }>;
  Parameters?: Record<string, { Default?: Json }>;
  Conditions?: Record<string, Json>;
}

const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Logical id → the name a reader uses for it (identity by default). */
export type Namer = (logicalId: string) => string;

const NO_VALUE = Symbol('AWS::NoValue');

/** What `evaluate` knows: names for logical ids, parameter values, and the value of each condition. */
export interface Scope {
  name?: Namer;
  params?: Record<string, Json>;
  conditions?: Record<string, boolean>;
}

/**
 * Every intrinsic in `node` replaced by the string it stands for (`${Name}`, `${Name.Attr}`,
 * `${AWS::Region}`); parameters take their `params` value, `Fn::If` takes its branch, and
 * `AWS::NoValue` removes the key.
 */
export function evaluate(node: Json, scope: Scope | Namer = {}): Json {
  const s: Scope = typeof scope === 'function' ? { name: scope } : scope;
  const out = evaluateIn(node, s);
  return out === NO_VALUE ? null : (out as Json);
}

function evaluateIn(node: Json, s: Scope): Json | typeof NO_VALUE {
  const name = s.name ?? ((id: string) => id);
  const params = s.params ?? {};
  if (Array.isArray(node)) return node.map((v) => evaluateIn(v, s)).filter((v): v is Json => v !== NO_VALUE);
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = node[key] as Json;
    if (key === 'Ref' && arg === 'AWS::NoValue') return NO_VALUE;
    if (key === 'Ref' && typeof arg === 'string') return arg in params ? (params[arg] as Json) : arg.startsWith('AWS::') ? `\${${arg}}` : `\${${name(arg)}}`;
    if (key === 'Fn::If' && Array.isArray(arg)) {
      const [condition, yes, no] = arg as [string, Json, Json];
      const value = s.conditions?.[condition];
      if (value === undefined) throw new Error(`condition ${condition} is unknown`);
      return evaluateIn(value ? yes : no, s);
    }
    if (key === 'Fn::Equals' && Array.isArray(arg)) return JSON.stringify(evaluateIn(arg[0] as Json, s)) === JSON.stringify(evaluateIn(arg[1] as Json, s));
    if (key === 'Condition' && typeof arg === 'string') {
      const value = s.conditions?.[arg];
      if (value === undefined) throw new Error(`condition ${arg} is unknown`);
      return value;
    }
    if (key === 'Fn::Not' && Array.isArray(arg)) return evaluateIn(arg[0] as Json, s) !== true;
    if ((key === 'Fn::And' || key === 'Fn::Or') && Array.isArray(arg)) {
      const values = arg.map((c) => evaluateIn(c as Json, s) === true);
      return key === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    if (key === 'Fn::GetAtt') {
      const [res, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
      return `\${${name(String(res))}.${String(attr)}}`;
    }
    if (key === 'Fn::Join' && Array.isArray(arg)) {
      const [sep, parts] = arg as [string, Json[]];
      return (evaluateIn(parts, s) as Json[]).map(String).join(sep);
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, { [key: string]: Json }]);
      return text.replace(/\$\{([^}!]+)\}/g, (whole, ref: string) => {
        if (ref in vars) return String(evaluateIn(vars[ref] as Json, s));
        if (ref in params) return String(params[ref]);
        if (ref.startsWith('AWS::')) return whole;
        const [res, attr] = ref.split('.');
        return attr ? `\${${name(res as string)}.${attr}}` : `\${${name(res as string)}}`;
      });
    }
  }
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    const value = evaluateIn(v, s);
    if (value !== NO_VALUE) out[k] = value;
  }
  return out;
}

/** Parameter defaults and the conditions they give (what a deploy with no overrides gets). */
export function defaultsOf(template: CfnTemplate, overrides: Record<string, Json> = {}): { params: Record<string, Json>; conditions: Record<string, boolean> } {
  const params: Record<string, Json> = { ...Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([k, p]) => [k, p.Default ?? null])), ...overrides };
  const conditions: Record<string, boolean> = {};
  // In order: a condition may name one declared before it (`!Condition RestApiSelected`).
  for (const [k, c] of Object.entries(template.Conditions ?? {})) conditions[k] = evaluate(c, { params, conditions }) === true;
  return { params, conditions };
}

/** Resources of a type, by logical id. */
export function resourcesOf(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/**
 * The name a CDK resource has in its construct tree (`aws:cdk:path` metadata), without the stack and
 * a trailing `Resource`: `TaskApi/ListTasksFunction/Resource` → `ListTasksFunction`.
 */
export function cdkNamer(template: CfnTemplate): Namer {
  const names = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    const path = r.Metadata?.['aws:cdk:path'];
    if (typeof path === 'string') names.set(id, path.split('/').slice(1).filter((s, i, all) => !(s === 'Resource' && i === all.length - 1)).join('/'));
  }
  return (id) => names.get(id) ?? id;
}
