/**
 * PartiQL for the embedded DynamoDB (dynalite has none): ExecuteStatement and BatchExecuteStatement of the four
 * statements the DynamoDB Developer Guide documents ("PartiQL select/insert/update/delete statements for DynamoDB"),
 * each turned into the operation DynamoDB's own PartiQL runs: a SELECT naming a whole key is GetItem, another a Scan
 * with its WHERE as the filter; INSERT is PutItem that must not replace an item (DuplicateItemException); UPDATE and
 * DELETE name one item by its key, the rest of their WHERE a condition. Writes go through the front's table locks and
 * stream capture, as every write does.
 */

type Item = Record<string, unknown>;
type Call = (action: string, input: Item) => Promise<{ status: number; json: Item }>;

export interface PartiqlDeps {
  /** A read on dynalite (GetItem, Scan, DescribeTable). */
  read: Call;
  /** A write, through the table locks and the stream capture. */
  write: Call;
}

export interface Answer {
  status: number;
  payload: unknown;
}

class PartiqlError extends Error {
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

function tokenize(statement: string): Token[] {
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

type Value = { kind: 'value'; value: Item };
type Path = { kind: 'path'; names: (string | number)[] };
type Cond =
  | { kind: 'cmp'; op: string; left: Path | Value; right: Path | Value }
  | { kind: 'between'; path: Path; low: Value; high: Value }
  | { kind: 'in'; path: Path; values: Value[] }
  | { kind: 'fn'; name: string; args: (Path | Value)[] }
  | { kind: 'missing'; path: Path; not: boolean }
  | { kind: 'and' | 'or'; left: Cond; right: Cond }
  | { kind: 'not'; cond: Cond };

type Statement =
  | { kind: 'select'; projection: Path[] | '*'; table: string; index?: string; where?: Cond }
  | { kind: 'insert'; table: string; item: Item }
  | { kind: 'update'; table: string; sets: { path: Path; value: Path | Value; op?: '+' | '-'; operand?: Path | Value }[]; removes: Path[]; where: Cond }
  | { kind: 'delete'; table: string; where: Cond };

class Parser {
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

// ---- expressions ----

/** A DynamoDB expression and its names and values, built from the statement's paths and values. */
class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private n = 0;

  path(p: Path): string {
    return p.names
      .map((name) => {
        if (typeof name === 'number') return `[${name}]`;
        const key = `#p${this.n++}`;
        this.names[key] = name;
        return `.${key}`;
      })
      .join('')
      .replace(/^\./, '');
  }

  value(v: Value): string {
    const key = `:v${this.n++}`;
    this.values[key] = v.value;
    return key;
  }

  operand(o: Path | Value): string {
    return o.kind === 'path' ? this.path(o) : this.value(o);
  }

  condition(c: Cond): string {
    switch (c.kind) {
      case 'cmp':
        return `${this.operand(c.left)} ${c.op} ${this.operand(c.right)}`;
      case 'between':
        return `${this.path(c.path)} BETWEEN ${this.value(c.low)} AND ${this.value(c.high)}`;
      case 'in':
        return `${this.path(c.path)} IN (${c.values.map((v) => this.value(v)).join(', ')})`;
      case 'fn':
        return `${c.name}(${c.args.map((a) => this.operand(a)).join(', ')})`;
      case 'missing':
        return `${c.not ? 'attribute_exists' : 'attribute_not_exists'}(${this.path(c.path)})`;
      case 'and':
      case 'or':
        return `(${this.condition(c.left)}) ${c.kind.toUpperCase()} (${this.condition(c.right)})`;
      case 'not':
        return `NOT (${this.condition(c.cond)})`;
    }
  }

  attributes(): Item {
    return { ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}), ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}) };
  }
}

/** The WHERE's equalities on the key's attributes, and what else it says; undefined when it is no conjunction naming the whole key. */
function keyOf(where: Cond | undefined, keyNames: string[]): { key: Item; rest: Cond[] } | undefined {
  const conjuncts: Cond[] = [];
  const flatten = (c: Cond): void => (c.kind === 'and' ? (flatten(c.left), flatten(c.right)) : void conjuncts.push(c));
  if (!where) return undefined;
  flatten(where);
  const key: Item = {};
  const rest: Cond[] = [];
  for (const c of conjuncts) {
    const isKeyEquality = c.kind === 'cmp' && c.op === '=' && c.left.kind === 'path' && c.left.names.length === 1 && c.right.kind === 'value' && keyNames.includes(String(c.left.names[0])) && key[String(c.left.names[0])] === undefined;
    if (isKeyEquality) key[String((c.left as Path).names[0])] = (c.right as Value).value;
    else rest.push(c);
  }
  return keyNames.every((k) => key[k] !== undefined) ? { key, rest } : undefined;
}

const joinAnd = (conds: Cond[]): Cond | undefined => conds.reduce<Cond | undefined>((acc, c) => (acc ? { kind: 'and', left: acc, right: c } : c), undefined);

// ---- execution ----

export class DynamoDbPartiql {
  constructor(private readonly deps: PartiqlDeps) {}

  private async keyNames(table: string): Promise<string[]> {
    const described = await this.deps.read('DescribeTable', { TableName: table });
    if (described.status !== 200) throw new PartiqlError('ResourceNotFoundException', `Requested resource not found`);
    return ((described.json.Table as Item).KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
  }

  private parse(input: Item): Statement {
    if (typeof input.Statement !== 'string' || input.Statement === '') throw new PartiqlError('ValidationException', "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null");
    const params = input.Parameters === undefined ? [] : input.Parameters;
    if (!Array.isArray(params)) throw new PartiqlError('ValidationException', "1 validation error detected: Value at 'parameters' failed to satisfy constraint: Member must be a list");
    return new Parser(tokenize(input.Statement), params).statement();
  }

  /** ExecuteStatement: the statement's items (SELECT) or nothing (a write), DynamoDB's errors otherwise. */
  async execute(input: Item): Promise<Answer> {
    try {
      // The request's own constraint (Parameters, when given, has 1 or more members), checked before the statement.
      if (Array.isArray(input.Parameters) && input.Parameters.length === 0) throw new PartiqlError('ValidationException', "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
      return { status: 200, payload: await this.run(this.parse(input), input, false) };
    } catch (error) {
      return failure(error);
    }
  }

  /** BatchExecuteStatement: each statement on its own (reads of one item, or writes); one response each, an error in place. */
  async batch(input: Item): Promise<Answer> {
    const statements = input.Statements;
    if (!Array.isArray(statements) || statements.length < 1 || statements.length > 25) {
      return failure(new PartiqlError('ValidationException', `1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25 and greater than or equal to 1`));
    }
    const responses = [];
    for (const entry of statements as Item[]) {
      try {
        const statement = this.parse(entry);
        const out = await this.run(statement, entry, true);
        responses.push({ TableName: statement.table, ...(out.Items?.[0] ? { Item: out.Items[0] } : {}) });
      } catch (error) {
        if (!(error instanceof PartiqlError)) throw error;
        responses.push({ TableName: tableOf(entry), Error: { Code: BATCH_CODES[error.type] ?? 'ValidationError', Message: error.message } });
      }
    }
    return { status: 200, payload: { Responses: responses } };
  }

  private async run(statement: Statement, input: Item, oneItem: boolean): Promise<{ Items?: Item[]; NextToken?: string }> {
    const keyNames = await this.keyNames(statement.table);
    const expr = new Expression();
    const call = async (write: boolean, action: string, request: Item): Promise<Item> => {
      const answer = await (write ? this.deps.write : this.deps.read)(action, request);
      if (answer.status === 200) return answer.json;
      const type = String(answer.json.__type ?? '').split('#').pop() ?? 'ValidationException';
      throw new PartiqlError(type, String(answer.json.message ?? answer.json.Message ?? ''));
    };
    switch (statement.kind) {
      case 'select': {
        const found = statement.index === undefined ? keyOf(statement.where, keyNames) : undefined;
        const projection = statement.projection === '*' ? {} : { ProjectionExpression: statement.projection.map((p) => expr.path(p)).join(', ') };
        if (found && found.rest.length === 0) {
          const got = await call(false, 'GetItem', { TableName: statement.table, Key: found.key, ConsistentRead: input.ConsistentRead === true, ...projection, ...expr.attributes() });
          return { Items: got.Item ? [got.Item as Item] : [] };
        }
        if (oneItem) throw new PartiqlError('ValidationException', 'Batch select must specify the full primary key in the WHERE clause with equality conditions');
        const filter = statement.where ? { FilterExpression: expr.condition(statement.where) } : {};
        const start = typeof input.NextToken === 'string' ? { ExclusiveStartKey: JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as Item } : {};
        const scanned = await call(false, 'Scan', { TableName: statement.table, ...(statement.index ? { IndexName: statement.index } : {}), ...filter, ...projection, ...expr.attributes(), ...(typeof input.Limit === 'number' ? { Limit: input.Limit } : {}), ...start, ConsistentRead: input.ConsistentRead === true });
        const last = scanned.LastEvaluatedKey ? { NextToken: Buffer.from(JSON.stringify(scanned.LastEvaluatedKey)).toString('base64') } : {};
        return { Items: (scanned.Items ?? []) as Item[], ...last };
      }
      case 'insert': {
        const missing = keyNames.find((k) => statement.item[k] === undefined);
        if (missing) throw new PartiqlError('ValidationException', `One or more parameter values were invalid: Missing the key ${missing} in the item`);
        const condition = keyNames.map((k) => `attribute_not_exists(${expr.path({ kind: 'path', names: [k] })})`).join(' AND ');
        try {
          await call(true, 'PutItem', { TableName: statement.table, Item: statement.item, ConditionExpression: condition, ...expr.attributes() });
        } catch (error) {
          if (error instanceof PartiqlError && error.type === 'ConditionalCheckFailedException') throw new PartiqlError('DuplicateItemException', 'Duplicate primary key exists in table');
          throw error;
        }
        return {};
      }
      case 'update':
      case 'delete': {
        const found = keyOf(statement.where, keyNames);
        if (!found) throw new PartiqlError('ValidationException', `Where clause does not contain a mandatory equality on all key attributes`);
        const rest = joinAnd(found.rest);
        if (statement.kind === 'delete') {
          await call(true, 'DeleteItem', { TableName: statement.table, Key: found.key, ...(rest ? { ConditionExpression: expr.condition(rest) } : {}), ...expr.attributes() });
          return {};
        }
        const sets = statement.sets.map((s) => `${expr.path(s.path)} = ${expr.operand(s.value)}${s.op ? ` ${s.op} ${expr.operand(s.operand!)}` : ''}`);
        const removes = statement.removes.map((p) => expr.path(p));
        const update = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
        // An UPDATE changes an item that is there: on a missing one it fails its condition, as DynamoDB's does.
        const exists = keyNames.map((k) => `attribute_exists(${expr.path({ kind: 'path', names: [k] })})`).join(' AND ');
        const condition = rest ? `${exists} AND (${expr.condition(rest)})` : exists;
        await call(true, 'UpdateItem', { TableName: statement.table, Key: found.key, UpdateExpression: update, ConditionExpression: condition, ...expr.attributes() });
        return {};
      }
    }
  }
}

/** A batch statement's error code (BatchStatementErrorCodeEnum) for an operation's error type. */
const BATCH_CODES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ValidationException: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFound',
  DuplicateItemException: 'DuplicateItem',
};

/** The table a batch entry names, as far as its text tells (for an entry that does not parse). */
function tableOf(entry: Item): string | undefined {
  return /(?:FROM|INTO|UPDATE)\s+"?([A-Za-z0-9_.-]+)"?/i.exec(String(entry.Statement ?? ''))?.[1];
}

/** A PartiQL refusal as DynamoDB answers it (400 with its __type); anything else is the caller's to handle. */
function failure(error: unknown): Answer {
  if (!(error instanceof PartiqlError)) throw error;
  return { status: 400, payload: { __type: `com.amazonaws.dynamodb.v20120810#${error.type}`, message: error.message } };
}
