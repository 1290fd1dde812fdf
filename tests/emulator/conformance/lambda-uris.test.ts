/** Conformance: Lambda integration URIs (R1.2) with stage variables (R3.22) and the doubled-slash path form. */
import { describe, expect, it } from 'vitest';
import { checkIntegrationUris, loadTemplate } from '../../../emulator/template/load.js';
import { FIDELITY_TEMPLATE, echoed, harness } from './harness.js';

const h = await harness('FidelityApi', {}, FIDELITY_TEMPLATE);

describe('R1.2 Lambda URIs', () => {
  it.each(['/v1/uri/stage-variable', '/v1/uri/doubled-slash'])('GET %s invokes the function', async (path) => {
    const event = echoed(await h.send({ path }));
    expect(event.requestContext.stage).toBe('v1');
    expect(h.entries.at(-1)?.functionLogicalId).toBe('ReplyFunction');
  });

  it('a stage variable the stage does not define → 500 Internal server error, logged with its name', async () => {
    const got = await h.send({ path: '/v1/uri/undefined-stage-variable' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(h.logs.at(-1)).toContain('nope');
  });

  it('the startup check accepts both forms and names the function a stage variable resolves to', async () => {
    const template = await loadTemplate(FIDELITY_TEMPLATE);
    expect(checkIntegrationUris(template)).toEqual([]);
    const route = h.gateway.routes.find((r) => r.path === '/uri/stage-variable');
    expect(route).toMatchObject({ emulated: true, functionLogicalId: 'ReplyFunction' });
    expect(h.gateway.routes.find((r) => r.path === '/uri/doubled-slash')).toMatchObject({ emulated: true, functionLogicalId: 'ReplyFunction' });
  });

  it.each([
    { given: 'a function the template lacks (another stack`s: its route is reported, not refused)', fn: 'no-such-function', want: '' },
    { given: 'no function name an ARN can hold', fn: 'no/such', want: 'function:no/such/invocations names no AWS::Serverless::Function or AWS::Lambda::Function' },
  ])('neighbour: a stage variable naming $given', async ({ fn, want }) => {
    const template = await loadTemplate(FIDELITY_TEMPLATE);
    const api = template.apis[0]!;
    const errors = checkIntegrationUris({ ...template, apis: [{ ...api, stageVariables: { fn } }] });
    if (want) expect(errors.map((e) => e.message).join('\n')).toContain(want);
    else expect(errors).toEqual([]);
  });
});
