/** Conformance: a mock's selected integration response must name a declared method response (R2.6), as other integrations'. */
import { describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

const mock = (status: number, responses: string) =>
  `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": ${status}}' }, responses: { ${responses} } }`;
const ok = "responses: { '200': { description: ok } }";
const file = inlineApiTemplate('mock-declared-status', [
  'paths:',
  '  /pattern-undeclared:',
  `    get: { ${ok}, ${mock(201, "default: { statusCode: '200' }, '201': { statusCode: '201' }")} }`,
  '  /default-undeclared:',
  `    get: { ${ok}, ${mock(200, "default: { statusCode: '204' }")} }`,
  '  /declared:',
  `    get: { ${ok}, ${mock(201, "default: { statusCode: '204' }, '201': { statusCode: '200', responseTemplates: { application/json: '{\"picked\": 201}' } }")} }`,
  '  /declares-nothing:',
  `    get: { ${mock(200, "default: { statusCode: '200', responseTemplates: { application/json: '{}' } }")} }`,
]);
const h = await harness('Api', {}, file);

describe('R2.6 a mock integration response whose status the method does not declare', () => {
  it.each([
    { given: 'a "201" pattern selecting statusCode 201', path: '/prod/pattern-undeclared' },
    { given: 'the default response with statusCode 204', path: '/prod/default-undeclared' },
  ])('R2.6 $given, where only 200 is declared, is 500 Internal server error', async ({ path }) => {
    const got = await h.send({ path });

    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });

  it('R2.6 neighbour: the selected response names the declared 200, which is answered', async () => {
    const got = await h.send({ path: '/prod/declared' });

    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ picked: 201 });
  });

  it('a method declaring no responses at all still answers as configured (kept for existing hand-written mocks)', async () => {
    const got = await h.send({ path: '/prod/declares-nothing' });

    expect(got.status).toBe(200);
    expect(got.text).toBe('{}');
  });
});
