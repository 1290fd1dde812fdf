/**
 * The Terraform bodies: derived from openapi/api.yaml (REST) and openapi/http-api.gen.json (the HTTP API
 * variant) by infra/terraform-body.ts, rendered as templatefile renders them (I12.4–I12.6).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContract, substitute, type Json } from '../../../infra/contract.js';
import { HTTP_API_DEFINITION_PATH } from '../../../infra/http-api-definition.js';
import { renderTerraformBody, templateVariable, TERRAFORM_BODY_PATH, TERRAFORM_HTTP_API_BODY_PATH } from '../../../infra/terraform-body.js';
import { terraformBinary } from '../support/terraform.js';

/** Terraform's templatefile for this template: `${name}` from vars, `$${` and `%%{` literal; anything else is an error. */
function renderLikeTemplatefile(template: string, vars: Record<string, string>): string {
  return template.replace(/(\$\$\{|%%\{|\$\{([^}]*)\}|%\{)/g, (whole, _all, name?: string) => {
    if (whole === '$${') return '${';
    if (whole === '%%{') return '%{';
    if (whole === '%{') throw new Error('template directive %{ in the body');
    if (name === undefined || !(name in vars)) throw new Error(`templatefile: no variable "${name}"`);
    return vars[name] as string;
  });
}

/** [template, the document it is generated from, its path, the document, a reference it must carry]. */
const BODIES: [string, string, string, () => Json, string][] = [
  ['openapi.gen.json.tftpl', 'the contract (openapi/api.yaml)', TERRAFORM_BODY_PATH, () => readContract(), 'ListTasksFunction_Arn'],
  ['http-api.gen.json.tftpl', 'the HTTP API definition (openapi/http-api.gen.json)', TERRAFORM_HTTP_API_BODY_PATH, () => JSON.parse(readFileSync(HTTP_API_DEFINITION_PATH, 'utf8')) as Json, 'UserPoolClient'],
];

/** Each variable's value stands for the reference it replaces, so the rendered body reads like its document. */
const symbolicFor = (variables: string[]): Record<string, string> =>
  Object.fromEntries(variables.map((v) => [v, `\${${v.replace(/^AWS_/, 'AWS::').replace(/_Arn$/, '.Arn')}}`]));
const withRefs = (doc: Json): Json => substitute(doc, (parts) => parts.map((p) => ('text' in p ? p.text : `\${${p.ref}}`)).join(''));

describe.each(BODIES)('I12.5 %s is generated from %s', (_file, _from, path, document, reference) => {
  const { template, variables } = renderTerraformBody(document());
  const symbolic = symbolicFor(variables);

  it('the committed file is what `npm run generate` writes now (not a hand copy, not stale)', () => {
    expect(readFileSync(path, 'utf8')).toBe(template);
  });

  it('rendered with each reference as its value, it is the document reference for reference', () => {
    expect(JSON.parse(renderLikeTemplatefile(template, symbolic))).toEqual(withRefs(document()));
  });

  it('uses exactly the template variables it declares, one per reference of the document', () => {
    const used = [...new Set([...template.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]))].sort();
    expect(used).toEqual(variables);
    expect(variables).toContain(reference);
    expect(templateVariable('AWS::Partition')).toBe('AWS_Partition');
  });

  it('I8.2 rendered, it holds no "${": every reference is filled by Terraform, none is left to the API Gateway importer', () => {
    // Act
    const rendered = renderLikeTemplatefile(template, Object.fromEntries(variables.map((v) => [v, `<${v}>`])));
    // Assess
    expect(rendered.match(/\$\{[^}]*\}/g)).toBeNull();
    expect(template).not.toContain('$${');
  });

  it('a template that names a variable Terraform is not given fails to render (the neighbour of the case above)', () => {
    const { [reference]: _omitted, ...without } = symbolic;
    expect(() => renderLikeTemplatefile(template, without)).toThrow(`no variable "${reference}"`);
  });
});

describe('I12.4 escaping', () => {
  it('I12.4: a literal "${" or "%{" in the document is escaped, so templatefile keeps it', () => {
    const doc = { a: 'VTL ${stageVariables.x} and %{ if }', b: { 'Fn::Sub': "'${AllowedOrigin}' ${!Literal}" } } as Json;
    const rendered = renderTerraformBody(doc);
    expect(rendered.variables).toEqual(['AllowedOrigin']);
    expect(JSON.parse(renderLikeTemplatefile(rendered.template, { AllowedOrigin: 'https://a.example' }))).toEqual({
      a: 'VTL ${stageVariables.x} and %{ if }',
      b: "'https://a.example' ${Literal}",
    });
  });

});

const terraform = terraformBinary();
describe.each(BODIES)(`templatefile of %s by the terraform binary (${terraform ?? 'terraform is not on this machine: checked by the emulation above only'})`, (_file, _from, path, document) => {
  it('renders the body exactly as the emulation does, offline (terraform console needs no provider)', () => {
    const { template, variables } = renderTerraformBody(document());
    const symbolic = symbolicFor(variables);
    if (!terraform) {
      // Stated, not hidden: without the binary this check cannot run here (see README, "Terraform").
      expect(terraformBinary()).toBeUndefined();
      return;
    }
    const vars = Object.entries(symbolic).map(([k, v]) => `${k} = ${JSON.stringify(v).replaceAll('${', () => '$${')}`).join(', ');
    const expression = `base64encode(templatefile(${JSON.stringify(path)}, { ${vars} }))`;
    const out = execFileSync(terraform, ['console'], { input: expression, cwd: mkdtempSync(join(tmpdir(), 'tf-console-')), encoding: 'utf8' });
    const rendered = Buffer.from(JSON.parse(out.trim()) as string, 'base64').toString('utf8');
    expect(rendered).toBe(renderLikeTemplatefile(template, symbolic));
  });
});
