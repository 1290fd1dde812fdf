/**
 * PartiQL for the embedded DynamoDB (dynalite has none): ExecuteStatement and BatchExecuteStatement of the four
 * statements the DynamoDB Developer Guide documents ("PartiQL select/insert/update/delete statements for DynamoDB"),
 * each turned into the operation DynamoDB's own PartiQL runs: a SELECT naming a whole key is GetItem, another a Scan
 * with its WHERE as the filter; INSERT is PutItem that must not replace an item (DuplicateItemException); UPDATE and
 * DELETE name one item by its key, the rest of their WHERE a condition. Writes go through the front's table locks and
 * stream capture, as every write does.
 */

import { Parser, PartiqlError, tokenize, type Cond, type Path, type Statement, type Value } from './dynamodb-partiql-parser.js';

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

// ---- expressions ----

/** The longest statement DynamoDB takes, in characters. */
export const MAX_STATEMENT_LENGTH = 8192;

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
    // DynamoDB's limit (ExecuteStatement: Statement, 1-8192 characters); past it the parser's recursion overflowed (a 500).
    if (input.Statement.length > MAX_STATEMENT_LENGTH) throw new PartiqlError('ValidationException', `1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length less than or equal to ${MAX_STATEMENT_LENGTH}`);
    const params = input.Parameters === undefined ? [] : input.Parameters;
    if (!Array.isArray(params)) throw new PartiqlError('ValidationException', "1 validation error detected: Value at 'parameters' failed to satisfy constraint: Member must be a list");
    try {
      return new Parser(tokenize(input.Statement), params).statement();
    } catch (error) {
      // Thousands of nested parentheses within the 8192 characters exhaust the recursive parser's stack.
      if (error instanceof RangeError) throw new PartiqlError('ValidationException', "Statement wasn't well formed, can't be processed: its parentheses nest too deeply for the local emulator's parser");
      throw error;
    }
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
    const call = async (write: boolean, action: string, request: Item): Promise<Item> => {
      const answer = await (write ? this.deps.write : this.deps.read)(action, request);
      if (answer.status === 200) return answer.json;
      const type = String(answer.json.__type ?? '').split('#').pop() ?? 'ValidationException';
      throw new PartiqlError(type, String(answer.json.message ?? answer.json.Message ?? ''));
    };
    if (statement.kind !== 'select') {
      const { action, request } = writeRequest(statement, keyNames);
      try {
        await call(true, action, request);
      } catch (error) {
        if (statement.kind === 'insert' && error instanceof PartiqlError && error.type === 'ConditionalCheckFailedException') throw new PartiqlError('DuplicateItemException', 'Duplicate primary key exists in table');
        throw error;
      }
      return {};
    }
    const expr = new Expression();
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

  /**
   * A statement of an ExecuteTransaction as the transaction entry DynamoDB runs it: a SELECT by the whole key is a
   * `Get`, an INSERT a `Put` that must not replace an item, an UPDATE or DELETE of one item an `Update` or `Delete`.
   */
  async transactionEntry(input: Item): Promise<{ entry: Item } | { refused: Answer }> {
    try {
      return { entry: await this.entryOf(input) };
    } catch (error) {
      return { refused: failure(error) };
    }
  }

  private async entryOf(input: Item): Promise<Item> {
    const statement = this.parse(input);
    const keyNames = await this.keyNames(statement.table);
    if (statement.kind !== 'select') {
      const { action, request } = writeRequest(statement, keyNames);
      return action === 'PutItem' ? { Put: request } : action === 'UpdateItem' ? { Update: request } : { Delete: request };
    }
    const found = statement.index === undefined ? keyOf(statement.where, keyNames) : undefined;
    if (!found || found.rest.length > 0) throw new PartiqlError('ValidationException', 'Select statements within a transaction must specify the full primary key in the WHERE clause with equality conditions');
    const expr = new Expression();
    const projection = statement.projection === '*' ? {} : { ProjectionExpression: statement.projection.map((p) => expr.path(p)).join(', ') };
    return { Get: { TableName: statement.table, Key: found.key, ...projection, ...expr.attributes() } };
  }
}

/** The single-item write a write statement is (PutItem, UpdateItem or DeleteItem), with its condition. */
function writeRequest(statement: Exclude<Statement, { kind: 'select' }>, keyNames: string[]): { action: 'PutItem' | 'UpdateItem' | 'DeleteItem'; request: Item } {
  const expr = new Expression();
  if (statement.kind === 'insert') {
    const missing = keyNames.find((k) => statement.item[k] === undefined);
    if (missing) throw new PartiqlError('ValidationException', `One or more parameter values were invalid: Missing the key ${missing} in the item`);
    const condition = keyNames.map((k) => `attribute_not_exists(${expr.path({ kind: 'path', names: [k] })})`).join(' AND ');
    return { action: 'PutItem', request: { TableName: statement.table, Item: statement.item, ConditionExpression: condition, ...expr.attributes() } };
  }
  const found = keyOf(statement.where, keyNames);
  if (!found) throw new PartiqlError('ValidationException', `Where clause does not contain a mandatory equality on all key attributes`);
  const rest = joinAnd(found.rest);
  if (statement.kind === 'delete') {
    return { action: 'DeleteItem', request: { TableName: statement.table, Key: found.key, ...(rest ? { ConditionExpression: expr.condition(rest) } : {}), ...expr.attributes() } };
  }
  const sets = statement.sets.map((s) => `${expr.path(s.path)} = ${expr.operand(s.value)}${s.op ? ` ${s.op} ${expr.operand(s.operand!)}` : ''}`);
  const removes = statement.removes.map((p) => expr.path(p));
  const update = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
  // An UPDATE changes an item that is there: on a missing one it fails its condition, as DynamoDB's does.
  const exists = keyNames.map((k) => `attribute_exists(${expr.path({ kind: 'path', names: [k] })})`).join(' AND ');
  const condition = rest ? `${exists} AND (${expr.condition(rest)})` : exists;
  return { action: 'UpdateItem', request: { TableName: statement.table, Key: found.key, UpdateExpression: update, ConditionExpression: condition, ...expr.attributes() } };
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
