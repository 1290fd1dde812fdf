/**
 * Conformance, R5.4 / R5.8: a method's body is validated against its own model and the models it references
 * ($ref), each imported as a model of its own. A model elsewhere in the document that a draft-4 validator cannot
 * compile (a property whose schema is a text: an `example` written one level too far out) does not concern it: the
 * gateway compiled every model of the document with each one, so each validated route answered 500 and a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

const mock = `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } }`;
const body = (model: string) => `requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/${model}' } } } }`;
const file = inlineApiTemplate('validation-models-apart', [
  'x-amazon-apigateway-request-validators: { body: { validateRequestBody: true, validateRequestParameters: false } }',
  'x-amazon-apigateway-request-validator: body',
  'paths:',
  '  /signup:',
  `    post: { ${body('Signup')}, responses: { '200': { description: ok } }, ${mock} }`,
  'components:',
  '  schemas:',
  "    Signup: { type: object, required: [email], properties: { email: { type: string }, address: { $ref: '#/components/schemas/Address' } } }",
  '    Address: { type: object, properties: { city: { type: string } } }',
  "    UpdateResponse: { type: object, properties: { message: { type: string }, example: 'updated' } }",
]);
const h = await harness('Api', {}, file);
const send = (text: string) => h.send({ method: 'POST', path: '/prod/signup', body: text, headers: [['Content-Type', 'application/json']] });

describe('R5.4 a method`s body is validated against its own model and those it references', () => {
  it.each([
    { given: 'a body its model admits', text: '{"email": "a@example.com", "address": {"city": "Oslo"}}', want: 200 },
    { given: 'a body without a required property', text: '{"address": {"city": "Oslo"}}', want: 400 },
    { given: 'a body a referenced model refuses', text: '{"email": "a@example.com", "address": {"city": 5}}', want: 400 },
  ])('$given: $want, whatever an unrelated model holds', async ({ text, want }) => {
    const got = await send(text);

    expect(got.status).toBe(want);
    expect(h.logs.join('\n')).not.toMatch(/schema is invalid/);
  });
});
