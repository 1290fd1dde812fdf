/**
 * --warm-containers EAGER: a function whose init fails for a package its requirements.txt lists says in the start
 * report what to install, as its first request's notice does (csyager/we-are-so-back: samconfig warm_containers EAGER,
 * flask_lambda not installed).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'warm-hint-'));
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(BUILD_DIR, { recursive: true, force: true });
});

mkdirSync(join(dir, 'api'));
writeFileSync(join(dir, 'api', 'app.py'), 'from flask_lambda_missing_pkg import FlaskLambda\n\napp = FlaskLambda(__name__)\n');
writeFileSync(join(dir, 'api', 'requirements.txt'), 'flask\nflask-lambda-missing-pkg\n');
writeFileSync(join(dir, 'template.yaml'), ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  HandlerFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: api/, Handler: app.app, Runtime: python3.12 } }'].join('\n'));

describe('--warm-containers EAGER init failures', () => {
  it('carry the install hint of the import that failed', async () => {
    const service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), { buildDir: BUILD_DIR });
    try {
      const warmed = await service.warm();

      const requirements = relative(process.cwd(), join(dir, 'api', 'requirements.txt'));
      expect(warmed).toEqual([
        {
          logicalId: 'HandlerFunction',
          error: `Runtime.ImportModuleError: Unable to import module 'app': No module named 'flask_lambda_missing_pkg' (${requirements} lists it: sam build, or pip install -r ${requirements} -t ${relative(process.cwd(), join(dir, '.aws-sam', 'build', 'HandlerFunction'))}, puts it where the function imports from)`,
        },
      ]);
    } finally {
      await service.close();
    }
  });
});
