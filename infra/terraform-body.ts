/**
 * The API definitions → the bodies Terraform deploys, `templatefile` templates (I12.4–I12.6):
 * openapi/api.yaml → infra/terraform/openapi.gen.json.tftpl (the REST API), and the HTTP API variant's
 * openapi/http-api.gen.json → infra/terraform/http-api.gen.json.tftpl. Each intrinsic of the document
 * becomes a plain string in which every reference is a template variable (`${ListTasksFunction_Arn}`),
 * and every other `${` or `%{` is escaped (`$${`, `%%{`) so that Terraform renders it literally.
 */
import { resolve } from 'node:path';
import { readContract, referencesOf, REPO_ROOT, substitute, type Json } from './contract.js';

export const TERRAFORM_BODY_PATH = resolve(REPO_ROOT, 'infra/terraform/openapi.gen.json.tftpl');
export const TERRAFORM_HTTP_API_BODY_PATH = resolve(REPO_ROOT, 'infra/terraform/http-api.gen.json.tftpl');

/** The template variable that stands for a contract reference: `ListTasksFunction.Arn` → `ListTasksFunction_Arn`. */
export function templateVariable(ref: string): string {
  return ref.replace('::', '_').replace('.', '_');
}

// A placeholder no JSON string escape touches and the contract never contains.
const MARK = '\u2063tf:';
const END = '\u2063';

/** The Terraform template for `contract`, and the variables it needs (sorted). */
export function renderTerraformBody(contract: Json = readContract()): { template: string; variables: string[] } {
  const text = JSON.stringify(contract);
  if (text.includes(MARK) || text.includes(END)) throw new Error(`the contract contains the reserved character U+2063`);
  const marked = substitute(contract, (parts) => parts.map((p) => ('text' in p ? p.text : `${MARK}${templateVariable(p.ref)}${END}`)).join(''));
  const template = `${JSON.stringify(marked, null, 2)}\n`
    // Function replacers: in a replacement string "$$" would mean a single "$".
    .replaceAll('${', () => '$${')
    .replaceAll('%{', () => '%%{')
    .replace(new RegExp(`${MARK}([A-Za-z0-9_]+)${END}`, 'g'), (_, name: string) => `\${${name}}`);
  return { template, variables: referencesOf(contract).map(templateVariable).sort() };
}
