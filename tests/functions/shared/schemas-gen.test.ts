import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parameters, schemas } from '../../../openapi/schemas.gen.js';
import { renderSchemasModule } from '../../../scripts/generate-schemas.js';
import { API_PATH } from '../../support/contract.js';

describe('openapi/schemas.gen.ts', () => {
  const text = readFileSync(API_PATH, 'utf8');
  const doc = parse(text) as { components: { schemas: unknown; parameters: unknown } };

  it('is up to date with the contract (run `npm run generate` if not)', () => {
    expect(schemas).toEqual(doc.components.schemas);
    expect(parameters).toEqual(doc.components.parameters);
  });

  it('the generator keeps refs as #/components/schemas/X and fails clearly without components', () => {
    expect(renderSchemasModule(text, 'api.yaml')).toContain('"$ref": "#/components/schemas/Title"');
    expect(() => renderSchemasModule('openapi: 3.0.3\n', 'x.yaml')).toThrow(/x\.yaml: components\.schemas is missing/);
  });
});
