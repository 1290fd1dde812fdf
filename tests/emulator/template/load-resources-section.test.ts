/**
 * A template's Resources section that is there but is no map of logical ids (emulator/template/load.ts): the refusal
 * names what the section is, where it said the section was missing. Found in datsukan/attendance-plan's
 * backend/template.yml, whose Resources is a list of `$resources:` includes for a preprocessor, as CloudFormation never
 * reads them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

function templateFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'resources-section-')), 'template.yaml');
  writeFileSync(file, text);
  return file;
}

describe('the Resources section', () => {
  it.each([
    { given: 'missing', section: '', want: 'Resources: is required' },
    { given: 'a list of includes', section: 'Resources:\n  - $resources: sam/api.yml\n', want: 'Resources: must be a map of logical ids to resources, got a list' },
    { given: 'a string', section: 'Resources: none\n', want: 'Resources: must be a map of logical ids to resources, got a string' },
  ])('$given: refused, saying so', async ({ section, want }) => {
    const file = templateFile(`Transform: AWS::Serverless-2016-10-31\n${section}`);

    const loading = loadTemplate(file);

    await expect(loading).rejects.toThrow(want);
  });
});
