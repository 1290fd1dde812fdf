import { TemplateError } from './model.js';

/** OpenAPI operation keys → API Gateway methods (x-amazon-apigateway-any-method is ANY), for REST and HTTP APIs. */
export const OPENAPI_VERBS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

/**
 * Every path item must be a map (an empty one is fine): SAM's Swagger and OpenAPI editors refuse a document with a
 * `/path:` left empty or holding a scalar, in these words, and API Gateway's import has no resource to make of it.
 */
export function checkPathItems(paths: Record<string, unknown>, source: string): void {
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new TemplateError(source, `paths.${path}`, `Value of '${path}' path must be a dictionary according to Swagger spec.`);
    }
  }
}
