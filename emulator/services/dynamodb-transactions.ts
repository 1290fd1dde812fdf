/**
 * TransactWriteItems and TransactGetItems for the embedded DynamoDB (API Reference; Developer Guide, "Amazon DynamoDB
 * Transactions: How it works"). dynalite has neither, so they are made here from its single-item actions, holding
 * the front's table locks alone so that no other write to those tables falls inside a transaction: every condition is
 * checked first without changing anything, then the writes are applied one by one, and should one still fail (an
 * update expression that does not fit the item), the items already written are put back as they were.
 */
import { createHash } from 'node:crypto';
import type { StreamCapture } from './dynamodb-streams/capture.js';
import type { TableLocks } from './dynamodb-table-locks.js';
import { byName } from './dynamodb-table-arn.js';

type Item = Record<string, unknown>;
type Kind = 'ConditionCheck' | 'Put' | 'Update' | 'Delete';

/** An answer of the AWS JSON protocol: HTTP status and body. */
export interface Answer {
  status: number;
  payload: Item;
}

export interface TransactionDeps {
  /** A request to dynalite itself, past the front (and its locks). */
  call(action: string, input: Item): Promise<{ status: number; json: Item }>;
  locks: TableLocks;
  capture(): StreamCapture | undefined;
  /** Epoch ms. */
  now(): number;
}

interface Action {
  kind: Kind;
  table: string;
  body: Item;
  key: Item;
  old?: Item;
}

const KINDS: Kind[] = ['ConditionCheck', 'Put', 'Update', 'Delete'];
const MAX_ITEMS = 100;
const TOKEN_WINDOW_MS = 10 * 60 * 1000;
const ERROR = 'com.amazonaws.dynamodb.v20120810#';
/** dynalite's refusals that depend on the item, not on the request: DynamoDB cancels the transaction for these. */
const ITEM_ERRORS = /^(The provided expression refers to an attribute that does not exist in the item|An operand in the update expression has an incorrect data type|The document path provided in the update expression is invalid for update|Item size to update has exceeded the maximum allowed size)/;
const WRITE_ACTION: Record<Exclude<Kind, 'ConditionCheck'>, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' };
const REQUIRED: Record<Kind, string[]> = {
  ConditionCheck: ['TableName', 'Key', 'ConditionExpression'],
  Put: ['TableName', 'Item'],
  Update: ['TableName', 'Key', 'UpdateExpression'],
  Delete: ['TableName', 'Key'],
};

const validation = (message: string): Answer => ({ status: 400, payload: { __type: 'com.amazon.coral.validate#ValidationException', message } });
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);
const isObject = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);
const failed = (json: Item, type: string) => String(json.__type ?? '').endsWith(`#${type}`);

/** Why a JSON value cannot be a String member, in the words of DynamoDB's SerializationException (none for a string or null). */
function notAString(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'string') return undefined;
  if (typeof value === 'boolean') return `${value ? 'TRUE' : 'FALSE'}_VALUE cannot be converted to String`;
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'NUMBER' : 'DECIMAL'}_VALUE cannot be converted to String`;
  return Array.isArray(value) ? 'Unrecognized collection type class java.lang.String' : 'Start of structure or map found where not expected';
}

/** The request's list, or the ValidationException DynamoDB answers for a missing or out-of-range one. */
function entries(input: Item): unknown[] | Answer {
  const list = input.TransactItems;
  if (!Array.isArray(list)) return validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  if (list.length < 1 || list.length > MAX_ITEMS) {
    const bound = list.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ITEMS}`;
    return validation(`1 validation error detected: Value '[${list.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`);
  }
  return list;
}

/** A number as a value, whatever its spelling (1, 1.0, 10e-1), so that two spellings of one key are one item. */
function canonicalNumber(text: string): string {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m) return text;
  const [, sign, int = '', fraction = '', exponent = '0'] = m;
  const all = int + fraction;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  return digits ? `${sign === '-' ? '-' : ''}0.${digits}e${int.length - lead + Number(exponent)}` : '0';
}

/** The identity of an item: its table and its key attributes' values, canonical. */
function identity(table: string, key: Item, names: string[]): string {
  return JSON.stringify([
    table,
    names.map((name) => {
      const value = key[name] as { S?: string; N?: string; B?: string } | undefined;
      if (value?.N !== undefined) return { N: canonicalNumber(String(value.N)) };
      if (value?.B !== undefined) return { B: Buffer.from(String(value.B), 'base64').toString('base64') };
      return value ?? null;
    }),
  ]);
}

/** JSON with sorted object keys: two spellings of one request compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!isObject(value)) return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

/** Only the names and values an expression refers to: DynamoDB refuses those it does not use. */
function usedBy(expression: string, map: unknown): Item | undefined {
  if (!isObject(map)) return undefined;
  const tokens = new Set(expression.match(/[#:][A-Za-z0-9_]+/g) ?? []);
  const used = Object.fromEntries(Object.entries(map).filter(([token]) => tokens.has(token)));
  return Object.keys(used).length > 0 ? used : undefined;
}

export class DynamoDbTransactions {
  /** ClientRequestToken → the request it came with, and once it has succeeded, its answer and when. */
  private readonly tokens = new Map<string, { request: string; at?: number; answer?: Answer }>();

  constructor(private readonly deps: TransactionDeps) {}

  /**
   * TransactWriteItems: all the actions or none, each with its condition; a failed condition cancels the whole with
   * TransactionCanceledException and one reason per action; a ClientRequestToken makes a retry within 10 minutes
   * answer as the first call did without writing again.
   */
  async write(input: Item): Promise<Answer> {
    const list = entries(input);
    if (!Array.isArray(list)) return list;
    const parsed: { kind: Kind; body: Item }[] = [];
    for (const [i, entry] of list.entries()) {
      const kinds = isObject(entry) ? KINDS.filter((k) => entry[k] !== undefined) : [];
      if (kinds.length === 0) return validation('Invalid Request: TransactWriteRequest should contain Delete or Put or Update request');
      if (kinds.length > 1) return validation('TransactItems can only contain one of Check, Put, Update or Delete');
      const kind = kinds[0]!;
      const body = (entry as Item)[kind];
      const at = `transactItems.${i + 1}.member.${lowerFirst(kind)}`;
      if (!isObject(body)) return validation(`1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      const missing = REQUIRED[kind].find((field) => body[field] === undefined);
      if (missing) return validation(`1 validation error detected: Value null at '${at}.${lowerFirst(missing)}' failed to satisfy constraint: Member must not be null`);
      const returns = body.ReturnValuesOnConditionCheckFailure;
      if (returns !== undefined && returns !== 'ALL_OLD' && returns !== 'NONE') {
        return validation(`1 validation error detected: Value '${String(returns)}' at '${at}.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`);
      }
      parsed.push({ kind, body: byName(body) });
    }
    const notText = notAString(input.ClientRequestToken);
    if (notText) return { status: 400, payload: { __type: 'com.amazon.coral.service#SerializationException', Message: notText } };
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
    if (token !== undefined && (token.length < 1 || token.length > 36)) {
      return validation(`1 validation error detected: Value '${token.slice(0, 64)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length ${token.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 36'}`);
    }
    if (token === undefined) return this.run(parsed);
    const now = this.deps.now();
    for (const [t, seen] of this.tokens) if (seen.at !== undefined && now - seen.at >= TOKEN_WINDOW_MS) this.tokens.delete(t);
    const { ClientRequestToken: _token, ...rest } = input;
    // A digest, not the request: a token is kept ten minutes, and a transaction may carry 4 MB of items.
    const request = createHash('sha256').update(canonical(rest)).digest('hex');
    const seen = this.tokens.get(token);
    if (seen && seen.request !== request) {
      return { status: 400, payload: { __type: `${ERROR}IdempotentParameterMismatchException`, message: 'The request uses the same client token as a previous, but non-identical request.' } };
    }
    if (seen?.answer) return seen.answer;
    if (seen) return { status: 400, payload: { __type: `${ERROR}TransactionInProgressException`, message: 'The transaction with the given request token is already in progress.' } };
    this.tokens.set(token, { request });
    let answer: Answer | undefined;
    try {
      answer = await this.run(parsed);
      return answer;
    } finally {
      // Only a transaction that was carried out is remembered: one that was refused has not happened and may be retried.
      if (answer?.status === 200) this.tokens.set(token, { request, at: this.deps.now(), answer });
      else this.tokens.delete(token);
    }
  }

  /** TransactGetItems: the items in request order ({} for a missing one), read while no write to their tables runs. */
  async get(input: Item): Promise<Answer> {
    const list = entries(input);
    if (!Array.isArray(list)) return list;
    const gets: Item[] = [];
    for (const [i, entry] of list.entries()) {
      const body = isObject(entry) ? entry.Get : undefined;
      const at = `transactItems.${i + 1}.member.get`;
      if (!isObject(body)) return validation(`1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      const missing = ['TableName', 'Key'].find((field) => body[field] === undefined);
      if (missing) return validation(`1 validation error detected: Value null at '${at}.${lowerFirst(missing)}' failed to satisfy constraint: Member must not be null`);
      gets.push(byName(body));
    }
    return this.deps.locks.hold(gets.map((g) => String(g.TableName)), async () => {
      const keyed = await this.keyed(gets.map((body) => ({ kind: 'ConditionCheck' as const, body })));
      if (!Array.isArray(keyed)) return keyed;
      const read = await Promise.all(
        gets.map((g) => this.deps.call('GetItem', { TableName: g.TableName, Key: g.Key, ProjectionExpression: g.ProjectionExpression, ExpressionAttributeNames: g.ExpressionAttributeNames, ConsistentRead: true })),
      );
      const refused = read.find((r) => r.status !== 200);
      if (refused) return { status: refused.status, payload: refused.json };
      return { status: 200, payload: { Responses: read.map((r) => (r.json.Item ? { Item: r.json.Item } : {})) } };
    });
  }

  private run(parsed: { kind: Kind; body: Item }[]): Promise<Answer> {
    return this.deps.locks.hold(parsed.map((p) => String(p.body.TableName)), async () => {
      const actions = await this.keyed(parsed);
      if (!Array.isArray(actions)) return actions;
      const snapshot = await Promise.all(actions.map((a) => this.deps.call('GetItem', { TableName: a.table, Key: a.key, ConsistentRead: true })));
      const unreadable = snapshot.find((r) => r.status !== 200);
      if (unreadable) return { status: unreadable.status, payload: unreadable.json };
      actions.forEach((a, i) => (a.old = snapshot[i]!.json.Item as Item | undefined));

      const checked = await Promise.all(actions.map((a) => this.check(a)));
      const refused = checked.find((c) => c !== undefined && !failed(c.json, 'ConditionalCheckFailedException'));
      if (refused) return { status: refused.status, payload: refused.json };
      if (checked.some((c) => c !== undefined)) {
        return this.cancel(actions.map((a, i) => (checked[i] ? this.conditionFailed(a) : undefined)));
      }

      const applied: Action[] = [];
      for (const [i, a] of actions.entries()) {
        if (a.kind === 'ConditionCheck') continue;
        const { ReturnValuesOnConditionCheckFailure: _ignored, ...request } = a.body;
        const result = await this.deps.call(WRITE_ACTION[a.kind], request);
        if (result.status === 200) {
          applied.push(a);
          continue;
        }
        await this.restore(applied);
        const message = String(result.json.message ?? result.json.Message ?? '');
        const reasons: (Item | undefined)[] = actions.map(() => undefined);
        if (failed(result.json, 'ConditionalCheckFailedException')) reasons[i] = this.conditionFailed(a);
        else if (failed(result.json, 'ValidationException') && ITEM_ERRORS.test(message)) reasons[i] = { Code: 'ValidationError', Message: message };
        else return { status: result.status, payload: result.json };
        return this.cancel(reasons);
      }
      await this.recordStream(applied);
      return { status: 200, payload: {} };
    });
  }

  /** Each action's table and key (from the table's key schema); or the refusal of the whole request. */
  private async keyed(parsed: { kind: Kind; body: Item }[]): Promise<Action[] | Answer> {
    const schemas = new Map<string, string[]>();
    for (const table of new Set(parsed.map((p) => String(p.body.TableName)))) {
      const described = await this.deps.call('DescribeTable', { TableName: table });
      if (described.status !== 200) return { status: described.status, payload: described.json };
      const keySchema = ((described.json.Table as Item | undefined)?.KeySchema ?? []) as { AttributeName: string }[];
      schemas.set(table, keySchema.map((k) => k.AttributeName));
    }
    const seen = new Set<string>();
    const actions: Action[] = [];
    for (const { kind, body } of parsed) {
      const table = String(body.TableName);
      const names = schemas.get(table)!;
      const source = (kind === 'Put' ? body.Item : body.Key) as Item;
      if (!isObject(source)) return validation('The provided key element does not match the schema');
      const absent = names.find((name) => source[name] === undefined);
      if (absent) return validation(kind === 'Put' ? `One or more parameter values were invalid: Missing the key ${absent} in the item` : 'The provided key element does not match the schema');
      const id = identity(table, source, names);
      if (seen.has(id)) return validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
      actions.push({ kind, table, body, key: Object.fromEntries(names.map((name) => [name, source[name]])) });
    }
    return actions;
  }

  /**
   * Evaluates the action's condition on the item as it is, changing nothing: the item put back as it is, or, when
   * there is none, a delete of no item, each under the condition. Undefined when the condition holds (or there is none).
   */
  private async check(a: Action): Promise<{ status: number; json: Item } | undefined> {
    const condition = a.body.ConditionExpression;
    if (typeof condition !== 'string') return undefined;
    // An update's names and values also serve its UpdateExpression; the check takes only the condition's.
    const only = a.kind === 'Update';
    const names = only ? usedBy(condition, a.body.ExpressionAttributeNames) : a.body.ExpressionAttributeNames;
    const values = only ? usedBy(condition, a.body.ExpressionAttributeValues) : a.body.ExpressionAttributeValues;
    const common = { TableName: a.table, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
    const result = await this.deps.call(a.old ? 'PutItem' : 'DeleteItem', a.old ? { ...common, Item: a.old } : { ...common, Key: a.key });
    return result.status === 200 ? undefined : result;
  }

  private conditionFailed(a: Action): Item {
    const item = a.body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && a.old ? { Item: a.old } : {};
    return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...item };
  }

  /** TransactionCanceledException as DynamoDB sends it: one reason per action, in order, `None` where nothing failed. */
  private cancel(reasons: (Item | undefined)[]): Answer {
    const all = reasons.map((r) => r ?? { Code: 'None' });
    return {
      status: 400,
      payload: {
        __type: `${ERROR}TransactionCanceledException`,
        CancellationReasons: all,
        Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${all.map((r) => String(r.Code)).join(', ')}]`,
      },
    };
  }

  /** Puts back the items already written, last first. */
  private async restore(applied: Action[]): Promise<void> {
    for (const a of applied.reverse()) {
      const result = await this.deps.call(a.old ? 'PutItem' : 'DeleteItem', a.old ? { TableName: a.table, Item: a.old } : { TableName: a.table, Key: a.key });
      if (result.status !== 200) console.error(`emulator: a cancelled DynamoDB transaction could not put back an item of ${a.table}:`, result.json);
    }
  }

  /** One stream record per item the transaction changed, together; none for a ConditionCheck. */
  private async recordStream(applied: Action[]): Promise<void> {
    const capture = this.deps.capture();
    const streamed = applied.filter((a) => capture?.streams(a.table));
    if (!capture || streamed.length === 0) return;
    const after = await Promise.all(streamed.map((a) => this.deps.call('GetItem', { TableName: a.table, Key: a.key, ConsistentRead: true })));
    capture.changed(streamed.map((a, i) => ({ tableName: a.table, key: a.key, old: a.old, now: after[i]!.json.Item as Item | undefined })));
  }
}
