/**
 * The nodes query-protocol services (SQS, SNS) build a form's dotted names into (`MessageAttribute.1.Name`): without
 * a prototype, so that a name such as `__proto__.x` or `constructor.prototype.x` is a key like any other instead of a
 * way into Object.prototype, which it reached in the gateway's own process.
 */

/**
 * The most dot-separated parts a parameter name may have: the deepest the services take is six
 * (`SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue`); a name of thousands of parts built a tree
 * whose copy overflowed the stack (a 500).
 */
export const MAX_NAME_PARTS = 16;

/** A node of the tree: no prototype, so reading or writing any name stays on the node itself. */
export function formNode(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** The tree as ordinary objects (what the services' code expects), every name an own property, `__proto__` included. */
export function plainTree(node: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, typeof value === 'object' && value !== null ? plainTree(value as Record<string, unknown>) : value]));
}

/** `target[key] = value` as an own property whatever the key (`__proto__` would otherwise replace the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
