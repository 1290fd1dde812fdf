/** Templates written for the function tests (functions.test.ts, function-code.test.ts). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A template.yaml written with `files` beside it (paths relative to its folder) in a new temporary folder; its path. */
export function template(text: string, files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fn-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const file = join(dir, 'template.yaml');
  writeFileSync(file, text);
  return file;
}

/** An AWS::Lambda::Function resource `id` (index.handler, nodejs20.x) with `props` added, as template text. */
export const lambda = (id: string, props: string, metadata = '') => `  ${id}:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: index.handler, Runtime: nodejs20.x, Role: arn:aws:iam::123456789012:role/r, ${props}}\n${metadata}`;
