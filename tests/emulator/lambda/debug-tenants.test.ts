/**
 * `--debug-port` on a tenant-isolated function (TenancyConfig PER_TENANT): each tenant has environments of its own,
 * but one inspector port serves one process, so a second tenant's environment starts once the first tenant's has
 * ended, and waits for the debugger as the first did. Had it started beside the other, its inspector could not bind
 * the port: it would run at once, with no debugger and no time limit.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachAndRun, debuggedService, freePort, inspectorUrl } from './support/inspector.js';

const PORT = await freePort();
const root = join(tmpdir(), `debug-tenants-test-${process.pid}`);

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Isolated:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: tenant.handler, Runtime: nodejs20.x, TenancyConfig: { TenantIsolationMode: PER_TENANT } }
`;

const { service, logFile } = debuggedService(root, { 'template.yaml': TEMPLATE, 'src/tenant.js': 'exports.handler = async (_e, context) => context.tenantId;\n' }, { functionLogicalId: 'Isolated', port: PORT });

describe('a tenant-isolated function under the debugger', () => {
  it("starts a second tenant's environment paused under the inspector, once the first tenant's has ended", async () => {
    // Prepare: tenant a's environment, attached and run.
    closeSync(openSync(logFile, 'a'));
    const first = service.invoke('Isolated', {}, { tenantId: 'a' });
    const socket = await attachAndRun(await inspectorUrl(logFile, 1));
    expect(await first).toMatchObject({ kind: 'ok', payload: 'a' });

    // Act: tenant b's invocation.
    const second = service.invoke('Isolated', {}, { tenantId: 'b' });
    const seen = await Promise.race([second.then(() => 'ran without a debugger'), inspectorUrl(logFile, 2).then(() => 'paused for a debugger')]);

    // Assess: it waited for the debugger, on the port, and runs once attached.
    expect(seen).toBe('paused for a debugger');
    expect(readFileSync(logFile, 'utf8')).not.toMatch(/address already in use/);
    const again = await attachAndRun(await inspectorUrl(logFile, 2));
    expect(await second).toMatchObject({ kind: 'ok', payload: 'b' });
    socket.close();
    again.close();
  }, 30_000);

  it('a tenant waiting for its turn when the service closes starts no environment (closing stays last: it closes the suite\'s service)', async () => {
    // Prepare: tenant c paused for a debugger that never comes, tenant d waiting for its turn.
    const paused = service.invoke('Isolated', {}, { tenantId: 'c' });
    await inspectorUrl(logFile, 3);
    const waiting = service.invoke('Isolated', {}, { tenantId: 'd' });

    // Act: the gateway stops (Ctrl-C).
    await service.close();
    const seen = await Promise.race([waiting.then(() => 'ran', () => 'refused'), inspectorUrl(logFile, 4).then(() => 'started after the close')]);

    // Assess
    expect(seen).toBe('refused');
    expect(await paused).toMatchObject({ kind: 'function-error' });
  }, 30_000);
});
