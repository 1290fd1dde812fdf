/**
 * Writes the Terraform bodies (part of `npm run generate`, after openapi/http-api.gen.json is written):
 * infra/terraform/openapi.gen.json.tftpl from openapi/api.yaml, and infra/terraform/http-api.gen.json.tftpl
 * from the committed HTTP API definition, so that Terraform's HTTP API is the file SAM's HttpApi includes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readContract, type Json } from '../infra/contract.js';
import { HTTP_API_DEFINITION_PATH } from '../infra/http-api-definition.js';
import { renderTerraformBody, TERRAFORM_BODY_PATH, TERRAFORM_HTTP_API_BODY_PATH } from '../infra/terraform-body.js';

const bodies: [string, Json][] = [
  [TERRAFORM_BODY_PATH, readContract()],
  [TERRAFORM_HTTP_API_BODY_PATH, JSON.parse(readFileSync(HTTP_API_DEFINITION_PATH, 'utf8')) as Json],
];
for (const [path, document] of bodies) {
  const { template, variables } = renderTerraformBody(document);
  writeFileSync(path, template);
  console.log(`wrote ${relative(process.cwd(), path)} (template variables: ${variables.join(', ')})`);
}
