/** Writes infra/terraform/openapi.gen.json.tftpl from openapi/api.yaml (part of `npm run generate`). */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { renderTerraformBody, TERRAFORM_BODY_PATH } from '../infra/terraform-body.js';

const { template, variables } = renderTerraformBody();
writeFileSync(TERRAFORM_BODY_PATH, template);
console.log(`wrote ${relative(process.cwd(), TERRAFORM_BODY_PATH)} (template variables: ${variables.join(', ')})`);
