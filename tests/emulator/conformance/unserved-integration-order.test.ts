/** Conformance: an integration the emulator does not serve is reached where AWS reaches it, after validation (R0.1-R0.5). */
import { describe, expect, it } from 'vitest';
import { FIDELITY_TEMPLATE, harness } from './harness.js';

const h = await harness('FidelityApi', {}, FIDELITY_TEMPLATE);
const json: [string, string] = ['Content-Type', 'application/json'];

describe('R0.5 before an unserved AWS service integration (sqs)', () => {
  it.each([
    { label: 'missing required header', headers: [json], body: '{"message":"m"}', want: { message: 'Missing required request parameters: [X-Required]' } },
    { label: 'body violating the model', headers: [json, ['X-Required', 'y'] as [string, string]], body: '{"nope":1}', want: { message: 'Invalid request body' } },
  ])('$label → 400 from validation, not the not-emulated 500', async ({ headers, body, want }) => {
    const got = await h.send({ method: 'POST', path: '/v1/sqs', headers, body });
    expect(got.status).toBe(400);
    expect(got.json()).toEqual(want);
  });

  it('neighbour: a valid request → 500 Internal server error, logged as not emulated', async () => {
    const got = await h.send({ method: 'POST', path: '/v1/sqs', headers: [json, ['X-Required', 'y']], body: '{"message":"m"}' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(h.logs.at(-1)).toMatch(/aws-service sqs is not emulated yet/);
  });

  it('the route is listed at start as not emulated', () => {
    expect(h.gateway.routes.find((r) => r.path === '/sqs')).toMatchObject({ integration: 'aws-service', emulated: false });
  });
});
