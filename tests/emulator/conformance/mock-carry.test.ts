/** Conformance: a mock's request template shares $context and its VTL variables with the response template (R2.12, R4.1). */
import { describe, expect, it } from 'vitest';
import { FIDELITY_TEMPLATE, harness } from './harness.js';

const h = await harness('FidelityApi', {}, FIDELITY_TEMPLATE);

describe('R2.12 / R4.1 what a mock request template sets carries into the response', () => {
  it('variables and $context.requestOverride set in the request template are seen by the response template', async () => {
    const got = await h.send({ path: '/v1/mock/carry' });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ greeting: 'hello', req: 'req-value' });
    expect(got.headers.get('x-from-request')).toBeNull();
  });

  it('$context.responseOverride status and header set in the request template shape the response', async () => {
    const got = await h.send({ path: '/v1/mock/carry?override=yes' });
    expect(got.status).toBe(201);
    expect(got.wire.find(([n]) => n === 'X-From-Request')?.[1]).toBe('set-in-request');
    expect(got.json()).toEqual({ greeting: 'hello', req: 'req-value' });
  });

  it('the status override holds without a response template too', async () => {
    const got = await h.send({ path: '/v1/mock/carry-no-template' });
    expect(got.status).toBe(202);
    expect(got.text).toBe('');
  });

  it('neighbour: nothing carries from one request to the next', async () => {
    await h.send({ path: '/v1/mock/carry?override=yes' });
    const got = await h.send({ path: '/v1/mock/carry' });
    expect(got.status).toBe(200);
    expect(got.headers.get('x-from-request')).toBeNull();
  });
});
