/** API Gateway's flavour of Velocity (R3): velocityjs with AWS's null, Map/List rendering and limits. */
import { Compile, parse } from 'velocityjs';
import { createInput, type InputSource } from './input.js';
import { velocityEquals } from './equality.js';
import { renderValue } from './render-value.js';
import { createUtil, javaReplaceAll } from './util.js';

/** R3.23 mapping template size limit. */
export const MAX_TEMPLATE_BYTES = 300 * 1024;
/** R3.23 #foreach iteration limit. */
export const MAX_FOREACH_ITERATIONS = 1000;

/** A template that cannot be rendered: API Gateway answers it as a configuration error (500). */
export class VtlError extends Error {
  override name = 'VtlError';
}

export interface VtlContext {
  input: InputSource;
  /** A `$context` object from contextVariables(); templates may #set overrides on it. */
  context: Record<string, unknown>;
  stageVariables: Record<string, string> | null;
  /** Where `#set` variables live; passing the same object to two renders carries them from one template to the next. */
  variables?: Record<string, unknown>;
}

export interface VtlOverrides {
  /** $context.responseOverride.status, when set to an integer 100-599 (R2.12). */
  status?: number;
  /** $context.responseOverride.header.<name> */
  headers: Record<string, string>;
  /** $context.requestOverride.{header,path,querystring}.<name> */
  request: { header: Record<string, string>; path: Record<string, string>; querystring: Record<string, string> };
}

type Ast = { type?: string; from?: Record<string, unknown>; pos?: unknown; operator?: string; expression?: unknown[] };
const isBlank = (v: unknown) => v === undefined || v === null || v === '';

/** Java-ish methods templates commonly call on values parsed from JSON. */
const javaMethods = [
  { uid: 'isEmpty', match: (p: { property: string }) => p.property === 'isEmpty', resolve: ({ context }: { context: unknown }) => size(context) === 0 },
  { uid: 'length', match: (p: { property: string; context: unknown }) => p.property === 'length' && typeof p.context === 'string', resolve: ({ context }: { context: unknown }) => (context as string).length },
  { uid: 'containsKey', match: (p: { property: string }) => p.property === 'containsKey', resolve: ({ context, params }: { context: unknown; params: unknown[] }) => context !== null && typeof context === 'object' && Object.hasOwn(context, String(params[0])) },
  { uid: 'contains', match: (p: { property: string; context: unknown }) => p.property === 'contains' && typeof p.context === 'string', resolve: ({ context, params }: { context: unknown; params: unknown[] }) => (context as string).includes(String(params[0])) },
  { uid: 'equals', match: (p: { property: string }) => p.property === 'equals', resolve: ({ context, params }: { context: unknown; params: unknown[] }) => context === params[0] },
  { uid: 'replaceAll', match: (p: { property: string; context: unknown }) => p.property === 'replaceAll' && typeof p.context === 'string', resolve: ({ context, params }: { context: unknown; params: unknown[] }) => javaReplaceAll(context as string, params[0], params[1]) },
  { uid: 'matches', match: (p: { property: string; context: unknown }) => p.property === 'matches' && typeof p.context === 'string', resolve: ({ context, params }: { context: unknown; params: unknown[] }) => new RegExp(`^(?:${String(params[0])})$`).test(context as string) },
  { uid: 'toString', match: (p: { property: string }) => p.property === 'toString', resolve: ({ context }: { context: unknown }) => renderValue(context) },
];

function size(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}

class ApiGatewayTemplate extends Compile {
  protected override getReferences(ast: Parameters<Compile['render']>[0] & object, isVal?: boolean): string {
    const value = super.getReferences(ast as never, isVal) as unknown;
    return (isVal ? renderValue(value) : value) as string;
  }

  /** R3.5: null/missing compare equal to "" as well as to $null; the rest as Velocity compares (see velocityEquals). */
  protected override getExpression(ast: never): string {
    const node = ast as Ast;
    if (node.type === 'math' && (node.operator === '==' || node.operator === '!=') && node.expression) {
      const [a, b] = node.expression.map((e) => super.getExpression(e as never) as unknown);
      const equal = velocityEquals(a, b);
      return (node.operator === '==' ? equal : !equal) as unknown as string;
    }
    return super.getExpression(ast);
  }

  /**
   * [AMBIGUOUS] `#set` with a null right-hand side: API Gateway runs Velocity 1.x, whose documented rule is that a
   * reference evaluating to null is NOT assigned (the variable keeps its previous value). velocityjs assigns null,
   * so the value is evaluated once here and the assignment skipped when it is null.
   */
  protected override setValue(ast: never): void {
    const node = ast as { equal: [unknown, Ast] };
    const rhs = node.equal[1];
    if (rhs.type === 'math') return super.setValue(ast);
    const value = this.getLiteral(rhs as never) as unknown;
    if (value === null || value === undefined) return;
    const config = (this as unknown as { config: { valueMapper?: (v: unknown) => unknown } }).config;
    const mapper = config.valueMapper;
    config.valueMapper = () => value;
    try {
      super.setValue({ ...node, equal: [node.equal[0], { type: 'bool', value: 'null' }] } as never);
    } finally {
      config.valueMapper = mapper;
    }
  }

  /** R3.23: #foreach over more than 1000 items is refused. */
  protected override getBlock(block: never[]): string {
    const head = block[0] as Ast | undefined;
    if (head?.type === 'foreach' && head.from) {
      const items = this.getLiteral({ ...head.from, pos: head.pos } as never) as unknown;
      if (size(items) > MAX_FOREACH_ITERATIONS) throw new VtlError(`#foreach exceeds ${MAX_FOREACH_ITERATIONS} iterations (${size(items)} items)`);
    }
    return super.getBlock(block);
  }
}

/** R2.12: the overrides a template #set on `$context` (status only when an integer 100-599). */
export function readOverrides(context: Record<string, unknown>): VtlOverrides {
  const res = (context.responseOverride ?? {}) as { status?: unknown; header?: Record<string, unknown> };
  const req = (context.requestOverride ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const strings = (o: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, renderValue(v)]));
  const status = Number(res.status);
  return {
    status: Number.isInteger(status) && status >= 100 && status <= 599 && !isBlank(res.status) ? status : undefined,
    headers: strings(res.header),
    request: { header: strings(req.header), path: strings(req.path), querystring: strings(req.querystring) },
  };
}

/** Renders a mapping template as one string with $input, $util, $context and $stageVariables in scope. */
export function renderTemplate(template: string, vtl: VtlContext): { output: string; overrides: VtlOverrides } {
  if (Buffer.byteLength(template) > MAX_TEMPLATE_BYTES) throw new VtlError(`mapping template exceeds ${MAX_TEMPLATE_BYTES} bytes`);
  let asts;
  try {
    asts = parse(template);
  } catch (error) {
    throw new VtlError(`mapping template does not parse: ${(error as Error).message}`);
  }
  const compiled = new ApiGatewayTemplate(asts, { customMethodHandlers: javaMethods as never });
  const scope = Object.assign(vtl.variables ?? {}, { input: createInput(vtl.input), util: createUtil(), context: vtl.context, stageVariables: vtl.stageVariables ?? {} });
  try {
    const output = compiled.render(scope, undefined, true);
    return { output, overrides: readOverrides(vtl.context) };
  } catch (error) {
    if (error instanceof VtlError) throw error;
    throw new VtlError(`mapping template failed: ${(error as Error).message}`);
  }
}
