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

/** The translated template, resolved with the emulator's own intrinsics (same region, account, stack name). */
async function translated(name: string, template: unknown): Promise<{ docs: Record<string, Json>; stack: Stack }> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(template));
  const { stack } = await readStack(file);
  const docs: Record<string, Json> = {};
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::ApiGateway::RestApi') docs[id] = stack.resolve(res.Properties.Body, `Resources.${id}.Properties.Body`) as Json;
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
