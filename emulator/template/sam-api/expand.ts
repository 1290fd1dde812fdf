/**
 * The part of the SAM transform that concerns REST APIs, done on the loaded stack before anything reads it:
 * the implicit `ServerlessRestApi`, the OpenAPI body of every body-less AWS::Serverless::Api, function Api
 * events, Auth / Cors / GatewayResponses / Models / BinaryMediaTypes, and the Lambda permissions and
 * usage-plan resources SAM adds. The result is what SAM would hand to CloudFormation.
 */
import { TemplateError } from '../model.js';
import { withArticle } from '../article.js';
import { applyGlobals } from '../globals.js';
import type { Stack } from '../stack.js';
import { resolveDefinitionBody } from '../definition-body.js';
import { definition, includedDocument, includedSources, openApiVersionGiven } from '../apis.js';
import { formatVersion } from '../http-api-document.js';
import { applyApiAuth, applyEventAuth, iamCredentials, unusedAuthorizers } from './auth.js';
import { isEditable, isJson, SamDocument, skeleton, toOpenApi3, type Json } from './document.js';
import { apiEvents, authorizerPermission, eventPermission, IMPLICIT_API, stateMachineEventRole, unreadEvents, type ApiEvent } from './events.js';
import { applyEventRequest, applyGatewayResponses, applyModels, corsSettings } from './properties.js';
import { UsagePlans } from './usage-plan.js';
import { samStageLogicalId } from '../sam-generated.js';

/** What the expansion reports: `warnings` (faithful but worth saying), `notEmulated` (refused by --strict). */
export interface ExpansionReport {
  warnings: string[];
  notEmulated: string[];
}

/** Properties SAM writes into an inline body (and removes from what CloudFormation sees). */
const APPLIED = ['Auth', 'Cors', 'GatewayResponses', 'Models'];

/**
 * Rewrites `stack.resources` as the SAM translator would for REST APIs; returns each AWS::Serverless::Api's
 * properties with Globals.Api merged in and the applied SAM-only properties consumed.
 */
export function expandSamApis(stack: Stack, globals: unknown, report: ExpansionReport): Map<string, Record<string, unknown>> {
  const events = apiEvents(stack);
  report.warnings.push(...unreadEvents(stack));
  if (events.some((e) => e.apiId === IMPLICIT_API) && !stack.resources[IMPLICIT_API]) {
    stack.resources[IMPLICIT_API] = { Type: 'AWS::Serverless::Api', Properties: { StageName: 'Prod' } };
  }
  const plans = new UsagePlans();
  const out = new Map<string, Record<string, unknown>>();
  for (const event of events) checkTarget(stack, event, report);
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Serverless::Api') continue;
    const merged = applyGlobals(globals, 'Api', res.Properties);
    // An empty or null OpenApiVersion is none to SAM (not checked), but kept: '' also stops the document's own openapi
    // version from converting it to OpenAPI 3 (toOpenApi3), as in SAM's _openapi_postprocess.
    const props = openApiVersionGiven(merged.OpenApiVersion) ? { ...merged, OpenApiVersion: openApiVersion(stack, id, merged.OpenApiVersion) } : merged;
    const mine = events.filter((e) => e.apiId === id);
    const stageName = stack.resolve(props.StageName, `Resources.${id}.Properties.StageName`);
    const suffix = typeof stageName === 'string' ? stageName : 'Stage';
    for (const event of mine) addResource(stack, ...(event.stateMachine ? stateMachineEventRole(event) : eventPermission(event, suffix)));
    // Templates reference the stage SAM creates (`!Ref ServerlessRestApiProdStage`, usage plans, DependsOn), by the
    // logical id SAM gives it: <Api>Stage for a StageName from a parameter, whatever its value.
    if (typeof stageName === 'string') addResource(stack, samStageLogicalId(id, props.StageName, false), { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: id }, StageName: stageName } });
    // Without OpenApiVersion SAM's deployment also creates a stage named "Stage": served too (ApiSpec.extraStages).
    out.set(id, expandApi(stack, id, props, mine, plans, report));
  }
  for (const [id, res] of Object.entries(plans.resources)) addResource(stack, id, res);
  return out;
}

/**
 * R13.9: SAM accepts `2.x`/`3.x` versions (its pattern `[2-3](\.\d)(\.\d)?`) and refuses anything else, unresolved
 * intrinsics included. An unquoted YAML number is read as its text: `3.0` is "3.0" (`3` too, which SAM would refuse).
 */
function openApiVersion(stack: Stack, id: string, value: unknown): string {
  const text = typeof value === 'number' ? formatVersion(value) : value;
  if (typeof text !== 'string' || !/^[23]\.\d(\.\d)?$/.test(text)) {
    throw new TemplateError(stack.file, `Resources.${id}.Properties.OpenApiVersion`, "The OpenApiVersion value must be of the format '3.0.0'.");
  }
  return text;
}

function addResource(stack: Stack, id: string, res: Stack['resources'][string]): void {
  stack.resources[id] ??= res;
}

function checkTarget(stack: Stack, event: ApiEvent, report: ExpansionReport): void {
  if (event.apiId === undefined) {
    report.notEmulated.push(`${event.key}.RestApiId: not a reference to an API of this template; ${event.method.toUpperCase()} ${event.path} is not served locally`);
    return;
  }
  const api = stack.resources[event.apiId];
  // SAM's implicit API plugin refuses an id of no resource, or of an HttpApi, before the event reads it.
  if (!api || api.Type === 'AWS::Serverless::HttpApi') {
    const sentence = `Resource with id [${event.functionId}] is invalid. Event with id [${event.eventId}] is invalid. RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.`;
    throw new TemplateError(stack.file, `${event.key}.RestApiId`, sentence);
  }
  if (api.Type !== 'AWS::Serverless::Api') {
    report.warnings.push(`${event.key}.RestApiId: ${event.apiId} is ${withArticle(String(api.Type))}; SAM adds no path to it, only the Lambda permission`);
  }
}

function expandApi(stack: Stack, id: string, input: Record<string, unknown>, events: ApiEvent[], plans: UsagePlans, report: ExpansionReport): Record<string, unknown> {
  const { warnings } = report;
  const key = `Resources.${id}.Properties`;
  const props = { ...input };
  const managed = props.DefinitionBody === undefined && props.DefinitionUri === undefined;
  // CloudFormation runs a snippet's AWS::Include before the template's SAM transform: SAM edits an included document as
  // it edits an inline one (serverless-samples' python-rest-sam relies on Auth.ApiKeyRequired beside one).
  const included = localInclude(props.DefinitionBody) && (APPLIED.some((p) => props[p] !== undefined) || (events.length > 0 && props.MergeDefinitions === true));
  let includedFrom: string | undefined;
  if (included) {
    const { document, source } = includedDocument(stack, (props.DefinitionBody as Json)['Fn::Transform'] as Json, `${key}.DefinitionBody.Fn::Transform`, warnings);
    props.DefinitionBody = document;
    includedFrom = source;
  }
  const inline = isJson(props.DefinitionBody) && !('Fn::Transform' in props.DefinitionBody);
  const auth = resolved(stack, props.Auth, `${key}.Auth`);
  if (auth !== undefined && !isJson(auth)) throw new TemplateError(stack.file, `${key}.Auth`, 'must be a map');
  plans.add(id, auth?.UsagePlan, stack.file);
  if (auth?.ResourcePolicy !== undefined) report.notEmulated.push(`${key}.Auth.ResourcePolicy: resource policies are not emulated (R0.2): every caller is allowed`);
  if (auth && isJson(auth.Authorizers)) {
    for (const [name, config] of Object.entries(auth.Authorizers)) {
      if (isJson(config) && config.FunctionArn !== undefined && config.DisableFunctionDefaultPermissions !== true) addResource(stack, ...authorizerPermission(id, name, config.FunctionArn));
    }
  }
  if (props.DefinitionUri !== undefined) {
    const applied = APPLIED.find((p) => props[p] !== undefined);
    if (applied) throw new TemplateError(stack.file, `${key}.${applied}`, `${applied} works only with inline Swagger specified in 'DefinitionBody' property (SAM refuses this template)`);
  }
  if (!managed && !inline) {
    if (events.length > 0 && !props.MergeDefinitions) warnings.push(...unservedEvents(stack, id, props, events));
    return props;
  }
  const body = (managed ? skeleton() : resolveDefinitionBody(stack, props.DefinitionBody, `${key}.DefinitionBody`, warnings)) as Json;
  const version = props.OpenApiVersion as string | undefined;
  if (managed && version?.startsWith('3')) {
    delete body.swagger;
    body.openapi = version;
  }
  if (!isEditable(body)) {
    if (APPLIED.some((p) => props[p] !== undefined)) throw new TemplateError(stack.file, `${key}.DefinitionBody`, 'does not contain a valid Swagger definition, so SAM cannot add Auth/Cors/GatewayResponses/Models to it');
    return props;
  }
  const editor = new SamDocument(body, stack.file, `${key}.DefinitionBody`);
  for (const event of events) {
    // R13.10: with MergeDefinitions, SAM merges the operations its events generate into the inline document too.
    // An operation the document already has keeps its own integration; SAM's deep merge adds what it lacks of the
    // generated one (its `responses: {}`).
    const merged = props.MergeDefinitions === true && !editor.hasIntegration(event.path, event.method);
    if (props.MergeDefinitions === true && !merged) editor.method(event.path, event.method).responses ??= {};
    if (managed || merged) addEvent(stack, editor, event, auth ?? {}, resolved(stack, props.Models, `${key}.Models`), report);
    // An event whose method the document already serves (itself, through ANY, or without the event path's trailing
    // slash, which API Gateway ignores) only adds its permission: no warning.
    else if (!props.MergeDefinitions && !editor.serves(event.path, event.method)) warnings.push(notAdded(event, id));
  }
  const cors = corsSettings(resolved(stack, props.Cors, `${key}.Cors`), stack.file, `${key}.Cors`);
  // SAM writes Access-Control-Allow-Credentials only for the boolean true (`is True`): a quoted 'true' is dropped.
  if (cors?.allowCredentials !== undefined && typeof cors.allowCredentials !== 'boolean') {
    warnings.push(`${key}.Cors.AllowCredentials: ${JSON.stringify(cors.allowCredentials)} is not a boolean: SAM adds Access-Control-Allow-Credentials only for true (unquoted), so the preflight answers without it, on AWS as here`);
  }
  if (cors) for (const path of uniquePaths(editor.paths())) editor.addCors(path, cors);
  // SAM runs its OpenAPI 3 post-processing after Auth, after Models and once more at the end, and each run
  // wraps the CORS response headers in one more `schema` (API Gateway only reads that the header is declared).
  if (auth) {
    warnings.push(...unreadAuthorizerKeys(auth, `${key}.Auth`));
    applyApiAuth(editor, auth, id, stack.file);
    warnings.push(...unusedAuthorizers(editor, auth, `${key}.Auth`));
    toOpenApi3(body, version);
  }
  applyGatewayResponses(body, resolved(stack, props.GatewayResponses, `${key}.GatewayResponses`), stack.file, `${key}.GatewayResponses`);
  const binary = resolved(stack, props.BinaryMediaTypes, `${key}.BinaryMediaTypes`);
  if (Array.isArray(binary) && binary.length > 0) body['x-amazon-apigateway-binary-media-types'] = binary.map((t) => String(t).replaceAll('~1', '/'));
  const models = resolved(stack, props.Models, `${key}.Models`);
  if (models !== undefined) {
    applyModels(body, models, stack.file, `${key}.Models`);
    toOpenApi3(body, version);
  }
  toOpenApi3(body, version);
  for (const name of [...APPLIED, 'MergeDefinitions']) delete props[name];
  props.DefinitionBody = body;
  if (includedFrom) includedSources.set(body, includedFrom);
  return props;
}

/** An `AWS::Include` DefinitionBody of a file here (one on S3 is not fetched). */
function localInclude(body: unknown): boolean {
  const transform = isJson(body) ? body['Fn::Transform'] : undefined;
  if (!isJson(transform) || transform.Name !== 'AWS::Include') return false;
  const location = isJson(transform.Parameters) ? transform.Parameters.Location : undefined;
  return !(typeof location === 'string' && location.startsWith('s3://'));
}

function resolved(stack: Stack, value: unknown, key: string): Json | undefined {
  return value === undefined ? undefined : (stack.resolve(value, key) as Json);
}

/**
 * What SAM's untouched document means for each event (SAM adds only its permission): a local document (an
 * AWS::Include or a DefinitionUri file) is read to name the events whose method it lacks; one on S3 is not read, so
 * every event is named as unknown rather than missing.
 */
function unservedEvents(stack: Stack, id: string, props: Record<string, unknown>, events: ApiEvent[]): string[] {
  const property = props.DefinitionUri !== undefined ? 'DefinitionUri' : 'DefinitionBody';
  const document = readableDocument(stack, id, props);
  if (document === REMOTE) return events.map((event) => notRead(event, id, property));
  // A local document that does not load is refused where the API is loaded, with its own error.
  if (document === BROKEN) return [];
  if (!isEditable(document)) return events.map((event) => notAdded(event, id, property));
  const editor = new SamDocument(document, stack.file, `Resources.${id}.Properties.${property}`);
  return events.filter((event) => !editor.serves(event.path, event.method)).map((event) => notAdded(event, id, property));
}

const REMOTE = Symbol('remote document');
const BROKEN = Symbol('document that does not load');

/** The document of a local AWS::Include or DefinitionUri, REMOTE for one on S3, BROKEN for a local one that does not load. */
function readableDocument(stack: Stack, id: string, props: Record<string, unknown>): unknown {
  const uri = props.DefinitionUri;
  if (uri !== undefined && (typeof uri !== 'string' || uri.startsWith('s3://'))) return REMOTE;
  if (uri === undefined && (!localInclude(props.DefinitionBody) || remoteLocation(stack, props.DefinitionBody))) return REMOTE;
  try {
    return definition(stack, id, props)?.doc;
  } catch {
    return BROKEN;
  }
}

/** An AWS::Include whose Location is built with intrinsics (a bucket parameter joined to s3://) names S3 once resolved. */
function remoteLocation(stack: Stack, body: unknown): boolean {
  const transform = (body as Json)['Fn::Transform'] as Json;
  try {
    const location = stack.resolve(isJson(transform.Parameters) ? transform.Parameters.Location : undefined, 'Location');
    return typeof location === 'string' && location.startsWith('s3://');
  } catch {
    return false;
  }
}

function notAdded(event: ApiEvent, api: string, property = 'DefinitionBody'): string {
  return `${event.key}: SAM adds no ${event.method.toUpperCase()} ${event.path} to ${api}'s own ${property} (only the Lambda permission), so the route does not exist on AWS either; write it in the document`;
}

function notRead(event: ApiEvent, api: string, property: string): string {
  return `${event.key}: SAM adds no ${event.method.toUpperCase()} ${event.path} to ${api}'s own ${property} (only the Lambda permission), and that document is not read locally (S3): AWS serves the route only if the document declares it`;
}

/** Cors is added once per path that differs only by a trailing slash, as SAM does. */
function uniquePaths(paths: string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const normal = p === '/' ? p : p.replace(/\/+$/, '');
    if (seen.has(normal)) return false;
    seen.add(normal);
    return true;
  });
}

/** One Api event on a SAM-managed body: integration, event auth, timeout, request model and parameters. */
/** What SAM's translator reads of a REST API authorizer (api_generator `_get_authorizers`); it ignores the rest. */
const REST_AUTHORIZER_KEYS = new Set(['UserPoolArn', 'FunctionArn', 'Identity', 'FunctionPayloadType', 'FunctionInvokeRole', 'AuthorizationScopes', 'DisableFunctionDefaultPermissions']);

/** Keys of Auth.Authorizers entries SAM ignores on a REST API (HTTP API keys such as EnableSimpleResponses, often). */
function unreadAuthorizerKeys(auth: Json, key: string): string[] {
  const configs = isJson(auth.Authorizers) ? auth.Authorizers : {};
  return Object.entries(configs).flatMap(([name, config]) => {
    const unread = isJson(config) ? Object.keys(config).filter((k) => !REST_AUTHORIZER_KEYS.has(k)) : [];
    return unread.length === 0 ? [] : [`${key}.Authorizers.${name}: ${unread.join(', ')} ignored, as SAM ignores them on a REST API (HTTP API authorizers have them)`];
  });
}

function addEvent(stack: Stack, editor: SamDocument, event: ApiEvent, apiAuth: Json, models: Json | undefined, report: ExpansionReport): void {
  const where = { file: stack.file, key: event.key };
  if (event.auth.ResourcePolicy !== undefined) report.notEmulated.push(`${event.key}.Auth.ResourcePolicy: resource policies are not emulated (R0.2): every caller is allowed`);
  if (event.properties.ResponseTransferMode === 'STREAM') report.notEmulated.push(`${event.key}.ResponseTransferMode: response streaming is not emulated; the response is buffered`);
  if (editor.hasIntegration(event.path, event.method)) {
    throw new TemplateError(stack.file, event.key, `API method "${event.method}" defined multiple times for path "${event.path}".`);
  }
  if (event.stateMachine) editor.addStateMachineIntegration(event.path, event.method, event.functionId, `${event.functionId}${event.eventId}Role`, event.properties.UnescapeMappingTemplate === true);
  else {
    // SAM points a function's events at the alias AutoPublishAlias publishes: Lambda runs the function as that alias.
    const target = stack.autoPublishAlias(event.functionId) === undefined ? { 'Fn::GetAtt': [event.functionId, 'Arn'] } : { Ref: `${event.functionId}.Alias` };
    editor.addLambdaIntegration(event.path, event.method, { 'Fn::Sub': ['arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Target}/invocations', { Target: target }] });
  }
  const credentials = event.stateMachine ? undefined : iamCredentials(event.auth, apiAuth);
  const op = editor.method(event.path, event.method);
  if (credentials !== undefined) (op['x-amazon-apigateway-integration'] as Json).credentials = credentials;
  const auth = event.auth;
  if (Object.keys(auth).length > 0) {
    applyEventAuth(editor, event.path, event.method, {
      ...(typeof auth.Authorizer === 'string' ? { authorizer: auth.Authorizer } : {}),
      ...(Array.isArray(auth.AuthorizationScopes) ? { scopes: auth.AuthorizationScopes } : {}),
      ...(typeof auth.ApiKeyRequired === 'boolean' ? { apiKeyRequired: auth.ApiKeyRequired } : {}),
    }, apiAuth, where);
  }
  if (event.properties.TimeoutInMillis) (op['x-amazon-apigateway-integration'] as Json).timeoutInMillis = event.properties.TimeoutInMillis;
  applyEventRequest(editor, event, models, where, report.warnings);
}
