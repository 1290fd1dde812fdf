/**
 * Expression limits checked before dynalite parses a request: DynamoDB's own 4 KB per expression, and a bound on
 * nested parentheses. dynalite's condition parser (PEG.js, without memoisation) backtracks at every grouping
 * parenthesis, so its time grows about twofold to fourfold with each level: ten levels took about a minute and
 * twenty would take days, in the thread that also serves Secrets Manager, which then answered nothing and could not
 * be stopped. DynamoDB parses them; the local one refuses them with a ValidationException that says why.
 */

/** The expression parameters DynamoDB limits to 4 KB each, as sent (Constraints: "Expression parameters"). */
const EXPRESSION_FIELDS = ['ConditionExpression', 'FilterExpression', 'KeyConditionExpression', 'ProjectionExpression', 'UpdateExpression'] as const;

/** DynamoDB refuses an expression string over 4 KB (measured in bytes, before any substitution). */
export const MAX_EXPRESSION_BYTES = 4096;

/**
 * Grouping parentheses nested deeper than this are refused locally: at this depth a 4 KB expression still parses in
 * about a second; real expressions rarely nest more than three levels.
 */
export const MAX_GROUPING_DEPTH = 5;

export interface ExpressionProblem {
  __type: 'com.amazon.coral.validate#ValidationException';
  message: string;
}

/** How deep grouping parentheses nest; a function's own parentheses (`size(a)`, `list_append(`) do not count. */
export function groupingDepth(expression: string): number {
  const open: boolean[] = [];
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '(') {
      // A word before the parenthesis names a function (or IN's list), unless it is a logical operator.
      const word = /([A-Za-z0-9_]+)\s*$/.exec(expression.slice(Math.max(0, i - 64), i))?.[1];
      const grouping = word === undefined || /^(AND|OR|NOT)$/i.test(word);
      open.push(grouping);
      if (grouping) deepest = Math.max(deepest, ++depth);
    } else if (c === ')' && open.pop() === true) depth--;
  }
  return deepest;
}

function problemOf(field: string, expression: unknown): ExpressionProblem | undefined {
  if (typeof expression !== 'string') return undefined;
  const bytes = Buffer.byteLength(expression);
  if (bytes > MAX_EXPRESSION_BYTES) {
    return { __type: 'com.amazon.coral.validate#ValidationException', message: `Invalid ${field}: Expression size has exceeded the maximum allowed size; expression size: ${bytes}` };
  }
  const depth = groupingDepth(expression);
  if (depth > MAX_GROUPING_DEPTH) {
    return {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: `Invalid ${field}: parentheses nested ${depth} levels deep; the local emulator's DynamoDB parses at most ${MAX_GROUPING_DEPTH} (its parser's time doubles with each level)`,
    };
  }
  return undefined;
}

function inObject(value: unknown): ExpressionProblem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const field of EXPRESSION_FIELDS) {
    const problem = problemOf(field, Object.hasOwn(record, field) ? record[field] : undefined);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The first expression of a request that DynamoDB (4 KB) or the local parser (nesting) refuses: the request's own,
 * a transaction item's (TransactWriteItems, TransactGetItems) or a BatchGetItem table's. Undefined when all pass.
 */
export function expressionProblem(input: Record<string, unknown>): ExpressionProblem | undefined {
  const own = inObject(input);
  if (own) return own;
  if (Array.isArray(input.TransactItems)) {
    for (const item of input.TransactItems as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      for (const operation of Object.values(item)) {
        const problem = inObject(operation);
        if (problem) return problem;
      }
    }
  }
  if (typeof input.RequestItems === 'object' && input.RequestItems !== null) {
    for (const table of Object.values(input.RequestItems)) {
      const problem = inObject(table);
      if (problem) return problem;
    }
  }
  return undefined;
}
