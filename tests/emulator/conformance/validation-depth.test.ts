/**
 * Conformance, R5.5 / R5.6 [AMBIGUOUS]: a JSON body nested deeper than the validator can walk, against a model that
 * recurses (a tree). API Gateway's own limit on nesting is undocumented; the gateway answers it as a body the model
 * does not admit (400 Invalid request body, the reason in $context.error.validationErrorString), where the
 * validator's stack overflow was a 500 and a stack trace on the terminal.
 */
import { describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

const mock = `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } }`;
const tree = "requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Tree' } } } }";
const file = inlineApiTemplate('validation-depth', [
  'x-amazon-apigateway-request-validators: { all: { validateRequestBody: true, validateRequestParameters: true } }',
  'x-amazon-apigateway-request-validator: all',
  'x-amazon-apigateway-gateway-responses:',
  "  BAD_REQUEST_BODY: { statusCode: 400, responseTemplates: { application/json: '{\"why\": \"$context.error.validationErrorString\"}' } }",
  'paths:',
  '  /tree:',
  `    post: { ${tree}, responses: { '200': { description: ok } }, ${mock} }`,
  'components:',
  '  schemas:',
  "    Tree: { type: object, properties: { child: { $ref: '#/components/schemas/Tree' }, name: { type: string } } }",
]);
const h = await harness('Api', {}, file);
const nested = (depth: number, leaf: string) => `${'{"child":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const send = (body: string) => h.send({ method: 'POST', path: '/prod/tree', body, headers: [['Content-Type', 'application/json']] });

describe('R5.5 [AMBIGUOUS] a body nested past what the validator walks', () => {
  it('100,000 levels: 400 Invalid request body, saying why, nothing on the terminal about a stack', async () => {
    const got = await send(nested(100_000, '{}'));

    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ why: '[Request body nested too deeply to validate]' });
    expect(h.logs.join('\n')).not.toMatch(/RangeError|Maximum call stack/);
  });

  it.each([
    { given: 'a valid tree 100 levels deep', body: nested(100, '{"name": "leaf"}'), want: 200 },
    { given: 'a tree 100 levels deep whose leaf the model refuses', body: nested(100, '{"name": 5}'), want: 400 },
  ])('neighbour: $given is validated as any body: $want', async ({ body, want }) => {
    expect((await send(body)).status).toBe(want);
  });
});
