/**
 * The HCL expressions of infra/terraform evaluated offline, as far as they can be without a provider
 * (I14.3: hcl2json parses but does not evaluate): variables with the values given (else their
 * defaults), locals, `each`, conditionals, comparisons, `for` expressions and a few functions. What
 * only AWS knows (a resource's attribute) reads as the name `names` gives it, else `<tf:expression>`.
 */
import type { Json } from './cfn.js';

export interface HclScope {
  vars: Record<string, Json>;
  locals: Record<string, unknown>;
  /** Expression text (a resource attribute) → the value to read it as. */
  names: Record<string, Json>;
}

type Node =
  | { k: 'lit'; v: Json; text: string }
  | { k: 'tpl'; parts: (string | Node)[]; text: string }
  | { k: 'ref'; name: string; text: string }
  | { k: 'get'; obj: Node; key: Node; text: string }
  | { k: 'splat'; obj: Node; text: string }
  | { k: 'call'; name: string; args: Node[]; text: string }
  | { k: 'bin'; op: string; a: Node; b: Node; text: string }
  | { k: 'not'; a: Node; text: string }
  | { k: 'cond'; c: Node; a: Node; b: Node; text: string }
  | { k: 'obj'; entries: [Node, Node][]; text: string }
  | { k: 'list'; items: Node[]; text: string }
  | { k: 'for'; object: boolean; names: string[]; coll: Node; key?: Node; val: Node; cond?: Node; text: string };

type Tok = { t: 'str' | 'num' | 'id' | 'op'; v: string; start: number; end: number };

/** Skips a `${ ... }` (or `{ ... }`) from the opening brace at `i`, strings included; returns the index after it. */
function skipBraces(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    if (s[i] === '"') i = skipString(s, i) - 1;
    else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i + 1;
  }
  throw new Error(`unclosed "{" in ${s}`);
}

/** Index after the string literal that opens at `i`. */
function skipString(s: string, i: number): number {
  for (i++; i < s.length && s[i] !== '"'; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith('${', i)) i = skipBraces(s, i + 1) - 1;
  }
  return i + 1;
}

const OPERATORS = ['==', '!=', '&&', '||', '=>', '<=', '>=', '...'];

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      const end = skipString(s, i);
      out.push({ t: 'str', v: s.slice(i + 1, end - 1), start: i, end });
      i = end;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w-]*/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => s.startsWith(o, i)) ?? c;
      out.push({ t: 'op', v: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  return out;
}

/**
 * A template string (`text ${expr} text`, `$${` literal) as literal parts and expressions; `quoted` when
 * it is a string literal inside an expression, whose escapes hcl2json has not decoded.
 */
function parseTemplate(s: string, quoted = false): Node {
  const unescape = (text: string): string => (quoted ? text.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c)) : text);
  const parts: (string | Node)[] = [];
  let literal = '';
  for (let i = 0; i < s.length; ) {
    if (s.startsWith('$${', i)) {
      literal += '${';
      i += 3;
    } else if (s.startsWith('${', i)) {
      const end = skipBraces(s, i + 1);
      if (literal) parts.push(unescape(literal));
      literal = '';
      parts.push(parseExpression(s.slice(i + 2, end - 1)));
      i = end;
    } else {
      literal += s[i];
      i++;
    }
  }
  if (literal || parts.length === 0) parts.push(unescape(literal));
  return { k: 'tpl', parts, text: s };
}

/** One expression (the inside of `${...}`) as a tree. */
export function parseExpression(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (v?: string): boolean => p < toks.length && (v === undefined || (toks[p] as Tok).v === v);
  const next = (): Tok => {
    const tok = toks[p++];
    if (!tok) throw new Error(`unexpected end of ${src}`);
    return tok;
  };
  const expect = (v: string): void => {
    const tok = next();
    if (tok.v !== v) throw new Error(`expected "${v}" at "${src.slice(tok.start)}"`);
  };
  const textFrom = (start: number): string => src.slice(start, (toks[p - 1] as Tok).end).replace(/\s+/g, ' ');

  const binary = (ops: string[], sub: () => Node) => (): Node => {
    const start = toks[p]?.start ?? 0;
    let a = sub();
    while (p < toks.length && ops.includes((toks[p] as Tok).v) && (toks[p] as Tok).t === 'op') {
      const op = next().v;
      const b = sub();
      a = { k: 'bin', op, a, b, text: textFrom(start) };
    }
    return a;
  };
  const conditional = (): Node => {
    const start = toks[p]?.start ?? 0;
    const c = or();
    if (!peek('?')) return c;
    next();
    const a = conditional();
    expect(':');
    const b = conditional();
    return { k: 'cond', c, a, b, text: textFrom(start) };
  };
  const unary = (): Node => {
    const start = toks[p]?.start ?? 0;
    if (peek('!')) {
      next();
      const a = unary();
      return { k: 'not', a, text: textFrom(start) };
    }
    return postfix();
  };
  const postfix = (): Node => {
    const start = toks[p]?.start ?? 0;
    let node = primary();
    for (;;) {
      if (peek('.') && toks[p + 1]?.t === 'id') {
        next();
        const name = next().v;
        node = { k: 'get', obj: node, key: { k: 'lit', v: name, text: name }, text: textFrom(start) };
      } else if (peek('[') && toks[p + 1]?.v === '*') {
        p += 2;
        expect(']');
        node = { k: 'splat', obj: node, text: textFrom(start) };
      } else if (peek('[')) {
        next();
        const key = conditional();
        expect(']');
        node = { k: 'get', obj: node, key, text: textFrom(start) };
      } else return node;
    }
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    while (!peek(close)) {
      items.push(conditional());
      if (peek(',')) next();
    }
    next();
    return items;
  };
  const primary = (): Node => {
    const start = toks[p]?.start ?? 0;
    const tok = next();
    if (tok.t === 'str') return parseTemplate(tok.v, true);
    if (tok.t === 'num') return { k: 'lit', v: Number(tok.v), text: tok.v };
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false') return { k: 'lit', v: tok.v === 'true', text: tok.v };
      if (tok.v === 'null') return { k: 'lit', v: null, text: tok.v };
      if (peek('(')) {
        next();
        const args = list(')');
        return { k: 'call', name: tok.v, args, text: textFrom(start) };
      }
      return { k: 'ref', name: tok.v, text: tok.v };
    }
    if (tok.v === '(') {
      const inner = conditional();
      expect(')');
      return inner;
    }
    if ((tok.v === '{' || tok.v === '[') && peek('for')) {
      const object = tok.v === '{';
      next();
      const names = [next().v];
      if (peek(',')) names.push((next(), next().v));
      expect('in');
      const coll = conditional();
      expect(':');
      const first = conditional();
      const key = object ? first : undefined;
      if (object) expect('=>');
      const val = object ? conditional() : first;
      let cond: Node | undefined;
      if (peek('if')) cond = (next(), conditional());
      expect(object ? '}' : ']');
      return { k: 'for', object, names, coll, key, val, cond, text: textFrom(start) };
    }
    if (tok.v === '[') return { k: 'list', items: list(']'), text: textFrom(start) };
    if (tok.v === '{') {
      const entries: [Node, Node][] = [];
      while (!peek('}')) {
        const keyTok = next();
        const key: Node = keyTok.t === 'str' ? parseTemplate(keyTok.v, true) : { k: 'lit', v: keyTok.v, text: keyTok.v };
        if (!peek('=') && !peek(':')) throw new Error(`expected "=" after ${keyTok.v} in ${src}`);
        next();
        entries.push([key, conditional()]);
        if (peek(',')) next();
      }
      next();
      return { k: 'obj', entries, text: textFrom(start) };
    }
    throw new Error(`unexpected "${tok.v}" in ${src}`);
  };
  const or = binary(['||'], binary(['&&'], binary(['==', '!='], binary(['<', '>', '<=', '>='], unary))));

  const tree = conditional();
  if (p !== toks.length) throw new Error(`unexpected "${(toks[p] as Tok).v}" in ${src}`);
  return tree;
}

const unknown = (text: string): string => `<tf:${text}>`;
const isUnknown = (v: Json): boolean => typeof v === 'string' && v.startsWith('<tf:');
const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Evaluates parsed HCL (hcl2json's output: values, and strings that may hold `${...}`). */
export function hclEvaluator(scope: HclScope): (value: unknown, bound?: Record<string, Json>) => Json {
  const evalValue = (value: unknown, bound: Record<string, Json> = {}): Json => {
    if (typeof value === 'string') return value.includes('${') ? evalNode(parseTemplate(value), bound) : value;
    if (Array.isArray(value)) return value.map((v) => evalValue(v, bound));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evalValue(v, bound)]));
    return (value ?? null) as Json;
  };

  const evalNode = (node: Node, bound: Record<string, Json>): Json => {
    const ev = (n: Node): Json => evalNode(n, bound);
    if (node.k !== 'lit' && node.k !== 'tpl' && node.text in scope.names) return scope.names[node.text] as Json;
    switch (node.k) {
      case 'lit':
        return node.v;
      case 'tpl': {
        const [only] = node.parts;
        if (node.parts.length === 1 && typeof only !== 'string' && only) return ev(only);
        return node.parts.map((part) => (typeof part === 'string' ? part : String(ev(part)))).join('');
      }
      case 'ref':
        return node.name in bound ? (bound[node.name] as Json) : unknown(node.text);
      case 'get': {
        if (node.obj.k === 'ref' && node.key.k === 'lit' && !(node.obj.name in bound)) {
          const name = String(node.key.v);
          if (node.obj.name === 'var') return name in scope.vars ? (scope.vars[name] as Json) : unknown(node.text);
          if (node.obj.name === 'local') return name in scope.locals ? evalValue(scope.locals[name]) : unknown(node.text);
        }
        const obj = ev(node.obj);
        const key = ev(node.key);
        if (isObject(obj) && typeof key === 'string' && key in obj) return obj[key] as Json;
        if (Array.isArray(obj) && typeof key === 'number' && key < obj.length) return obj[key] as Json;
        return unknown(node.text);
      }
      case 'splat':
        return unknown(node.text);
      case 'call':
        return call(node, node.args.map(ev));
      case 'not': {
        const a = ev(node.a);
        return typeof a === 'boolean' ? !a : unknown(node.text);
      }
      case 'bin': {
        const a = ev(node.a);
        const b = ev(node.b);
        if (isUnknown(a) || isUnknown(b)) return unknown(node.text);
        if (node.op === '==') return JSON.stringify(a) === JSON.stringify(b);
        if (node.op === '!=') return JSON.stringify(a) !== JSON.stringify(b);
        if (typeof a === 'number' && typeof b === 'number') return node.op === '<' ? a < b : node.op === '>' ? a > b : node.op === '<=' ? a <= b : a >= b;
        if (typeof a !== 'boolean' || typeof b !== 'boolean') return unknown(node.text);
        return node.op === '&&' ? a && b : a || b;
      }
      case 'cond': {
        const c = ev(node.c);
        return c === true ? ev(node.a) : c === false ? ev(node.b) : unknown(node.text);
      }
      case 'obj':
        return Object.fromEntries(node.entries.map(([k, v]) => [String(ev(k)), ev(v)]));
      case 'list':
        return node.items.map(ev);
      case 'for': {
        const coll = ev(node.coll);
        if (!isObject(coll) && !Array.isArray(coll)) return unknown(node.text);
        const entries: [Json, Json][] = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll);
        const out: [Json, Json][] = [];
        for (const [k, v] of entries) {
          const names = node.names.length === 2 ? { [node.names[0] as string]: k, [node.names[1] as string]: v } : { [node.names[0] as string]: v };
          const inner = { ...bound, ...names };
          if (node.cond && evalNode(node.cond, inner) !== true) continue;
          out.push([node.key ? evalNode(node.key, inner) : null, evalNode(node.val, inner)]);
        }
        return node.object ? Object.fromEntries(out.map(([k, v]) => [String(k), v])) : out.map(([, v]) => v);
      }
    }
  };

  const call = (node: Extract<Node, { k: 'call' }>, args: Json[]): Json => {
    const [a = null, b = null] = args;
    if (args.some(isUnknown)) return unknown(node.text);
    switch (node.name) {
      case 'contains':
        return Array.isArray(a) ? a.some((x) => JSON.stringify(x) === JSON.stringify(b)) : unknown(node.text);
      case 'length':
        return Array.isArray(a) ? a.length : isObject(a) ? Object.keys(a).length : typeof a === 'string' ? a.length : unknown(node.text);
      case 'jsonencode':
        return JSON.stringify(a);
      case 'merge':
        return args.every(isObject) ? Object.assign({}, ...args) : unknown(node.text);
      case 'concat':
        return args.every(Array.isArray) ? (args as Json[][]).flat(1) : unknown(node.text);
      case 'one':
        // Terraform's one(): null for an empty list, its element for one, an error for more.
        if (!Array.isArray(a)) return unknown(node.text);
        if (a.length > 1) throw new Error(`${node.text}: one() of ${a.length} elements`);
        return a[0] ?? null;
      default:
        return unknown(node.text);
    }
  };

  return evalValue;
}
