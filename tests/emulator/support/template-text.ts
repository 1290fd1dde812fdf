/** A template given as text, written to a folder of its own and loaded as the emulator loads one from disk. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';

/** The SAM template `Transform: AWS::Serverless-2016-10-31` + `Resources:` + the resources' YAML (indented two spaces). */
export function loadSamResources(resources: string): Promise<LoadedTemplate> {
  const dir = mkdtempSync(join(tmpdir(), 'template-'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
  return loadTemplate(join(dir, 'template.yaml'));
}

/** A YAML single-quoted scalar holding `s` as it is (templates with quotes and `#` inside). */
export const yamlQuoted = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A SAM template of one `AWS::Serverless::Api` ("Api") whose swagger 2.0 DefinitionBody has the given `paths:` entries (indented ten spaces). */
export function loadSwaggerApi(stage: string, paths: string): Promise<LoadedTemplate> {
  return loadSamResources(`  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: ${stage}
      DefinitionBody:
        swagger: '2.0'
        info: {title: api, version: '1'}
        paths:${paths}
`);
}
