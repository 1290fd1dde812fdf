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
