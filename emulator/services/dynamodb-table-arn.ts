/**
 * A table's ARN where DynamoDB takes a table's name: since 2024 (resource-based policies) its API takes "the name of
 * the table ... or the Amazon Resource Name (ARN) of the table" in TableName and as RequestItems' keys (API Reference,
 * GetItem, BatchGetItem...); dynalite takes the name only. The request is read with names, and the answer's maps keyed
 * by table (BatchGetItem's Responses, "a map of table name or table ARN to a list of items", and its UnprocessedKeys;
 * BatchWriteItem's UnprocessedItems and ItemCollectionMetrics) are keyed again as the caller keyed its request.
 */

/** A table's ARN (not an index's nor a stream's), its table name captured. */
const TABLE_ARN = /^arn:[\w-]+:dynamodb:[\w-]*:\d*:table\/([a-zA-Z0-9_.-]{3,255})$/;

/** The table an ARN names; undefined for anything else (a name, an index's ARN). */
export function tableOfArn(value: unknown): string | undefined {
  return typeof value === 'string' ? TABLE_ARN.exec(value)?.[1] : undefined;
}

type Item = Record<string, unknown>;

/** The body with its TableName as a name: an ARN given in its place names the same table. */
export function byName(body: Item): Item {
  const table = tableOfArn(body.TableName);
  return table === undefined ? body : { ...body, TableName: table };
}

/** The answer's members keyed by table, per operation whose request keys RequestItems by table. */
const KEYED_ANSWERS: Record<string, string[]> = {
  BatchGetItem: ['Responses', 'UnprocessedKeys'],
  BatchWriteItem: ['UnprocessedItems', 'ItemCollectionMetrics'],
};

/**
 * A request naming tables by ARN, as dynalite reads it (names), and how its answer's table-keyed maps go back to the
 * caller's keys; undefined when the request names no table by ARN (the common case: nothing is rewritten).
 */
export function withTableNames(operation: string, input: Item): { input: Item; restore?: (answer: Item) => Item } | undefined {
  const keyed = KEYED_ANSWERS[operation];
  const requests = input.RequestItems;
  if (!keyed || typeof requests !== 'object' || requests === null || Array.isArray(requests)) {
    const named = byName(input);
    return named === input ? undefined : { input: named };
  }
  const callerKey = new Map<string, string>();
  const renamed: Item = {};
  for (const [key, value] of Object.entries(requests as Item)) {
    const table = tableOfArn(key) ?? key;
    // A table named twice (by its name and by its ARN) is left for dynalite to read as sent.
    if (table in renamed) return undefined;
    renamed[table] = value;
    if (table !== key) callerKey.set(table, key);
  }
  if (callerKey.size === 0) return undefined;
  const restore = (answer: Item): Item => {
    const out = { ...answer };
    for (const member of keyed) {
      const map = answer[member];
      if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
      out[member] = Object.fromEntries(Object.entries(map as Item).map(([table, value]) => [callerKey.get(table) ?? table, value]));
    }
    return out;
  };
  return { input: { ...input, RequestItems: renamed }, restore };
}
