/**
 * Conformance, R5.1 [choice]: an x-amazon-apigateway-request-validator naming a validator the document does not
 * declare (the Unicorn Properties workshop's "Validate body") is an import warning on AWS, not an error (failOnWarnings
 * is false by default): the API deploys and the method validates nothing. The gateway serves it the same way and
 * says so at start; it refused to start before.
 */
import { describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

const mock = `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } }`;
const body = "requestBody: { required: true, content: { application/json: { schema: { type: object, required: [title], properties: { title: { type: string } } } } } }";
const file = inlineApiTemplate('undeclared-validator', [
  'x-amazon-apigateway-request-validators: { all: { validateRequestBody: true, validateRequestParameters: true } }',
  'paths:',
  '  /undeclared:',
  `    post: { x-amazon-apigateway-request-validator: Validate body, ${body}, responses: { '200': { description: ok } }, ${mock} }`,
  '  /declared:',
  `    post: { x-amazon-apigateway-request-validator: all, ${body}, responses: { '200': { description: ok } }, ${mock} }`,
]);
const h = await harness('Api', {}, file);
const send = (path: string, payload: string) => h.send({ method: 'POST', path, body: payload, headers: [['Content-Type', 'application/json']] });

describe('R5.1 a request validator the document does not declare', () => {
  it('is reported ignored at start, with why', () => {
    const item = h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-request-validator' && i.location === 'paths./undeclared.post');

    expect(item).toMatchObject({ status: 'ignored', detail: expect.stringMatching(/^"Validate body" is not declared in x-amazon-apigateway-request-validators: API Gateway's import drops it/) });
  });

  it('validates nothing: a body its model refuses reaches the integration', async () => {
    const got = await send('/prod/undeclared', '{"nope": 1}');

    expect(got.status).toBe(200);
  });

  it('neighbour: a declared validator on the same API still refuses that body', async () => {
    const got = await send('/prod/declared', '{"nope": 1}');

    expect([got.status, got.json()]).toEqual([400, { message: 'Invalid request body' }]);
    expect(h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-request-validator' && i.location === 'paths./declared.post')?.status).toBe('emulated');
  });
});
