/**
 * `npm run sam:local-template`: a variant of template.yaml that `sam local start-api` accepts, written to
 * template.sam-local.yaml (gitignored). The SAM CLI does not follow an AWS::Include'd DefinitionBody, and its
 * OpenAPI reader accepts at most one security requirement naming one scheme on a Lambda-proxy method, so the
 * contract is inlined and each "authorizer and API key" requirement keeps only its authorizer. Resources whose
 * condition is false with the parameters' defaults (the HTTP API variant, ApiType=HTTP) are left out, so that
 * the SAM CLI, which serves every API it finds, serves the routes of the API a default deploy has. template.yaml
 * stays the one that is deployed; this file is for the SAM CLI only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, parseDocument, type Document } from 'yaml';
import { parseCfnYaml } from '../emulator/template/cfn-yaml.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SamLocalRoute {
  method: string;
  path: string;
  /** Why the SAM CLI does not serve it as API Gateway would (it is served by `npm start`). */
  samServes: boolean;
  note: string;
}

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

function schemes(doc: Json): Json {
  const components = isRecord(doc.components) ? doc.components : {};
  return isRecord(components.securitySchemes) ? components.securitySchemes : isRecord(doc.securityDefinitions) ? doc.securityDefinitions : {};
}

/**
 * The contract as the SAM CLI can read it: on every aws_proxy method, security becomes one requirement
 * naming one scheme (the authorizer, else the first scheme); every route is listed with what SAM does with it.
 */
export function samLocalDocument(contract: Json): { document: Json; routes: SamLocalRoute[] } {
  const document = structuredClone(contract);
  const all = schemes(document);
  const isLambdaAuthorizer = (name: string): boolean => {
    const authorizer = isRecord(all[name]) ? (all[name] as Json)['x-amazon-apigateway-authorizer'] : undefined;
    return isRecord(authorizer) && ['token', 'request'].includes(String(authorizer.type).toLowerCase());
  };
  const isAuthorizer = (name: string): boolean => isRecord(all[name]) && (all[name] as Json)['x-amazon-apigateway-authorizer'] !== undefined;
  const routes: SamLocalRoute[] = [];
  delete document.security; // API Gateway ignores root security (R6.2); SAM would read it as a default authorizer.
  for (const [path, item] of Object.entries(isRecord(document.paths) ? document.paths : {})) {
    if (!isRecord(item)) continue;
    for (const verb of VERBS) {
      const op = item[verb];
      if (!isRecord(op)) continue;
      const method = verb === 'x-amazon-apigateway-any-method' ? 'ANY' : verb.toUpperCase();
      const integration = isRecord(op['x-amazon-apigateway-integration']) ? op['x-amazon-apigateway-integration'] : {};
      const type = String(integration.type ?? 'none').toLowerCase();
      if (type !== 'aws_proxy') {
        routes.push({ method, path, samServes: false, note: `${type} integration: sam local serves Lambda proxy integrations only` });
        continue;
      }
      const names = (Array.isArray(op.security) ? op.security : []).flatMap((r: unknown) => (isRecord(r) ? Object.keys(r) : []));
      const kept = names.find(isAuthorizer) ?? names[0];
      if (kept !== undefined) op.security = [{ [kept]: [] }];
      const dropped = names.filter((n) => n !== kept);
      const notes = [
        kept !== undefined && !isLambdaAuthorizer(kept) ? `${kept} is not checked by sam local (requests reach the function unauthenticated)` : undefined,
        kept !== undefined && isLambdaAuthorizer(kept) ? `Lambda authorizer ${kept} runs in sam local` : undefined,
        dropped.length > 0 ? `not checked: ${dropped.join(', ')}` : undefined,
      ].filter((n): n is string => n !== undefined);
      routes.push({ method, path, samServes: true, note: notes.join('; ') || 'no authorization' });
    }
  }
  return { document, routes };
}

/**
 * The conditions of the form `Fn::Equals [Ref Parameter, value]` that are false with every parameter at its
 * default; other conditions are not evaluated (their resources are kept, as before).
 */
export function falseByDefault(template: Json): Set<string> {
  const parameters = isRecord(template.Parameters) ? template.Parameters : {};
  const out = new Set<string>();
  for (const [name, condition] of Object.entries(isRecord(template.Conditions) ? template.Conditions : {})) {
    const equals = isRecord(condition) ? condition['Fn::Equals'] : undefined;
    if (!Array.isArray(equals) || equals.length !== 2) continue;
    const [ref, value] = equals as [unknown, unknown];
    const parameter = isRecord(ref) && typeof ref.Ref === 'string' ? parameters[ref.Ref] : undefined;
    if (isRecord(parameter) && parameter.Default !== undefined && typeof value === 'string' && String(parameter.Default) !== value) out.add(name);
  }
  return out;
}

/** template.yaml with each AWS::Include'd DefinitionBody replaced by the SAM-readable document (short tags kept). */
export function samLocalTemplate(templateFile: string): { text: string; routes: SamLocalRoute[] } {
  const text = readFileSync(templateFile, 'utf8');
  const doc: Document = parseDocument(text, { version: '1.2' });
  const resources = doc.get('Resources');
  const routes: SamLocalRoute[] = [];
  if (!isMap(resources)) throw new Error(`${templateFile}: no Resources`);
  const raw = parseCfnYaml(text, templateFile) as Json;
  const off = falseByDefault(raw);
  for (const [id, resource] of Object.entries(isRecord(raw.Resources) ? raw.Resources : {})) {
    if (isRecord(resource) && typeof resource.Condition === 'string' && off.has(resource.Condition)) resources.delete(id);
  }
  for (const pair of resources.items) {
    const id = String((pair.key as { value?: unknown }).value ?? pair.key);
    const body = doc.getIn(['Resources', id, 'Properties', 'DefinitionBody'], true);
    const location = isMap(body) ? doc.getIn(['Resources', id, 'Properties', 'DefinitionBody', 'Fn::Transform', 'Parameters', 'Location']) : undefined;
    if (typeof location !== 'string') continue;
    const file = resolve(dirname(templateFile), location);
    const contract = parseCfnYaml(readFileSync(file, 'utf8'), file, { shortTags: false }) as Json;
    const local = samLocalDocument(contract);
    doc.setIn(['Resources', id, 'Properties', 'DefinitionBody'], doc.createNode(local.document));
    routes.push(...local.routes);
  }
  const header = '# Generated by `npm run sam:local-template` from template.yaml for `sam local start-api` only; do not deploy or edit.\n';
  return { text: header + doc.toString({ lineWidth: 0 }), routes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = resolve('template.sam-local.yaml');
  const { text, routes } = samLocalTemplate(resolve('template.yaml'));
  writeFileSync(out, text);
  console.log(`wrote ${out}\n  sam build -t template.sam-local.yaml && sam local start-api -t .aws-sam/build/template.yaml\n`);
  for (const r of routes) console.log(`  ${r.samServes ? 'sam local   ' : 'npm start only'} ${r.method.padEnd(7)} ${r.path.padEnd(34)} ${r.note}`);
}
