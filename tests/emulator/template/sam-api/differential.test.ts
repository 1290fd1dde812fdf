/**
 * Differential test against the SAM translator (samtranslator, Python): each fixture is translated by it
 * (scripts/sam_translate.py) and loaded by the emulator; what the emulator serves must be what the
 * translated AWS::ApiGateway::RestApi Body, Lambda permissions and usage-plan resources say (R13.4-R13.8).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, readStack } from '../../../../emulator/template/load.js';
import { expandSamApis } from '../../../../emulator/template/sam-api/expand.js';
import type { Stack } from '../../../../emulator/template/stack.js';
import { samTranslations } from '../support/sam-translator.js';

const FIXTURES = 'tests/emulator/fixtures/sam-shapes';
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Sides {
  /** logical id -> resolved OpenAPI document */
  sam: Record<string, Json>;
  emulator: Record<string, Json>;
  samStack: Stack;
  emulatorStack: Stack;
}

const work = mkdtempSync(join(tmpdir(), 'sam-differential-'));
const sides = new Map<string, Sides>();

/** Every fixture translated by samtranslator, in one Python run. */
function translateAll(): Record<string, unknown> {
  const paths = fixtures.map((name) => join(FIXTURES, `${name}.yaml`));
  const json = execFileSync('python3', ['scripts/sam_translate.py', ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const byPath = JSON.parse(json) as Record<string, unknown>;
  return Object.fromEntries(fixtures.map((name, i) => [name, byPath[paths[i] as string]]));
}

/** The document as API Gateway imports it: a path's trailing slash dropped (`/things/` is the resource `/things`). */
function imported(doc: Json): Json {
  if (!isJson(doc.paths)) return doc;
  return { ...doc, paths: Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path.length > 1 ? path.replace(/\/+$/, '') : path, item])) };
}

/** The translated template, resolved with the emulator's own intrinsics (same region, account, stack name). */
async function translated(name: string, template: unknown): Promise<{ docs: Record<string, Json>; stack: Stack }> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(template));
  const { stack } = await readStack(file);
  const docs: Record<string, Json> = {};
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::ApiGateway::RestApi') docs[id] = imported(stack.resolve(res.Properties.Body, `Resources.${id}.Properties.Body`) as Json);
  }
  return { docs, stack };
}

beforeAll(async () => {
  const all = translateAll();
  for (const name of fixtures) {
    const sam = await translated(name, all[name]);
    const loaded = await loadTemplate(join(FIXTURES, `${name}.yaml`));
    const read = await readStack(join(FIXTURES, `${name}.yaml`));
    expandSamApis(read.stack, read.raw.Globals, { warnings: [], notEmulated: [] });
    sides.set(name, { sam: sam.docs, emulator: Object.fromEntries(loaded.apis.map((a) => [a.logicalId, a.openapi])), samStack: sam.stack, emulatorStack: read.stack });
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

/** Each (path, method) → a projection of its operation. */
function perRoute(doc: Json, project: (op: Json) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(isJson(doc.paths) ? doc.paths : {})) {
    for (const [method, op] of Object.entries(isJson(item) ? item : {})) if (METHODS.includes(method) && isJson(op)) out[`${method} ${path}`] = project(op);
  }
  return out;
}

const schemes = (doc: Json): unknown => (isJson(doc.components) ? doc.components.securitySchemes : undefined) ?? doc.securityDefinitions;
const models = (doc: Json): unknown => (isJson(doc.components) ? doc.components.schemas : undefined) ?? doc.definitions;

const ASPECTS: { aspect: string; project: (doc: Json) => unknown }[] = [
  { aspect: 'routes', project: (doc) => Object.keys(perRoute(doc, () => true)).sort() },
  { aspect: 'integrations (type, function uri, credentials, timeout)', project: (doc) => perRoute(doc, (op) => op['x-amazon-apigateway-integration']) },
  { aspect: 'authorizers (type, identity source, function or pool)', project: schemes },
  { aspect: 'method security (authorizer, scopes, API key required)', project: (doc) => perRoute(doc, (op) => op.security) },
  { aspect: 'CORS OPTIONS methods and headers', project: (doc) => perRoute(doc, (op) => (op['x-amazon-apigateway-integration'] as Json | undefined)?.type === 'mock' ? op : undefined) },
  { aspect: 'gateway responses', project: (doc) => doc['x-amazon-apigateway-gateway-responses'] },
  { aspect: 'models, request parameters and validators', project: (doc) => ({ models: models(doc), validators: doc['x-amazon-apigateway-request-validators'], methods: perRoute(doc, (op) => [op.parameters, op.requestBody, op['x-amazon-apigateway-request-validator']]) }) },
  { aspect: 'binary media types', project: (doc) => doc['x-amazon-apigateway-binary-media-types'] },
  { aspect: 'the whole document', project: (doc) => doc },
];

describe.each(fixtures)('R13.4-R13.8 SAM shape %s: the emulator serves what samtranslator deploys', (name) => {
  it('serves the same REST APIs', () => {
    const { sam, emulator } = sides.get(name) as Sides;

    expect(Object.keys(emulator).sort()).toEqual(Object.keys(sam).sort());
  });

  it.each(ASPECTS)('$aspect', ({ project }) => {
    const { sam, emulator } = sides.get(name) as Sides;

    for (const id of Object.keys(sam)) expect({ id, got: project(emulator[id] ?? {}) }).toEqual({ id, got: project(sam[id] as Json) });
  });

  it.each([
    { kind: 'Lambda permissions (R1.54)', type: 'AWS::Lambda::Permission' },
    { kind: 'usage plans', type: 'AWS::ApiGateway::UsagePlan' },
    { kind: 'API keys', type: 'AWS::ApiGateway::ApiKey' },
    { kind: 'usage plan keys', type: 'AWS::ApiGateway::UsagePlanKey' },
  ])('generates the same $kind', ({ type }) => {
    const { samStack, emulatorStack } = sides.get(name) as Sides;
    const of = (stack: Stack) =>
      Object.fromEntries(Object.entries(stack.resources).filter(([, r]) => r.Type === type).map(([id, r]) => [id, stack.resolve(r.Properties, id)]));

    expect(of(emulatorStack)).toEqual(of(samStack));
  });
});

describe('the fixture set', () => {
  it('has at least 15 SAM shapes', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });
});


const SRC = 'tests/emulator/fixtures/sam-shapes/src';
const FN = `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${join(process.cwd(), SRC)}\n      Handler: app.handler\n      Runtime: nodejs22.x\n      Events:\n        Get:\n          Type: Api\n          Properties: {RestApiId: !Ref Api, Path: /a, Method: get}\n`;
/** A generated API (function event, Cors, an API key required) with the given OpenApiVersion line. */
const generated = (version: string) => `Transform: AWS::Serverless-2016-10-31\nResources:\n${FN}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n${version ? `      OpenApiVersion: ${version}\n` : ''}      Cors: "'*'"\n      Auth:\n        ApiKeyRequired: true\n`;
/** An inline document (openapi 3.0.1 or swagger 2.0) with Cors and an API key required. */
const inline = (version: string, head: string) =>
  `Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: ${version}\n      Cors: "'*'"\n      Auth:\n        ApiKeyRequired: true\n      DefinitionBody:\n        ${head}\n        info: {title: t, version: '1'}\n        paths:\n          /a:\n            get:\n              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}\n`;
/** R10.7: Globals.Api.Cors, the Api's Cors and a document with its own OPTIONS on /own. */
const CORS_MERGE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors: "'https://global.example'"
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Cors: {AllowOrigin: "'https://prop.example'", AllowHeaders: "'X-Prop'"}
      DefinitionBody:
        openapi: 3.0.1
        info: {title: t, version: '1'}
        paths:
          /own:
            get:
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
            options:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: '200', responseParameters: {method.response.header.Access-Control-Allow-Origin: "'https://doc.example'"}}}
              responses: {'200': {headers: {Access-Control-Allow-Origin: {schema: {type: string}}}}}
          /gen:
            get:
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
`;

const SERVED: { rule: 'R13.9' | 'R10.7'; given: string; yaml: string; openapi?: string; swagger?: string; extraStage: boolean }[] = [
  { rule: 'R13.9', given: 'no OpenApiVersion: Swagger 2.0 and SAM\'s extra stage "Stage"', yaml: generated(''), swagger: '2.0', extraStage: true },
  { rule: 'R13.9', given: "OpenApiVersion '3.0.1': OpenAPI 3 (components), no extra stage", yaml: generated("'3.0.1'"), openapi: '3.0.1', extraStage: false },
  { rule: 'R13.9', given: "OpenApiVersion '2.0': Swagger 2.0, no extra stage", yaml: generated("'2.0'"), swagger: '2.0', extraStage: false },
  { rule: 'R13.9', given: 'OpenApiVersion 3.0 unquoted (a YAML number): "3.0"', yaml: generated('3.0'), openapi: '3.0', extraStage: false },
  { rule: 'R13.9', given: "OpenApiVersion '2.0' on an inline openapi 3.0.1 document: nothing converted to components", yaml: inline("'2.0'", 'openapi: 3.0.1'), openapi: '3.0.1', extraStage: false },
  { rule: 'R13.9', given: "OpenApiVersion '3.0.1' on an inline swagger 2.0 document: left Swagger", yaml: inline("'3.0.1'", "swagger: '2.0'"), swagger: '2.0', extraStage: false },
  // SAM reads OpenApiVersion by truthiness: an empty or null one is none (its extra stage made), not a version refused.
  { rule: 'R13.9', given: "OpenApiVersion '': as none, Swagger 2.0 and SAM's extra stage", yaml: generated("''"), swagger: '2.0', extraStage: true },
  { rule: 'R13.9', given: 'OpenApiVersion null: as none, Swagger 2.0 and SAM\'s extra stage', yaml: generated('null'), swagger: '2.0', extraStage: true },
  { rule: 'R13.9', given: "OpenApiVersion '' on an inline openapi 3.0.1 document: nothing converted to components, the extra stage", yaml: inline("''", 'openapi: 3.0.1'), openapi: '3.0.1', extraStage: true },
  { rule: 'R13.9', given: 'OpenApiVersion null on an inline openapi 3.0.1 document: converted as the document says, the extra stage', yaml: inline('null', 'openapi: 3.0.1'), openapi: '3.0.1', extraStage: true },
  { rule: 'R10.7', given: 'Cors in Globals, in the Api and an OPTIONS in the document', yaml: CORS_MERGE, openapi: '3.0.1', extraStage: true },
];
const REFUSED = ["'4.0'", "'3.0.x'", 'latest', "'3'", "'2'"];

describe('R13.9 R10.7 single-rule templates: the emulator serves what samtranslator deploys, and refuses what it refuses', () => {
  const file = (name: string) => join(work, `variant-${name}.yaml`);
  let results: Record<string, { template?: Json; refused?: string }>;
  beforeAll(() => {
    const all = [...SERVED.map((v, i) => [`served-${i}`, v.yaml]), ...REFUSED.map((v, i) => [`refused-${i}`, generated(v)])];
    for (const [name, yaml] of all) writeFileSync(file(name as string), yaml as string);
    const byPath = samTranslations(all.map(([name]) => file(name as string)));
    results = Object.fromEntries(all.map(([name]) => [name, byPath[file(name as string)]!]));
  }, 120_000);

  const served = (rule: string) => SERVED.map((v, i) => ({ ...v, i })).filter((v) => v.rule === rule);

  const servedAsSamDeploys = async ({ i, openapi, swagger, extraStage }: ReturnType<typeof served>[number]) => {
    // Prepare
    const sam = await translated(`variant-${i}`, results[`served-${i}`]!.template);
    const deployments = Object.values(sam.stack.resources).filter((r) => r.Type === 'AWS::ApiGateway::Deployment');

    // Act
    const loaded = await loadTemplate(file(`served-${i}`));

    // Assess: the whole document, its version, and SAM's extra stage "Stage" (served beside the API's own)
    const doc = loaded.apis.find((a) => a.logicalId === 'Api')!.openapi;
    expect(doc).toEqual(sam.docs.Api);
    expect({ openapi: doc.openapi, swagger: doc.swagger }).toEqual({ openapi, swagger });
    expect(deployments.some((d) => d.Properties.StageName === 'Stage')).toBe(extraStage);
    expect(loaded.apis.find((a) => a.logicalId === 'Api')!.extraStages ?? []).toEqual(extraStage ? ['Stage'] : []);
  };

  it.each(served('R13.9'))('R13.9 $given', servedAsSamDeploys);

  it.each(served('R10.7'))('R10.7 $given: merged per path, the document\'s OPTIONS kept', servedAsSamDeploys);

  it.each(REFUSED.map((version, i) => ({ version, i })))('R13.9 OpenApiVersion $version is refused with SAM\'s message', async ({ i }) => {
    // Prepare
    const refused = results[`refused-${i}`]!.refused ?? '';
    const message = refused.replace(/^SAM translator: Resource with id \[Api\] is invalid\. /, '');

    // Act
    const loading = loadTemplate(file(`refused-${i}`));

    // Assess
    expect(message).toBe("The OpenApiVersion value must be of the format '3.0.0'.");
    await expect(loading).rejects.toThrow(`Resources.Api.Properties.OpenApiVersion: ${message}`);
  });
});

/** Each [file, Resources section] written as a SAM template, and the message samtranslator refuses it with ('' if none). */
function samRefusals(cases: [string, string][]): string[] {
  for (const [path, yaml] of cases) writeFileSync(path, `Transform: AWS::Serverless-2016-10-31\nResources:\n${yaml}`);
  const byPath = samTranslations(cases.map(([path]) => path));
  return cases.map(([path]) => byPath[path]?.refused ?? '');
}

describe("a REST Api event's Auth.Authorizer: refused as samtranslator refuses it, in its words", () => {
  const L = '{ FunctionArn: !GetAtt Fn.Arn }';
  const variant = (apiAuth: string, eventAuth: string) =>
    FN.replace('Properties: {RestApiId: !Ref Api, Path: /a, Method: get}', `Properties: {RestApiId: !Ref Api, Path: /a, Method: get, Auth: ${eventAuth}}`) +
    `  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n${apiAuth ? `      Auth: ${apiAuth}\n` : ''}`;
  const CASES = [
    { given: 'an API without Auth', yaml: variant('', '{Authorizer: L}') },
    { given: 'an API whose Auth has no Authorizers', yaml: variant('{ApiKeyRequired: true}', '{Authorizer: L}') },
    { given: 'an authorizer the API does not define', yaml: variant(`{Authorizers: {L: ${L}}}`, '{Authorizer: K}') },
    { given: 'NONE without a DefaultAuthorizer', yaml: variant(`{Authorizers: {L: ${L}}}`, '{Authorizer: NONE}') },
  ];
  const file = (i: number) => join(work, `event-auth-${i}.yaml`);
  let refusals: string[];
  beforeAll(() => {
    refusals = samRefusals(CASES.map((c, i) => [file(i), c.yaml]));
  }, 120_000);

  it.each(CASES.map((c, i) => ({ ...c, i })))('$given', async ({ i }) => {
    // Prepare: SAM's sentence, after its "Resource with id [Fn] is invalid. Event with id [Get] is invalid. "
    const sentence = /(Unable to set .*)$/.exec(refusals[i]!)?.[1];
    expect(sentence).toMatch(/^Unable to set Authorizer/);

    // Act
    const loading = loadTemplate(file(i));

    // Assess
    await expect(loading).rejects.toThrow(sentence!);
  });
});

describe("a REST Api event's RestApiId that names no AWS::Serverless::Api: refused as samtranslator refuses it, in its words", () => {
  const CASES = [
    // ShengHow95/aws-sam-sample's template.yaml: !Ref RestApi where the API's logical id is SaaSRestApi.
    { given: 'no resource of the template', yaml: FN },
    { given: 'an AWS::Serverless::HttpApi', yaml: `${FN}  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties: {}\n` },
  ];
  const file = (i: number) => join(work, `event-api-id-${i}.yaml`);
  let refusals: string[];
  beforeAll(() => {
    refusals = samRefusals(CASES.map((c, i) => [file(i), c.yaml]));
  }, 120_000);

  it.each(CASES.map((c, i) => ({ ...c, i })))('$given', async ({ i }) => {
    // Prepare: SAM's sentence, after its "SAM translator: "
    const sentence = /^SAM translator: (Resource with id \[Fn\] is invalid\. .*)$/.exec(refusals[i]!)?.[1];
    expect(sentence).toMatch(/RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template\.$/);

    // Act
    const loading = loadTemplate(file(i));

    // Assess
    await expect(loading).rejects.toThrow(sentence!);
  });
});
