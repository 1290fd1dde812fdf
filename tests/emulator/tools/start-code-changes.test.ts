/**
 * start-api / start-lambda and a developer editing a function while they run: the next request runs the code on disk,
 * as `sam local` does, except with `--warm-containers` and `--no-watch` (emulator/lambda/code-changes.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/app.js';
import { watchesCode } from '../../../emulator/tools/start-api.js';

const dir = mkdtempSync(join(tmpdir(), 'start-code-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FUNCTION_TEMPLATE = 'Resources:\n  Hello:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: hello/}\n';

/**
 * A template with one plain Node.js function run from its folder (the `sam init` hello-world shape), or, `nested`,
 * a root template whose nested stack `Child` (an AWS::Serverless::Application) holds it.
 */
function project(name: string, nested = false): { template: string; handler: string } {
  const root = join(dir, name);
  const stack = nested ? join(root, 'child') : root;
  mkdirSync(join(stack, 'hello'), { recursive: true });
  writeFileSync(join(stack, 'template.yaml'), FUNCTION_TEMPLATE);
  if (nested) writeFileSync(join(root, 'template.yaml'), 'Resources:\n  Child:\n    Type: AWS::Serverless::Application\n    Properties: {Location: child/template.yaml}\n');
  const handler = join(stack, 'hello', 'app.mjs');
  writeFileSync(handler, 'export const handler = async () => "v1";\n');
  return { template: join(root, 'template.yaml'), handler };
}

/** Two Invoke API requests with an edit of the handler between them (no wait: the save comes before the request). */
async function editBetweenTwoRequests(options: { warmContainers?: 'LAZY'; codeWatch?: boolean }, name: string, nested = false) {
  const { template, handler } = project(name, nested);
  const reloads: string[] = [];
  const emulator = await startEmulator({ templatePath: template, port: 0, serve: 'lambda', localDir: join(dir, name, '.local'), log: () => undefined, onRequest: () => undefined, onReload: (id, files) => reloads.push(`${id} ${files?.length}`), ...options });
  const call = async () => (await fetch(`${emulator.lambdaUrl}/2015-03-31/functions/${nested ? 'Child%2FHello' : 'Hello'}/invocations`, { method: 'POST', body: '{}' })).json();
  try {
    const before = await call();
    writeFileSync(handler, 'export const handler = async () => "v2";\n');
    const after = await call();
    return { before, after, reloads };
  } finally {
    await emulator.close();
  }
}

describe('an edited function between two Invoke API requests', () => {
  it('without --warm-containers (the default): the second request runs the new code', async () => {
    const { before, after, reloads } = await editBetweenTwoRequests({}, 'default');

    expect([before, after]).toEqual(['v1', 'v2']);
    expect(reloads).toEqual(['Hello 1']);
  });

  it("a nested stack's function: the second request runs the new code", async () => {
    const { before, after } = await editBetweenTwoRequests({}, 'nested', true);

    expect([before, after]).toEqual(['v1', 'v2']);
  });

  it('--warm-containers LAZY --no-watch: the warm environment keeps the code it loaded, as in the SAM CLI', async () => {
    const { before, after, reloads } = await editBetweenTwoRequests({ warmContainers: 'LAZY', codeWatch: watchesCode(true, 'LAZY') }, 'no-watch');

    expect([before, after]).toEqual(['v1', 'v1']);
    expect(reloads).toEqual([]);
  });
});

describe('watchesCode (the CLI`s --no-watch and --warm-containers)', () => {
  it.each([
    { noWatch: false, warm: undefined, want: true },
    { noWatch: true, warm: undefined, want: true },
    { noWatch: false, warm: 'EAGER' as const, want: true },
    { noWatch: true, warm: 'LAZY' as const, want: false },
    { noWatch: true, warm: 'EAGER' as const, want: false },
  ])('--no-watch $noWatch, --warm-containers $warm: $want', ({ noWatch, warm, want }) => {
    expect(watchesCode(noWatch, warm)).toBe(want);
  });
});
