/**
 * The PartiQL statements the embedded DynamoDB serves, read from their text: tokens, then SELECT, INSERT, UPDATE and
 * DELETE with their paths, values (`?` parameters included) and WHERE conditions (DynamoDB Developer Guide, "PartiQL
 * select/insert/update/delete statements for DynamoDB"); dynamodb-partiql.ts runs them.
 */

type Item = Record<string, unknown>;

export class PartiqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const malformed = (why: string): PartiqlError => new PartiqlError('ValidationException', `Statement wasn't well formed, can't be processed: ${why}`);
const unsupported = (what: string): PartiqlError => new PartiqlError('ValidationException', `${what} is not supported by the local emulator's PartiQL (SELECT, INSERT, UPDATE and DELETE of items are)`);

// ---- tokens ----

type Token = { kind: 'word' | 'name' | 'string' | 'number' | 'param' | 'punct'; text: string };

const PUNCT = ['<<', '>>', '<=', '>=', '<>', '!=', '=', '<', '>', ',', '.', '(', ')', '{', '}', '[', ']', ':', '+', '-', '*'];

export function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < statement.length) {
    const c = statement[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= statement.length) throw malformed(`unterminated ${c === "'" ? 'string' : 'quoted name'}`);
        if (statement[j] === c && statement[j + 1] === c) {
          text += c;
          j += 2;
        } else if (statement[j] === c) break;
        else text += statement[j++];
      }
      tokens.push({ kind: c === "'" ? 'string' : 'name', text });
      i = j + 1;
    } else if (c === '?') {
      tokens.push({ kind: 'param', text: '?' });
      i++;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(statement[i + 1] ?? '') && !/(number|name|word|string)/.test(tokens.at(-1)?.kind ?? 'punct'))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(statement.slice(i))!;
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(statement.slice(i))!;
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      const p = PUNCT.find((q) => statement.startsWith(q, i));
      if (!p) throw malformed(`unexpected character ${JSON.stringify(c)}`);
      tokens.push({ kind: 'punct', text: p });
      i += p.length;
    }
  }
  return tokens;
}

// ---- parsing ----

export type Value = { kind: 'value'; value: Item };
export type Path = { kind: 'path'; names: (string | number)[] };
export type Cond =
  | { kind: 'cmp'; op: string; left: Path | Value; right: Path | Value }
  | { kind: 'between'; path: Path; low: Value; high: Value }
  | { kind: 'in'; path: Path; values: Value[] }
  | { kind: 'fn'; name: string; args: (Path | Value)[] }
  | { kind: 'missing'; path: Path; not: boolean }
  | { kind: 'and' | 'or'; left: Cond; right: Cond }
  | { kind: 'not'; cond: Cond };

export type Statement =
  | { kind: 'select'; projection: Path[] | '*'; table: string; index?: string; where?: Cond }
  | { kind: 'insert'; table: string; item: Item }
  | { kind: 'update'; table: string; sets: { path: Path; value: Path | Value; op?: '+' | '-'; operand?: Path | Value }[]; removes: Path[]; where: Cond }
  | { kind: 'delete'; table: string; where: Cond };

export class Parser {
  private at = 0;
  private param = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly params: unknown[],
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === p;
  }

  private word(word: string): void {
    if (!this.isWord(word)) throw malformed(`expected ${word}, found ${this.peek()?.text ?? 'the end'}`);
    this.at++;
  }

  private punct(p: string): void {
    if (!this.isPunct(p)) throw malformed(`expected ${p}, found ${this.peek()?.text ?? 'the end'}`);
    this.at++;
  }

  private name(): string {
    const t = this.peek();
    if (t?.kind !== 'name' && t?.kind !== 'word') throw malformed(`expected a name, found ${t?.text ?? 'the end'}`);
    this.at++;
    return t.text;
  }

  statement(): Statement {
    const first = this.peek()?.text.toUpperCase();
    const parsed = first === 'SELECT' ? this.select() : first === 'INSERT' ? this.insert() : first === 'UPDATE' ? this.update() : first === 'DELETE' ? this.remove() : undefined;
    if (!parsed) throw first === 'EXISTS' ? unsupported('EXISTS') : malformed(`a statement begins with SELECT, INSERT, UPDATE or DELETE, not ${this.peek()?.text ?? 'nothing'}`);
    if (this.at < this.tokens.length) throw malformed(`unexpected ${this.peek()!.text}`);
    if (this.param !== this.params.length) throw new PartiqlError('ValidationException', `Number of parameters in request and statement don't match.`);
    return parsed;
  }

  private select(): Statement {
    this.word('SELECT');
    let projection: Path[] | '*' = '*';
    if (this.isPunct('*')) this.at++;
    else if (this.peek()?.text === '*') this.at++;
    else {
      projection = [this.path()];
      while (this.isPunct(',')) {
        this.at++;
        projection.push(this.path());
      }
    }
    this.word('FROM');
    const table = this.name();
    let index: string | undefined;
    if (this.isPunct('.')) {
      this.at++;
      index = this.name();
    }
    const where = this.isWord('WHERE') ? (this.at++, this.condition()) : undefined;
    if (this.isWord('ORDER')) throw unsupported('ORDER BY');
    return { kind: 'select', projection, table, ...(index ? { index } : {}), ...(where ? { where } : {}) };
  }

  private insert(): Statement {
    this.word('INSERT');
    this.word('INTO');
    const table = this.name();
    this.word('VALUE');
    const item = this.value().value;
    if (!item.M) throw malformed('INSERT ... VALUE takes a map: {\'key\': value, ...}');
    return { kind: 'insert', table, item: item.M as Item };
  }

  private update(): Statement {
    this.word('UPDATE');
    const table = this.name();
    const sets: Extract<Statement, { kind: 'update' }>['sets'] = [];
    const removes: Path[] = [];
    while (this.isWord('SET') || this.isWord('REMOVE')) {
      const set = this.isWord('SET');
      this.at++;
      do {
        if (this.isPunct(',')) this.at++;
        const path = this.path();
        if (!set) {
          removes.push(path);
          continue;
        }
        this.punct('=');
        const value = this.operand();
        if (this.isPunct('+') || this.isPunct('-')) {
          const op = this.peek()!.text as '+' | '-';
          this.at++;
          sets.push({ path, value, op, operand: this.operand() });
        } else sets.push({ path, value });
      } while (this.isPunct(','));
    }
    if (sets.length === 0 && removes.length === 0) throw malformed('UPDATE needs SET or REMOVE');
    this.word('WHERE');
    return { kind: 'update', table, sets, removes, where: this.condition() };
  }

  private remove(): Statement {
    this.word('DELETE');
    this.word('FROM');
    const table = this.name();
    this.word('WHERE');
    return { kind: 'delete', table, where: this.condition() };
  }

  private path(): Path {
    const names: (string | number)[] = [this.name()];
    for (;;) {
      if (this.isPunct('.')) {
        this.at++;
        names.push(this.name());
      } else if (this.isPunct('[') && this.peek(1)?.kind === 'number') {
        this.at++;
        names.push(Number(this.peek()!.text));
        this.at++;
        this.punct(']');
      } else return { kind: 'path', names };
    }
  }

  private operand(): Path | Value {
    const t = this.peek();
    return t?.kind === 'word' && !['TRUE', 'FALSE', 'NULL'].includes(t.text.toUpperCase()) ? this.path() : t?.kind === 'name' ? this.path() : this.value();
  }

  private value(): Value {
    const t = this.peek();
    if (!t) throw malformed('a value is missing');
    this.at++;
    if (t.kind === 'param') {
      if (this.param >= this.params.length) throw new PartiqlError('ValidationException', `Number of parameters in request and statement don't match.`);
      return { kind: 'value', value: this.params[this.param++] as Item };
    }
    if (t.kind === 'string') return { kind: 'value', value: { S: t.text } };
    if (t.kind === 'number') return { kind: 'value', value: { N: t.text } };
    if (t.kind === 'word' && ['TRUE', 'FALSE'].includes(t.text.toUpperCase())) return { kind: 'value', value: { BOOL: t.text.toUpperCase() === 'TRUE' } };
    if (t.kind === 'word' && t.text.toUpperCase() === 'NULL') return { kind: 'value', value: { NULL: true } };
    if (t.kind === 'punct' && t.text === '{') {
      const map: Item = {};
      while (!this.isPunct('}')) {
        const key = this.peek();
        if (key?.kind !== 'string') throw malformed('a map key is a string: {\'name\': value}');
        this.at++;
        this.punct(':');
        map[key.text] = this.value().value;
        if (!this.isPunct('}')) this.punct(',');
      }
      this.at++;
      return { kind: 'value', value: { M: map } };
    }
    if (t.kind === 'punct' && t.text === '[') {
      const list: Item[] = [];
      while (!this.isPunct(']')) {
        list.push(this.value().value);
        if (!this.isPunct(']')) this.punct(',');
      }
      this.at++;
      return { kind: 'value', value: { L: list } };
    }
    if (t.kind === 'punct' && t.text === '<<') {
      const members: Item[] = [];
      while (!this.isPunct('>>')) {
        members.push(this.value().value);
        if (!this.isPunct('>>')) this.punct(',');
      }
      this.at++;
      if (members.every((m) => 'S' in m)) return { kind: 'value', value: { SS: members.map((m) => m.S) } };
      if (members.every((m) => 'N' in m)) return { kind: 'value', value: { NS: members.map((m) => m.N) } };
      throw malformed('a set holds strings or numbers, all of one type');
    }
    throw malformed(`unexpected ${t.text}`);
  }

  private condition(): Cond {
    let left = this.conjunction();
    while (this.isWord('OR')) {
      this.at++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Cond {
    let left = this.unary();
    while (this.isWord('AND')) {
      this.at++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Cond {
    if (this.isWord('NOT')) {
      this.at++;
      return { kind: 'not', cond: this.unary() };
    }
    if (this.isPunct('(')) {
      this.at++;
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    const t = this.peek();
    if (t?.kind === 'word' && this.peek(1)?.text === '(') {
      const name = t.text.toLowerCase();
      if (!['begins_with', 'contains', 'attribute_type', 'size'].includes(name)) throw unsupported(`the function ${t.text}`);
      if (name === 'size') throw unsupported('size() in a WHERE');
      this.at += 2;
      const args: (Path | Value)[] = [this.operand()];
      while (this.isPunct(',')) {
        this.at++;
        args.push(this.operand());
      }
      this.punct(')');
      return { kind: 'fn', name, args };
    }
    const left = this.operand();
    if (left.kind === 'path' && this.isWord('IS')) {
      this.at++;
      const not = this.isWord('NOT') ? (this.at++, true) : false;
      this.word('MISSING');
      return { kind: 'missing', path: left, not };
    }
    if (left.kind === 'path' && this.isWord('BETWEEN')) {
      this.at++;
      const low = this.value();
      this.word('AND');
      return { kind: 'between', path: left, low, high: this.value() };
    }
    if (left.kind === 'path' && this.isWord('IN')) {
      this.at++;
      const list = this.value().value;
      const values = Array.isArray(list.L) ? (list.L as Item[]).map((value) => ({ kind: 'value' as const, value })) : undefined;
      if (!values) throw malformed('IN takes a list: [value, ...]');
      return { kind: 'in', path: left, values };
    }
    const op = this.peek();
    if (op?.kind !== 'punct' || !['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.text)) throw malformed(`expected a comparison, found ${op?.text ?? 'the end'}`);
    this.at++;
    return { kind: 'cmp', op: op.text === '!=' ? '<>' : op.text, left, right: this.operand() };
  }
}
