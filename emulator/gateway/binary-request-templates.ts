/**
 * R2.11 said at start: with binaryMediaTypes that match application/json (the Content-Type API Gateway takes for a
 * request without one: every request under `*\/*`), a method whose integration maps the request through its
 * application/json template without contentHandling CONVERT_TO_TEXT answers such requests 500 ("Unable to transform
 * request"), on AWS as here. SAM's Cors preflights are such mocks: with BinaryMediaTypes `*~1*` every one fails,
 * which only a failing browser showed (14MR/lambda-example's template.yaml).
 */
import type { OpenApiDocument } from '../template/model.js';
import { contentHandlingOf } from './content-handling.js';
import { matchesBinaryMediaType } from './request-state.js';
import { integrationType, isObject, listOperations } from './routes.js';
import type { SupportItem } from './types.js';

const TEMPLATED = new Set(['mock', 'aws', 'http']);
const SUBJECT = 'x-amazon-apigateway-binary-media-types';

/** One item naming the methods whose application/json request template a binary media type keeps from applying. */
export function binaryRequestTemplateItems(doc: OpenApiDocument): SupportItem[] {
  const types = doc[SUBJECT];
  if (!Array.isArray(types) || !matchesBinaryMediaType('application/json', types.map(String))) return [];
  const methods = listOperations(doc)
    .filter((op) => TEMPLATED.has(integrationType(op)) && isObject(op.integration?.requestTemplates) && 'application/json' in op.integration.requestTemplates)
    .filter((op) => contentHandlingOf(op.integration?.contentHandling) !== 'CONVERT_TO_TEXT')
    .map((op) => `${op.method} ${op.resourcePath}`);
  if (methods.length === 0) return [];
  const named = methods.length > 4 ? `${methods.slice(0, 4).join(', ')} and ${methods.length - 4} more` : methods.join(', ');
  return [
    {
      subject: `${SUBJECT} (application/json)`,
      location: SUBJECT,
      status: 'emulated',
      detail: `application/json, the Content-Type of a request without one, is binary here: ${named} answer such requests 500 (their request template is not applied to binary data without contentHandling CONVERT_TO_TEXT, R2.11), on AWS as here`,
    },
  ];
}
