/** A throwaway SAM project on disk (outside the repository) and the Lambda service over its template.yaml. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalLambdaService } from '../../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../../emulator/template/load.js';

export async function serviceForProject(root: string, files: Record<string, string>): Promise<LocalLambdaService> {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return new LocalLambdaService(await loadTemplate(join(root, 'template.yaml')), { buildDir: join(root, '.build'), maxConcurrencyPerFunction: 1 });
}
