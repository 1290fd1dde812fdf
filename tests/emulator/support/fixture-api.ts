/**
 * Test helper: builds the LoadedTemplate / ApiSpec of a fixture app by reading its template.yaml and the
 * OpenAPI files it includes with the `yaml` package, resolving only what fixtures use (AWS::Include,
 * Fn::Sub with ${AWS::Region}, ${AWS::AccountId}, ${Function.Arn}). A stand-in for the real template
 * loader until the harness switches to it (one change: replace loadFixtureTemplate).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ApiSpec, FunctionSpec, LoadedTemplate, OpenApiDocument } from '../../../emulator/template/model.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolveSubs(value: unknown, vars: Record<string, string>, file: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveSubs(v, vars, file));
  if (!isObject(value)) return value;
  if ('Fn::Sub' in value && typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
      const resolved = vars[name];
      if (resolved === undefined) throw new Error(`${file}: Fn::Sub: unknown variable \${${name}}`);
      return resolved;
    });
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSubs(v, vars, file)]));
}

function functionSpecs(resources: Json, baseDir: string, globals: Json): Map<string, FunctionSpec> {
  const functions = new Map<string, FunctionSpec>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    const props = { ...globals, ...(resource.Properties as Json) };
    functions.set(logicalId, {
      logicalId,
      functionName: logicalId,
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`,
      codeDir: resolve(baseDir, String(props.CodeUri)),
      handler: String(props.Handler),
      runtime: String(props.Runtime),
      architectures: ['x86_64'],
      timeoutSeconds: Number(props.Timeout ?? 3),
      memorySizeMb: Number(props.MemorySize ?? 128),
      environment: {},
    });
  }
  return functions;
}

function apiSpecs(resources: Json, baseDir: string, vars: Record<string, string>): ApiSpec[] {
  return Object.entries(resources).flatMap(([logicalId, resource]) => {
    if (!isObject(resource) || resource.Type !== 'AWS::Serverless::Api') return [];
    const props = resource.Properties as Json;
    const include = ((props.DefinitionBody as Json)['Fn::Transform'] as Json).Parameters as Json;
    const file = join(baseDir, String(include.Location));
    const openapi = resolveSubs(parse(readFileSync(file, 'utf8')), vars, file) as OpenApiDocument;
    const variables = props.Variables as Record<string, string> | undefined;
    return [{
      logicalId,
      restApiId: logicalId.toLowerCase().slice(0, 10),
      stageName: String(props.StageName),
      stageVariables: variables && Object.keys(variables).length > 0 ? { ...variables } : null,
      methodSettings: [],
      cacheClusterEnabled: false,
      openapi,
      openapiSource: file,
    }];
  });
}

/** Reads a fixture app's template.yaml into the emulator's LoadedTemplate shape. */
export function loadFixtureTemplate(templatePath: string): LoadedTemplate {
  const baseDir = dirname(templatePath);
  const doc = parse(readFileSync(templatePath, 'utf8')) as Json;
  const resources = doc.Resources as Json;
  const globals = isObject(doc.Globals) && isObject(doc.Globals.Function) ? doc.Globals.Function : {};
  const functions = functionSpecs(resources, baseDir, globals);
  const vars: Record<string, string> = { 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT };
  for (const fn of functions.values()) vars[`${fn.logicalId}.Arn`] = fn.arn;
  return {
    path: templatePath,
    region: REGION,
    accountId: ACCOUNT,
    parameters: {},
    functions,
    apis: apiSpecs(resources, baseDir, vars),
    tables: [],
    identity: { apiKeys: [], usagePlans: [], usagePlanKeys: [], userPools: [], userPoolClients: [], secrets: [] },
    functionForUri(uri: string) {
      const name = /functions\/arn:aws:lambda:[^:]+:\d+:function:([^/:]+)(?::[^/]+)?\/invocations$/.exec(uri)?.[1];
      return name === undefined ? undefined : [...functions.values()].find((f) => f.functionName === name);
    },
  };
}
