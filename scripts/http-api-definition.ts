/** Writes openapi/http-api.gen.json, the HTTP API variant's definition, from openapi/api.yaml (part of `npm run generate`). */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { HTTP_API_DEFINITION_PATH, httpApiDefinition } from '../infra/http-api-definition.js';

// JSON, not YAML: no YAML 1.1 reader (cfn-lint, CloudFormation's AWS::Include) can take a date-like example for a timestamp.
writeFileSync(HTTP_API_DEFINITION_PATH, `${JSON.stringify(httpApiDefinition(), null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), HTTP_API_DEFINITION_PATH)}`);
