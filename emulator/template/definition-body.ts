/**
 * An API document's intrinsics resolved, one integration at a time where it matters: an integration `uri` that does
 * not resolve (a GetAtt of a function the template lacks) is a template CloudFormation would refuse, but it concerns
 * one route. That route's uri becomes a placeholder naming no function (it answers 500, as an integration whose
 * function is gone does), a warning says why, and every other route is served.
 */
import { TemplateError } from './model.js';
import { UNRESOLVED_PREFIX, type Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const INTEGRATION = 'x-amazon-apigateway-integration';

/** `stack.resolve(body)`, with each operation's integration uri resolved on its own first (see above). */
export function resolveDefinitionBody(stack: Stack, body: unknown, key: string, warnings: string[], file?: string): unknown {
  if (!isRecord(body) || !isRecord(body.paths)) return stack.resolve(body, key, file);
  const paths: Record<string, unknown> = {};
  const at = (suffix: string): string => (key === '' ? suffix : `${key}.${suffix}`);
  for (const [path, item] of Object.entries(body.paths)) {
    paths[path] = isRecord(item) ? Object.fromEntries(Object.entries(item).map(([verb, op]) => [verb, withResolvableUri(stack, op, at(`paths.${path}.${verb}`), warnings, file)])) : item;
  }
  return stack.resolve({ ...body, paths }, key, file);
}

function withResolvableUri(stack: Stack, op: unknown, key: string, warnings: string[], file?: string): unknown {
  const integration = isRecord(op) ? op[INTEGRATION] : undefined;
  if (!isRecord(integration) || integration.uri === undefined) return op;
  const uriKey = `${key}.${INTEGRATION}.uri`;
  try {
    stack.resolve(integration.uri, uriKey, file);
    return op;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    warnings.push(`${error.key}: ${error.detail} (CloudFormation would refuse the template); locally this route answers 500 and the others are served`);
    return { ...(op as Record<string, unknown>), [INTEGRATION]: { ...integration, uri: `${UNRESOLVED_PREFIX}${uriKey}` } };
  }
}
