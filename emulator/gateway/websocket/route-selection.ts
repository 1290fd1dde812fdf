/**
 * Route selection of WebSocket APIs (Developer Guide, "Route selection expressions"): the API's
 * RouteSelectionExpression (`$request.body.action`, `${request.body.action}`, or text with several
 * `${request.body.<path>}`) is evaluated on each message; the route whose key equals the result runs, else `$default`,
 * else none. A message that is not JSON, or an expression that cannot be evaluated, goes to `$default`.
 */

/** A route key for one message, or undefined when no route matches and there is no `$default`. */
export function selectRoute(expression: string, message: string | undefined, routeKeys: ReadonlySet<string>): string | undefined {
  const value = evaluate(expression, message);
  if (value !== undefined && routeKeys.has(value)) return value;
  return routeKeys.has('$default') ? '$default' : undefined;
}

const VARIABLE = /\$\{request\.body((?:\.[^.[\]{}]+|\[\d+\]|\['[^']*'\])*)\}/g;

/** The expression's value for a message; undefined when the message is not JSON and the expression reads its body. */
export function evaluate(expression: string, message: string | undefined): string | undefined {
  const text = expression.trim();
  // `$request.body.action` is `${request.body.action}` written bare.
  const template = /^\$request\.body/.test(text) ? `\${${text.slice(1)}}` : text;
  if (!template.match(VARIABLE)) return text.replace(/^\\\$/, '$');
  let body: unknown;
  try {
    body = JSON.parse(message ?? '');
  } catch {
    return undefined;
  }
  // A path with nothing there is empty text (`${request.body.action}-${request.body.none}` is `join-`).
  return template.replace(VARIABLE, (_, path: string) => stringified(at(body, steps(path))));
}

function steps(path: string): string[] {
  return [...path.matchAll(/\.([^.[\]{}]+)|\[(\d+)\]|\['([^']*)'\]/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function at(value: unknown, path: string[]): unknown {
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Array.isArray(value) && /^\d+$/.test(step) ? value[Number(step)] : (value as Record<string, unknown>)[step];
  }
  return value;
}

/** "the result will be stringified": a number or a boolean selects the key of its text, an array `[a, b]`. */
function stringified(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(stringified).join(', ')}]`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
