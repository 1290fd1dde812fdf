/** AWS::Serverless::Api (and plain AWS::ApiGateway::RestApi + Stage) → ApiSpec, as SAM and CloudFormation deploy them. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { TemplateError, type AccessLogSpec, type ApiSpec, type OpenApiDocument } from './model.js';
import { cdkAssetFor } from './cdk-assets.js';
import { parseCfnYaml } from './cfn-yaml.js';
import { includeLocationProblem, restApiIdFor, type Stack } from './stack.js';
import { applyGatewayResponseResources, authorizerIdsOf, methodResourcesOf, methodRoutesOf, resourceIdsByPath, restApiFromResources } from './cfn-rest-api.js';
import { resolveDefinitionBody } from './definition-body.js';
import { apiOrReported, type ApiRefusals } from './per-api.js';
import { substituteAwsVariables } from './aws-variables.js';
import { applyBasePathMode } from './base-path.js';
import { checkPathItems, OPENAPI_VERBS } from './openapi-verbs.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A setting that asks for something: present, and not false (`TracingEnabled: false` asks for nothing). */
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== false && v !== 'false';

/** A path as shown in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * SAM Api properties that rewrite the document (R13.5-R13.8) and are left after sam-api/expand.ts:
 * SAM cannot write them into a body it does not see (AWS::Include, DefinitionUri), or they are not emulated.
 */
const NOT_APPLIED = ['Auth', 'Cors', 'GatewayResponses', 'Models', 'MergeDefinitions'];

/** Stage settings with nothing to apply locally (SAM Api, AWS::ApiGateway::Stage, a Deployment's StageDescription). */
const STAGE_NOT_APPLIED = {
  TracingEnabled: 'X-Ray is not emulated: requests carry a trace header and nothing collects segments',
  ClientCertificateId: 'local HTTP integrations present no client certificate',
  CanarySetting: 'no canary deployments locally: every request is served by the template as it is',
  CacheClusterSize: 'the local stage cache has no memory size: an answer leaves it by its TTL or an invalidation (or past 10,000 entries), never because the cluster is full',
};

/** SAM Api properties with nothing to apply locally, each with its own reason. */
const NO_LOCAL_MEANING: Record<string, string> = {
  Domain: 'custom domain names are not emulated: the API answers on its local port under its stage, not under a base path of a domain',
  DisableExecuteApiEndpoint: 'the local URL stands for the execute-api endpoint, so it is served anyway',
  MinimumCompressionSize: 'responses are never compressed locally',
  TracingEnabled: STAGE_NOT_APPLIED.TracingEnabled,
  CanarySetting: STAGE_NOT_APPLIED.CanarySetting,
  CacheClusterSize: STAGE_NOT_APPLIED.CacheClusterSize,
};

/**
 * SAM's EndpointConfiguration (`REGIONAL`, or `{Type, VPCEndpointIds}`), said rather than dropped: a PRIVATE API answers
 * on AWS only through its VPC endpoints (and must have a resource policy to deploy); locally any client reaches it.
 */
function endpointConfigurationNote(value: unknown): string | undefined {
  const type = typeof value === 'string' ? value : isRecord(value) && typeof value.Type === 'string' ? value.Type : undefined;
  if (value === undefined || value === null) return undefined;
  if (type?.toUpperCase() === 'PRIVATE') return 'PRIVATE: on AWS only clients of its VPC endpoints reach it (and a resource policy is required); locally every client does';
  return `${type ?? JSON.stringify(value)}: the endpoint type has no local meaning (the API answers on its local port)`;
}

/**
 * A Deployment's StageDescription settings for every method (ThrottlingRateLimit, CachingEnabled...): API Gateway makes
 * them the stage's `*` `/*` method setting, which the stage's MethodSettings override.
 */
const STAGE_WIDE_METHOD_SETTINGS = ['CacheDataEncrypted', 'CacheTtlInSeconds', 'CachingEnabled', 'DataTraceEnabled', 'LoggingLevel', 'MetricsEnabled', 'ThrottlingBurstLimit', 'ThrottlingRateLimit'];

/**
 * Every served API: SAM Api and plain RestApi, documents loaded and resolved as SAM/CloudFormation deploy them.
 * `samApis`: each AWS::Serverless::Api's properties after the SAM transform (sam-api/expand.ts).
 */
export function loadApis(stack: Stack, samApis: Map<string, Record<string, unknown>>, warnings: string[], refusals: ApiRefusals): ApiSpec[] {
  const apis: ApiSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Serverless::Api') {
      const spec = apiOrReported(id, refusals, () => serverlessApi(stack, id, samApis.get(id) ?? res.Properties, warnings));
      if (spec) apis.push(spec);
    } else if (res.Type === 'AWS::ApiGateway::RestApi') {
      const spec = apiOrReported(id, refusals, () => plainRestApi(stack, id, res.Properties, warnings));
      if (spec) apis.push(spec);
    }
  }
  return apis;
}

function serverlessApi(stack: Stack, id: string, props: Record<string, unknown>, warnings: string[]): ApiSpec | undefined {
  const key = `Resources.${id}.Properties`;
  for (const name of NOT_APPLIED) {
    if (props[name] !== undefined) warnings.push(`${key}.${name}: not applied to a document SAM does not see inline (AWS::Include, DefinitionUri) or not emulated; write it in the document`);
  }
  for (const [name, why] of Object.entries(NO_LOCAL_MEANING)) {
    if (isSet(stack.resolve(props[name], `${key}.${name}`))) warnings.push(`${key}.${name}: ${why}`);
  }
  const endpointNote = endpointConfigurationNote(stack.resolve(props.EndpointConfiguration, `${key}.EndpointConfiguration`));
  if (endpointNote) warnings.push(`${key}.EndpointConfiguration: ${endpointNote}`);
  const loaded = definition(stack, id, props, warnings);
  if (!loaded) {
    warnings.push(`${key}: no DefinitionBody/DefinitionUri; APIs generated from function Api events are not emulated`);
    return undefined;
  }
  const stageName = stack.resolve(props.StageName, `${key}.StageName`);
  if (typeof stageName !== 'string' || stageName === '') throw new TemplateError(stack.file, `${key}.StageName`, 'is required');
  // SAM's own stages (StageName's, and the "Stage" stage of an API without OpenApiVersion) are not others.
  for (const other of stagesOf(stack, id).filter((st) => st.name !== stageName && st.id !== `${id}Stage`)) warnings.push(`Resources.${other.id}: stage ${other.name} of ${id} is not served (the emulator serves one stage per API: ${stageName})`);
  applyBinaryMediaTypes(loaded.doc, stack.resolve(props.BinaryMediaTypes, `${key}.BinaryMediaTypes`));
  applyApiKeySourceType(loaded.doc, stack.resolve(props.ApiKeySourceType, `${key}.ApiKeySourceType`));
  applyGatewayResponseResources(stack, id, loaded.doc, warnings);
  dropTrailingSlashes(loaded.doc, loaded.source, warnings);
  // Without OpenApiVersion, SAM's Deployment names a stage "Stage" too (its StageName), which API Gateway serves.
  const versionless = !openApiVersionGiven(props.OpenApiVersion);
  const samStage = versionless && stageName !== 'Stage' ? { extraStages: ['Stage'] } : {};
  if (versionless && stageName === 'Stage') {
    warnings.push(`${key}.StageName: "Stage" without OpenApiVersion does not deploy: SAM's deployment creates a stage named Stage as well, and CloudFormation fails creating this one ("Stage already exists", serverless-application-model issue 1823); set OpenApiVersion (SAM then creates no extra stage) or name the stage otherwise`);
  }
  return {
    ...samStage,
    logicalId: id,
    restApiId: restApiIdFor(id),
    resourceIds: { '/': String(stack.getAtt(id, 'RootResourceId', key)) },
    stageName,
    stageVariables: stageVariables(stack.resolve(props.Variables, `${key}.Variables`)),
    methodSettings: listOfRecords(stack.resolve(props.MethodSettings, `${key}.MethodSettings`)),
    cacheClusterEnabled: stack.resolve(props.CacheClusterEnabled, `${key}.CacheClusterEnabled`) === true,
    ...optional('accessLog', accessLogSetting(stack.resolve(props.AccessLogSetting, `${key}.AccessLogSetting`))),
    openapi: substituteAwsVariables(loaded.doc, stack.opts),
    openapiSource: loaded.source,
  };
}

/** R13.9: whether SAM reads an Api's OpenApiVersion as set (`if self.open_api_version`): an empty or null one is not. */
export function openApiVersionGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * A stage's access log setting (REST `AccessLogSetting`, HTTP `AccessLogSettings`, intrinsics resolved): served when it
 * has a Format; a DestinationArn the template leaves unresolved is shown as written.
 */
export function accessLogSetting(raw: unknown): AccessLogSpec | undefined {
  if (!isRecord(raw) || typeof raw.Format !== 'string' || raw.Format === '') return undefined;
  return { destinationArn: typeof raw.DestinationArn === 'string' ? raw.DestinationArn : JSON.stringify(raw.DestinationArn ?? null), format: raw.Format };
}

/** `{ [key]: value }` when there is a value, else nothing (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** DefinitionBody (inline or AWS::Include, intrinsics resolved) or DefinitionUri (no intrinsics, R13.2); shared with HTTP APIs (H1.1). */
export function definition(stack: Stack, id: string, props: Record<string, unknown>, warnings: string[] = []): { doc: OpenApiDocument; source: string } | undefined {
  const key = `Resources.${id}.Properties`;
  const body = props.DefinitionBody;
  if (body !== undefined && props.DefinitionUri !== undefined) {
    throw new TemplateError(stack.file, key, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both (R13.1)");
  }
  if (isRecord(body) && isRecord(body['Fn::Transform'])) {
    const { document, source } = includedDocument(stack, body['Fn::Transform'], `${key}.DefinitionBody.Fn::Transform`, warnings);
    return { doc: asDocument(document, source), source };
  }
  if (body !== undefined) {
    // A document SAM edited after CloudFormation included it (sam-api/expand.ts) keeps the name of its file.
    const source = (isRecord(body) ? includedSources.get(body) : undefined) ?? `${displayPath(stack.file)}#/Resources/${id}/Properties/DefinitionBody`;
    return { doc: asDocument(resolveDefinitionBody(stack, body, `${key}.DefinitionBody`, warnings), source), source };
  }
  const uri = props.DefinitionUri;
  if (uri === undefined) return undefined;
  if (typeof uri !== 'string' || uri.startsWith('s3://')) {
    throw new TemplateError(stack.file, `${key}.DefinitionUri`, 'only a local file path is supported (not S3)');
  }
  const file = localFile(stack, uri, `${key}.DefinitionUri`);
  const doc = parseCfnYaml(readFileSync(file, 'utf8'), displayPath(file), { shortTags: false });
  return { doc: asDocument(doc, file), source: displayPath(file) };
}

/** The file an `AWS::Include` DefinitionBody pulls in, its intrinsics resolved (R13.3: long-form only). */
export function includedDocument(stack: Stack, transform: Record<string, unknown>, key: string, warnings: string[]): { document: unknown; source: string } {
  const file = includeLocation(stack, transform, key);
  const raw = parseCfnYaml(readFileSync(file, 'utf8'), displayPath(file), {
    shortTags: false,
    unresolvedTagHint: ' (files pulled in by AWS::Include must use long-form intrinsics such as Fn::Sub, R13.3)',
  });
  return { document: resolveDefinitionBody(stack, raw, '', warnings, displayPath(file)), source: displayPath(file) };
}

/** Documents included before the SAM transform edited them, by the edited document: the file each came from. */
export const includedSources = new WeakMap<object, string>();

function includeLocation(stack: Stack, transform: Record<string, unknown>, key: string): string {
  const params = isRecord(transform.Parameters) ? transform.Parameters : {};
  if (transform.Name !== 'AWS::Include') throw new TemplateError(stack.file, `${key}.Name`, `only AWS::Include is supported, got ${JSON.stringify(transform.Name)}`);
  const location = stack.resolve(params.Location, `${key}.Parameters.Location`);
  const problem = includeLocationProblem(location);
  if (problem) throw new TemplateError(stack.file, `${key}.Parameters.Location`, problem);
  return localFile(stack, location as string, `${key}.Parameters.Location`);
}

function localFile(stack: Stack, path: string, key: string): string {
  const file = resolvePath(dirname(stack.file), path);
  if (!existsSync(file)) throw new TemplateError(stack.file, key, `file ${displayPath(file)} does not exist`);
  if (!statSync(file).isFile()) throw new TemplateError(stack.file, key, `${displayPath(file)} is not a file`);
  return file;
}

function asDocument(doc: unknown, source: string): OpenApiDocument {
  if (!isRecord(doc)) throw new TemplateError(source, '(root)', 'the API definition is not a map');
  if (isRecord(doc.paths)) checkPathItems(doc.paths, source);
  return doc as OpenApiDocument;
}

/**
 * API Gateway drops a path's trailing slash when it imports a document (undocumented; samtranslator writes its
 * permissions without it for that reason, its issue 665): `paths./plantest/` is the resource `/plantest`, for the
 * event's `resource`, permissions, usage plan and MethodSettings keys. Paths that differ only so are merged.
 */
function dropTrailingSlashes(doc: OpenApiDocument, source: string, warnings: string[]): void {
  const paths = doc.paths as Record<string, unknown> | undefined;
  if (!isRecord(paths) || !Object.keys(paths).some((path) => path.length > 1 && path.endsWith('/'))) return;
  const resources: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(paths)) {
    const resource = path.replace(/(?<=.)\/+$/, '');
    const prior = resources[resource];
    if (prior === undefined) resources[resource] = item;
    else if (isRecord(prior) && isRecord(item)) {
      for (const [key, value] of Object.entries(item)) {
        if (!(key in prior)) prior[key] = value;
        else if (OPENAPI_VERBS[key]) warnings.push(`${source}: paths.${path}.${key} is paths.${resource}.${key} once API Gateway drops the trailing slash: the first is served`);
      }
    }
  }
  doc.paths = resources as OpenApiDocument['paths'];
}

/** R13.5: SAM writes BinaryMediaTypes into x-amazon-apigateway-binary-media-types with ~1 → /. */
function applyBinaryMediaTypes(doc: OpenApiDocument, types: unknown): void {
  if (!Array.isArray(types) || types.length === 0) return;
  // Choice (per the brief): a list already in the document is kept as the author wrote it.
  if (doc['x-amazon-apigateway-binary-media-types'] !== undefined) return;
  doc['x-amazon-apigateway-binary-media-types'] = types.map((t) => String(t).replaceAll('~1', '/'));
}

/**
 * R6.3: the RestApi's ApiKeySourceType (SAM's Api passes its own to the RestApi beside the Body it generates) is the
 * API's key source. [AMBIGUOUS] A document that names its own source keeps it, as applyBinaryMediaTypes keeps a list.
 */
function applyApiKeySourceType(doc: OpenApiDocument, source: unknown): void {
  if (source === undefined || source === null || doc['x-amazon-apigateway-api-key-source'] !== undefined) return;
  doc['x-amazon-apigateway-api-key-source'] = source;
}

function stageVariables(v: unknown): Record<string, string> | null {
  if (!isRecord(v) || Object.keys(v).length === 0) return null;
  return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, String(val)]));
}

function listOfRecords(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

/**
 * The document a `BodyS3Location` names when it is a CDK asset of this cloud assembly (`SpecRestApi` with
 * `ApiDefinition.fromAsset`): read from the local file as API Gateway reads the S3 object, with no intrinsics.
 */
export function s3Document(stack: Stack, id: string, key: string): OpenApiDocument | undefined {
  // The Bucket and Key of an asset named by its metadata are the upload CDK makes (parameters of the old synthesizer,
  // which trimmed templates lack): the local file is the document, and the S3 location is not read.
  const named = cdkAssetFor(stack.file, stack.resources[id]?.Metadata, 'BodyS3Location', undefined);
  const location = named === undefined ? stack.resolve(stack.resources[id]?.Properties.BodyS3Location, key) : undefined;
  const file = named ?? cdkAssetFor(stack.file, undefined, 'BodyS3Location', isRecord(location) ? location.Key : undefined);
  if (file === undefined) return undefined;
  return asDocument(parseCfnYaml(readFileSync(file, 'utf8'), displayPath(file), { shortTags: false }), file);
}

/** A plain RestApi (inline Body, or Resource/Method resources), staged by an AWS::ApiGateway::Stage (or a Deployment's StageName). */
function plainRestApi(stack: Stack, id: string, props: Record<string, unknown>, warnings: string[]): ApiSpec | undefined {
  const key = `Resources.${id}.Properties`;
  const s3Body = props.Body === undefined && props.BodyS3Location !== undefined ? s3Document(stack, id, `${key}.BodyS3Location`) : undefined;
  if (props.Body === undefined && props.BodyS3Location !== undefined && !s3Body) {
    warnings.push(`${key}.BodyS3Location: a RestApi whose document is on S3 is not emulated (inline it as Body)`);
    return undefined;
  }
  const stage = findStage(stack, id, warnings);
  if (!stage) {
    warnings.push(`${key}: no AWS::ApiGateway::Stage or Deployment StageName for this RestApi; it is not served`);
    return undefined;
  }
  for (const [name, why] of Object.entries(STAGE_NOT_APPLIED)) if (isSet(stage.props[name])) warnings.push(`${stage.key}.${name}: ${why}`);
  const fromResources = props.Body === undefined && !s3Body;
  if (!fromResources) {
    for (const method of methodResourcesOf(stack, id)) warnings.push(`Resources.${method}: a Method resource on ${id}, whose Body is served as written; the method is not added locally`);
  }
  const doc = s3Body ?? (fromResources ? restApiFromResources(stack, id, stack.resolve(props, key) as Record<string, unknown>, warnings) : asDocument(resolveDefinitionBody(stack, props.Body, `${key}.Body`, warnings), stack.file));
  if (!fromResources) {
    applyBasePathMode(doc, stack.resolve(props.Parameters, `${key}.Parameters`), stack.file, `${key}.Parameters`);
    applyGatewayResponseResources(stack, id, doc, warnings);
  }
  applyBinaryMediaTypes(doc, stack.resolve(props.BinaryMediaTypes, `${key}.BinaryMediaTypes`));
  applyApiKeySourceType(doc, stack.resolve(props.ApiKeySourceType, `${key}.ApiKeySourceType`));
  dropTrailingSlashes(doc, `Resources.${id}`, warnings);
  return {
    logicalId: id,
    restApiId: restApiIdFor(id),
    resourceIds: fromResources ? resourceIdsByPath(stack, id) : { '/': String(stack.getAtt(id, 'RootResourceId', key)) },
    stageName: stage.name,
    stageVariables: stageVariables(stage.props.Variables),
    methodSettings: [...listOfRecords(stage.props.MethodSettings), ...stageWideMethodSetting(stage)],
    cacheClusterEnabled: stage.props.CacheClusterEnabled === true || stage.props.CacheClusterEnabled === 'true',
    ...optional('accessLog', accessLogSetting(stage.props.AccessLogSetting)),
    openapi: substituteAwsVariables(doc, stack.opts),
    ...(fromResources ? { methodResources: methodRoutesOf(stack, id), authorizerIds: authorizerIdsOf(stack, id) } : {}),
    openapiSource: `${displayPath(stack.file)}#/Resources/${id}${fromResources ? ' (AWS::ApiGateway::Resource/Method resources)' : '/Properties/Body'}`,
  };
}

/** The API's stages: each AWS::ApiGateway::Stage, and each Deployment's StageName with its StageDescription. */
type StageFound = { id: string; name: string; props: Record<string, unknown>; key: string; deployment: boolean; generatedName?: boolean };

function stagesOf(stack: Stack, apiId: string): StageFound[] {
  const restApiId = restApiIdFor(apiId);
  const stages: StageFound[] = [];
  for (const [sid, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::ApiGateway::Stage' && res.Type !== 'AWS::ApiGateway::Deployment') continue;
    const key = `Resources.${sid}.Properties`;
    if (stack.resolve(res.Properties.RestApiId, `${key}.RestApiId`) !== restApiId) continue;
    const props = stack.resolve(res.Properties, key) as Record<string, unknown>;
    const deployment = res.Type === 'AWS::ApiGateway::Deployment';
    // A Stage resource may leave StageName out (CloudFormation generates it): the name its Ref gives here.
    if (!deployment && props.StageName === undefined) {
      stages.push({ id: sid, name: String(stack.refResource(sid, key)), props, key, deployment, generatedName: true });
      continue;
    }
    if (typeof props.StageName !== 'string') continue;
    const settings = deployment ? ((props.StageDescription ?? {}) as Record<string, unknown>) : props;
    stages.push({ id: sid, name: props.StageName, props: settings, key: deployment ? `${key}.StageDescription` : key, deployment });
  }
  return stages;
}

/**
 * The stage served: an AWS::ApiGateway::Stage of the API, else a Deployment's StageName with its
 * StageDescription (Variables, MethodSettings, CacheClusterEnabled, settings for every method). Other stages are reported, not served.
 */
function findStage(stack: Stack, apiId: string, warnings: string[]): StageFound | undefined {
  const stages = stagesOf(stack, apiId);
  // A Stage resource wins over a Deployment's stage of the same API (CDK writes both kinds); a stage whose name
  // CloudFormation generates comes last, as no client can know its URL on AWS.
  const rank = (st: StageFound) => (st.generatedName ? 2 : st.deployment ? 1 : 0);
  stages.sort((a, b) => rank(a) - rank(b));
  const generated = (st: StageFound) => (st.generatedName ? `; it has no StageName, so CloudFormation names it, and ${st.name} stands in for that name here` : '');
  for (const other of stages.slice(1)) warnings.push(`Resources.${other.id}: stage ${other.name} of ${apiId} is not served (the emulator serves one stage per API: ${stages[0]?.name})${generated(other)}`);
  if (stages[0]?.generatedName) warnings.push(`Resources.${stages[0].id}: served as stage ${stages[0].name}${generated(stages[0])}`);
  return stages[0];
}

/** A Deployment StageDescription's settings for every method, as the `/*` `*` method setting they become (none for a Stage resource). */
function stageWideMethodSetting(stage: { props: Record<string, unknown>; deployment: boolean }): Record<string, unknown>[] {
  if (!stage.deployment) return [];
  const picked = Object.fromEntries(STAGE_WIDE_METHOD_SETTINGS.filter((name) => stage.props[name] !== undefined).map((name) => [name, stage.props[name]]));
  return Object.keys(picked).length === 0 ? [] : [{ ResourcePath: '/*', HttpMethod: '*', ...picked }];
}
