/** R2.9: integration responseParameters may only set headers the method response declares; AWS import rejects others. */
import type { OpenApiDocument } from '../template/model.js';
import { deref, isObject, listOperations } from './routes.js';
import type { SupportItem } from './types.js';

function declaredHeaders(doc: OpenApiDocument, operation: Record<string, unknown>, status: string): string[] | undefined {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const response = deref(doc, responses[status]);
  if (!isObject(response)) return undefined;
  return isObject(response.headers) ? Object.keys(response.headers).map((h) => h.toLowerCase()) : [];
}

/**
 * Lists each `method.response.header.<X>` mapping whose header is not declared under the selected status's
 * `responses.<code>.headers`. API Gateway's importer fails on these ("Invalid mapping expression specified"); the
 * emulator still maps them (so local behaviour matches the intent) and reports each one.
 */
export function undeclaredHeaderItems(doc: OpenApiDocument): SupportItem[] {
  const items: SupportItem[] = [];
  for (const op of listOperations(doc)) {
    const responses = isObject(op.integration?.responses) ? op.integration.responses : {};
    for (const [pattern, response] of Object.entries(responses)) {
      if (!isObject(response) || !isObject(response.responseParameters)) continue;
      const status = String(response.statusCode ?? '');
      const declared = declaredHeaders(doc, op.operation, status);
      for (const key of Object.keys(response.responseParameters)) {
        const header = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
        if (!header || declared?.includes(header.toLowerCase())) continue;
        items.push({
          subject: `x-amazon-apigateway-integration.responses.responseParameters.${key}`,
          location: `${op.location}.x-amazon-apigateway-integration.responses.${pattern}`,
          status: 'not-emulated',
          detail: `header ${header} is not declared in responses.${status}.headers: AWS import rejects this mapping ("Invalid mapping expression specified"); the emulator does not, and applies it`,
        });
      }
    }
  }
  return items;
}
