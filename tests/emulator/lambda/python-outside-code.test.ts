/**
 * A Python function that imports a module from outside its CodeUri folder (its own sys.path entry to ../shared): the
 * zip Lambda runs holds that folder alone, so there the import fails; here it resolves, and the terminal says so once.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'python-outside-'));
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());

/** files under `dir`, path -> text */
function write(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

// The shape of AaronMMC/LiftLink backend: CodeUri src/handlers/instructors/, its modules reaching src/handlers/shared.
write({
  'template.yaml': [
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    '  Function: { Runtime: python3.12, Handler: app.handler }',
    'Resources:',
    '  ReachingFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: handlers/items/ } }',
    '  OwnFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: handlers/own/ } }',
  ].join('\n'),
  'handlers/items/app.py': 'import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))\nfrom shared.db import NAME\n\ndef handler(event, context):\n    return NAME\n',
  'handlers/shared/db.py': 'NAME = "from shared"\n',
  'handlers/own/app.py': 'import json\nfrom helpers import NAME\n\ndef handler(event, context):\n    return json.dumps(NAME)\n',
  'handlers/own/helpers/__init__.py': 'NAME = "own"\n',
});

describe('Python modules from outside the code folder', () => {
  const notices: string[] = [];
  let service: LocalLambdaService;

  beforeAll(async () => {
    service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), { buildDir: BUILD_DIR, notice: (line) => notices.push(line) });
    await service.prepare();
  });
  afterAll(async () => {
    await service.close();
    rmSync(BUILD_DIR, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('are named once per function, with the import Lambda would refuse; modules inside the folder and the interpreter`s are not', async () => {
    const first = await service.invoke('ReachingFunction', {});
    const own = await service.invoke('OwnFunction', {});
    await service.invoke('ReachingFunction', {}, { requestId: 'second' });

    expect([first.kind, own.kind]).toEqual(['ok', 'ok']);
    expect(notices).toEqual([
      `ReachingFunction: imports shared (${relative(process.cwd(), join(dir, 'handlers/shared/db.py'))}) from outside its code folder ${relative(process.cwd(), join(dir, 'handlers/items'))}: sam build packages only that folder, so on Lambda this import fails (Runtime.ImportModuleError: No module named 'shared'), where here it resolves from the source tree; put it in the code folder or a layer`,
    ]);
  });
});
