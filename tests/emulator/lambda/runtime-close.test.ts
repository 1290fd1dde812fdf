/**
 * LocalLambdaService after close() (the gateway shutting down while a request, a schedule or a queue poll still
 * calls in): an invocation is refused as a closed pool refuses it ("the function pool is closed") and starts no
 * environment: not for a tenant the function has not served yet, not for a function never invoked, not for one whose
 * build was under way when the service closed; and nothing is built after the close (its builder is disposed).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'runtime-close-'));
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(BUILD_DIR, { recursive: true, force: true });
});

const inline = (id: string, extra = '') => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      InlineCode: 'exports.handler = async (event, context) => ({ tenant: context.tenantId ?? null })'
${extra}`;
writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${inline('Isolated', '      TenancyConfig: {TenantIsolationMode: PER_TENANT}\n')}${inline('Plain')}${inline('Other')}`);

describe('an invocation after close()', () => {
  let service: LocalLambdaService;
  beforeEach(async () => {
    service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), { buildDir: BUILD_DIR });
  });

  it.each([
    { given: 'a tenant the function has not served yet', id: 'Isolated', tenantId: 'green' },
    { given: 'the tenant it served before the close', id: 'Isolated', tenantId: 'blue' },
    { given: 'the function it served before the close', id: 'Plain', tenantId: undefined },
    { given: 'a function never invoked', id: 'Other', tenantId: undefined },
  ])('for $given is refused and starts no environment', async ({ id, tenantId }) => {
    // Prepare
    await service.invoke('Isolated', {}, { tenantId: 'blue' });
    await service.invoke('Plain', {});
    await service.close();

    // Act
    const after = service.invoke(id, {}, tenantId === undefined ? {} : { tenantId });

    // Assess
    await expect(after).rejects.toThrow('the function pool is closed');
    expect(['Isolated', 'Plain', 'Other'].map((f) => service.environmentCount(f))).toEqual([0, 0, 0]);
  });

  it('under way when the service closes (its code still building) is refused and starts no environment', async () => {
    // Act
    const during = service.invoke('Other', {});
    await service.close();

    // Assess
    await expect(during).rejects.toThrow('the function pool is closed');
    expect(service.environmentCount('Other')).toBe(0);
  });
});

describe('a function to build, invoked after close()', () => {
  it('is not built: its build folder stays empty (an esbuild context made now would outlive the service)', async () => {
    // Prepare
    const app = join(dir, 'built');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'src', 'app.ts'), 'export const handler = async () => 1;\n');
    writeFileSync(join(app, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n  Built:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs22.x, CodeUri: src/, Handler: app.handler}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [app.ts]}}\n`);
    const buildDir = join(BUILD_DIR, 'built');
    const service = new LocalLambdaService(await loadTemplate(join(app, 'template.yaml')), { buildDir });
    await service.close();

    // Act
    const after = service.invoke('Built', {});

    // Assess
    await expect(after).rejects.toThrow('the function pool is closed');
    expect(existsSync(buildDir) ? readdirSync(buildDir, { recursive: true }) : []).toEqual([]);
  });
});
