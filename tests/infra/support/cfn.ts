/**
 * Reading synthesized CloudFormation symbolically: intrinsics become `${Name}` / `${Name.Attr}` text,
 * so a CDK `Fn::Join` and a SAM `Fn::Sub` that mean the same value read the same.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface CfnResource {
  Type: string;
  Properties?: { [key: string]: Json };
  Condition?: string;
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

/** Every intrinsic in `node` replaced by the string it stands for; parameters take `params` values when given. */
export function evaluate(node: Json, name: Namer = (id) => id, params: Record<string, Json> = {}): Json {
  if (Array.isArray(node)) return node.map((v) => evaluate(v, name, params));
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = node[key] as Json;
    if (key === 'Ref' && typeof arg === 'string') return arg in params ? (params[arg] as Json) : arg.startsWith('AWS::') ? `\${${arg}}` : `\${${name(arg)}}`;
    if (key === 'Fn::GetAtt') {
      const [res, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
      return `\${${name(String(res))}.${String(attr)}}`;
    }
    if (key === 'Fn::Join' && Array.isArray(arg)) {
      const [sep, parts] = arg as [string, Json[]];
      return (evaluate(parts, name, params) as Json[]).map(String).join(sep);
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, { [key: string]: Json }]);
      return text.replace(/\$\{([^}!]+)\}/g, (whole, ref: string) => {
        if (ref in vars) return String(evaluate(vars[ref] as Json, name, params));
        if (ref in params) return String(params[ref]);
        if (ref.startsWith('AWS::')) return whole;
        const [res, attr] = ref.split('.');
        return attr ? `\${${name(res as string)}.${attr}}` : `\${${name(res as string)}}`;
      });
    }
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, evaluate(v, name, params)]));
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
