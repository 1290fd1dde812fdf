/** A throwaway SAM project on disk (outside the repository) and the Lambda service over its template.yaml. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { dirname, join } from 'node:path';
import { LocalLambdaService, type LocalLambdaOptions } from '../../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../../emulator/template/load.js';

export async function serviceForProject(root: string, files: Record<string, string>, options: Partial<LocalLambdaOptions> = {}): Promise<LocalLambdaService> {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return new LocalLambdaService(await loadTemplate(join(root, 'template.yaml')), { buildDir: join(root, '.build'), maxConcurrencyPerFunction: 1, ...options });
}

/**
 * The Lambda service over a throwaway project for a whole test file: built before its tests, closed and removed after.
 * The returned object stands for the service once beforeAll has run.
 */
export function serviceForSuite(root: string, files: Record<string, string>, options: Partial<LocalLambdaOptions> = {}): LocalLambdaService {
  let service: LocalLambdaService | undefined;
  beforeAll(async () => {
    service = await serviceForProject(root, files, options);
  });
  afterAll(async () => {
    await service?.close();
    rmSync(root, { recursive: true, force: true });
  });
  return new Proxy({} as LocalLambdaService, {
    get(_target, key) {
      if (!service) throw new Error('serviceForSuite: used before its beforeAll ran');
      const value = Reflect.get(service, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(service) : value;
    },
  });
}
