/** API Gateway's flavour of Velocity (R3): velocityjs with AWS's null, Map/List rendering and limits. */
import { createRequire } from 'node:module';
import { createInput, type InputSource } from './input.js';
import { velocityArithmetic, velocityCompare, velocityEquals, velocityTruth } from './equality.js';
import { JAVA_METHODS, size } from './java-methods.js';
import { renderValue } from './render-value.js';
import { doubledQuotesEscaped } from './string-literals.js';
import { createUtil } from './util.js';

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

type Ast = { type?: string; from?: Record<string, unknown>; pos?: unknown; operator?: string; expression?: unknown[]; condition?: unknown };

type Velocity = typeof import('velocityjs');
type Template = InstanceType<Velocity['Compile']>;
const requireCjs = createRequire(import.meta.url);
let engine: { parse: Velocity['parse']; Template: new (...args: ConstructorParameters<Velocity['Compile']>) => Template } | undefined;

/**
 * velocityjs, loaded with the first template rendered: loading it took ~50 ms of every start, on the way to the
 * ready line, while many APIs have no mapping template at all.
 */
function velocity(): NonNullable<typeof engine> {
  if (engine) return engine;
  const { Compile, parse } = requireCjs('velocityjs') as Velocity;
  class ApiGatewayTemplate extends Compile {
    protected override getReferences(ast: Parameters<Template['render']>[0] & object, isVal?: boolean): string {
      const value = super.getReferences(ast as never, isVal) as unknown;
      return (isVal ? renderValue(value) : value) as string;
    }

    /**
     * Velocity 1.7's operators (emulator/README.md): `==` with R3.5's null (see velocityEquals), truth of `&&`, `||`
     * and `!` (only null and false are false), relations on numbers only, MathUtils arithmetic.
     */
    protected override getExpression(ast: never): string {
      const node = ast as Ast;
      const operands = node.type === 'math' ? node.expression : undefined;
      if (!operands) return super.getExpression(ast);
      const value = (i: number) => this.getExpression(operands[i] as never) as unknown;
      const op = node.operator ?? '';
      let result: unknown;
      if (op === '==' || op === '!=') result = velocityEquals(value(0), value(1)) === (op === '==');
      else if (op === '&&') result = velocityTruth(value(0)) && velocityTruth(value(1));
      else if (op === '||') result = velocityTruth(value(0)) || velocityTruth(value(1));
      else if (op === 'not') result = !velocityTruth(value(0));
      else if (['<', '>', '<=', '>='].includes(op)) result = velocityCompare(op, value(0), value(1));
      else if (['+', '-', '*', '/', '%'].includes(op)) result = velocityArithmetic(op, value(0), value(1));
      else return super.getExpression(ast);
      return result as string;
    }

    /** #if / #elseif / #else with Velocity 1.7's truth: "" and 0 are true, only null and false are false. */
    // velocityjs declares getBlockIf in a mixin its types do not show; this method replaces it at run time.
    protected getBlockIf(block: never[]): string {
      let matched = false;
      const body: unknown[] = [];
      for (const ast of block as Ast[]) {
        const conditional = ast.type === 'if' || ast.type === 'elseif';
        if (!conditional && ast.type !== 'else') {
          if (matched) body.push(ast);
          continue;
        }
        if (matched) break;
        matched = conditional ? velocityTruth(this.getExpression(ast.condition as never)) : true;
      }
      const self = this as unknown as { renderAstList(asts: unknown[], contextId: string): string; contextId: string };
      return self.renderAstList(body, self.contextId);
    }

    /**
     * [AMBIGUOUS] `#set` with a null right-hand side: API Gateway runs Velocity 1.x, whose documented rule is that a
     * reference evaluating to null is NOT assigned (the variable keeps its previous value). velocityjs assigns null,
     * so the value is evaluated once here and the assignment skipped when it is null.
     */
    protected override setValue(ast: never): void {
      const node = ast as { equal: [unknown, Ast] };
      const rhs = node.equal[1];
      // An expression that comes to null (5 / 0, null + 1) is not assigned either.
      const value = (rhs.type === 'math' ? this.getExpression(rhs as never) : this.getLiteral(rhs as never)) as unknown;
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

    /**
     * Velocity resolves `$a.empty` as a bean property: `getEmpty()`, a Map's `get("empty")`, then `isEmpty()`. So a
     * String's or a List's `.empty` is its isEmpty() (CDK's StepFunctionsRestApi template tests `!$requestContext.empty`),
     * where JavaScript has no such property; a Map's stays its key.
     */
    // velocityjs declares getAttributes in a mixin its types do not show; this method replaces it at run time.
    protected getAttributes(property: { type?: string; id?: unknown }, baseRef: unknown, ast: unknown): unknown {
      if (property.type === 'property' && property.id === 'empty' && (typeof baseRef === 'string' || Array.isArray(baseRef))) return baseRef.length === 0;
      return (Compile.prototype as unknown as { getAttributes(p: unknown, b: unknown, a: unknown): unknown }).getAttributes.call(this, property, baseRef, ast);
    }

    /**
     * Velocity 1.7 still sets `$velocityHasNext` in each #foreach iteration beside `$foreach.hasNext` (templates written
     * for Velocity 1.5/1.6 separate items with it); velocityjs only sets the latter, in the iteration's local scope.
     */
    override renderAstList(asts?: Parameters<Template['renderAstList']>[0], contextId?: string): string {
      const local = contextId?.startsWith('foreach:') ? (this.local[contextId] as { foreach?: { hasNext?: boolean }; velocityHasNext?: boolean } | undefined) : undefined;
      if (local?.foreach) local.velocityHasNext = local.foreach.hasNext;
      return super.renderAstList(asts, contextId);
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
  return (engine = { parse, Template: ApiGatewayTemplate });
}

/** R2.12: the overrides a template #set on `$context` (status only when an integer 100-599). */
export function readOverrides(context: Record<string, unknown>): VtlOverrides {
  const res = (context.responseOverride ?? {}) as { status?: unknown; header?: Record<string, unknown> };
  const req = (context.requestOverride ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const strings = (o: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, renderValue(v)]));
  // Java's Integer.parseInt reads the override: "201.0", "2e2", "0x12C" or " 201" are no integer (Number() took them).
  const written = typeof res.status === 'string' && /^[+-]?\d+$/.test(res.status) ? Number(res.status) : res.status;
  const status = typeof written === 'number' && Number.isInteger(written) ? written : NaN;
  return {
    status: status >= 100 && status <= 599 ? status : undefined,
    headers: strings(res.header),
    request: { header: strings(req.header), path: strings(req.path), querystring: strings(req.querystring) },
  };
}

/**
 * A reference written right before a directive and a brace (`$o.output#else{"error": ...}`, a response template
 * choosing between an execution's output and a JSON error) is text Velocity 1.7 reads, where velocityjs's lexer stays
 * in the reference and fails on the brace. The same reference in its formal form (`${o.output}`) means the same and
 * lexes, so a template that does not parse is read again with those references made formal.
 */
const REFERENCE_BEFORE_BRACED_DIRECTIVE = /\$(!?)([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*|\([^()]*\)|\[[^[\]]*\])*)(?=#\{?[A-Za-z]+\}?\{)/g;

function parseVelocity(template: string): ReturnType<Velocity['parse']> {
  try {
    return velocity().parse(template);
  } catch (error) {
    // Both are Velocity 1.7 syntax velocityjs does not read; written its way, they mean the same.
    const rewritten = doubledQuotesEscaped(template.replace(REFERENCE_BEFORE_BRACED_DIRECTIVE, '$$$1{$2}'));
    if (rewritten === template) throw error;
    try {
      return velocity().parse(rewritten);
    } catch {
      throw error;
    }
  }
}

/** Parsed templates by their text: parsing was redone on every request (rendering never changes the tree). */
const parsedTemplates = new Map<string, ReturnType<Velocity['parse']>>();

/** Renders a mapping template as one string with $input, $util, $context and $stageVariables in scope. */
export function renderTemplate(template: string, vtl: VtlContext): { output: string; overrides: VtlOverrides } {
  if (Buffer.byteLength(template) > MAX_TEMPLATE_BYTES) throw new VtlError(`mapping template exceeds ${MAX_TEMPLATE_BYTES} bytes`);
  let asts = parsedTemplates.get(template);
  if (asts === undefined) {
    try {
      asts = parseVelocity(template);
    } catch (error) {
      throw new VtlError(`mapping template does not parse: ${(error as Error).message}`);
    }
    // A route's templates are fixed at start, so this stays small; the bound covers templates built per request.
    if (parsedTemplates.size >= 500) parsedTemplates.clear();
    parsedTemplates.set(template, asts);
  }
  const compiled = new (velocity().Template)(asts, { customMethodHandlers: JAVA_METHODS as never });
  const scope = Object.assign(vtl.variables ?? {}, { input: createInput(vtl.input), util: createUtil(), context: vtl.context, stageVariables: vtl.stageVariables ?? {} });
  try {
    const output = compiled.render(scope, undefined, true);
    return { output, overrides: readOverrides(vtl.context) };
  } catch (error) {
    if (error instanceof VtlError) throw error;
    throw new VtlError(`mapping template failed: ${failureText((error as Error).message)}`);
  }
}

/**
 * The engine's message with the reference it glues on (`Unexpected end of JSON inputon $util.parseJson(...) at L/N
 * unknown:unknown`) set apart: `Unexpected end of JSON input, in $util.parseJson(...)`, and its place when known.
 */
function failureText(message: string): string {
  const glued = /^([\s\S]*?)on (\$[\s\S]*) at L\/N (\S+)$/.exec(message);
  if (!glued) return message;
  const [, cause, reference, place] = glued as unknown as [string, string, string, string];
  return `${cause.trimEnd()}, in ${reference}${place === 'unknown:unknown' ? '' : ` (line:column ${place})`}`;
}
