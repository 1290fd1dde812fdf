/** Load a SAM template the way `sam local` + CloudFormation would see it deployed: everything resolved. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { TemplateError, type LoadedTemplate, type NestedStack } from './model.js';
import { checkGlobals } from './globals.js';
import { checkSamProperties } from './sam-properties.js';
import { parseCfnYaml } from './cfn-yaml.js';
import { resolveParameters } from './parameters.js';
import { Stack, type RawResource } from './stack.js';
import { loadFunctions } from './functions.js';
import { displayPath, loadApis } from './apis.js';
import { loadFunctionUrls } from './function-urls.js';
import { loadEventRules } from './event-rules.js';
import { loadApiDestinations, loadConnections } from './api-destinations.js';
import { loadSchedulerSchedules } from './scheduler-schedules.js';
import { loadQueues, loadQueueSources } from './queues.js';
import { loadStreamSources } from './streams.js';
import { loadSsmParameters } from './ssm-parameters.js';
import { loadSubscriptions, loadTopics } from './topics.js';
import { loadBucketNotifications, loadBuckets } from './buckets.js';
import { loadStateMachines } from './state-machines.js';
import { loadKinesisSources, loadKinesisStreams } from './kinesis.js';
import { loadPipes } from './pipes.js';
import { loadTables } from './tables.js';
import { loadHttpApis } from './http-apis.js';
import { loadIdentity } from './identity.js';
import { functionForUri } from './uris.js';
import { loadWebSocketApis } from './websocket-apis.js';
import { loadApiGatewayGrants, mayInvoke, mayInvokeOther } from './permissions.js';
import { expandSamApis } from './sam-api/expand.js';
import { expandSamWebSocketApis } from './sam-websocket-api.js';
import { expandSamInvokeDestinations } from './async-config.js';
import { deploymentsBeforeMethods } from './deployment-order.js';
import { stagesCreatedAfterUsers } from './stage-order.js';
import { detachedApiChildren } from './api-children.js';
import { expandForEach } from './language-extensions.js';
import { routeOnlyFunctions } from './function-callers.js';
import { accountResources, dynamicReferences, type ResourceGroup } from './resources.js';
import { strayWebAclAssociations } from './waf-associations.js';
import { describeStack } from './outputs.js';
import { checkReferences } from './references.js';
import { checkMappings } from './mappings.js';
import { creationOrder, nestedStackRefs, resolvedOutputs, type NestedStackRef } from './nested.js';

export { checkIntegrationUris } from './uris.js';
export { parseParameterOverrides } from './parameters.js';

export interface LoadOptions {
  parameterOverrides?: Record<string, string>;
  /** AWS::Region; us-east-1 by default. */
  region?: string;
  /** AWS::AccountId; a CDK stack's own account (its manifest's), else 123456789012. */
  accountId?: string;
  /** AWS::StackName; "local" by default. */
  stackName?: string;
  /** A nested stack's: where its parameterOverrides come from (its parent's resource Parameters), for the report. */
  parametersGivenBy?: string;
  /** Values for Fn::ImportValue, by export name (without one, a placeholder and a warning). */
  importValues?: Record<string, string>;
  /** The local SQS endpoint queue URLs are on (StackOptions.queueEndpoint); AWS's URLs when absent. */
  queueEndpoint?: string;
}

export { ACCOUNT_ID, DEFAULT_REGION } from './account.js';
import { ACCOUNT_ID, DEFAULT_REGION } from './account.js';
import { cdkStackEnvironment } from './cdk-environment.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A template read as CloudFormation holds it before deploying: the stack (conditions applied) and its raw sections. */
export interface ReadTemplate {
  file: string;
  raw: Record<string, unknown>;
  region: string;
  accountId: string;
  parameters: Record<string, string | string[]>;
  stack: Stack;
  /** What reading found worth saying (e.g. placeholder parameter values). */
  warnings: string[];
}

/** Parse a template file and build its Stack (parameters and conditions resolved, nothing transformed yet). */
export async function readStack(path: string, options: LoadOptions = {}): Promise<ReadTemplate> {
  const file = resolvePath(path);
  if (!existsSync(file)) throw new TemplateError(displayPath(file), '(file)', 'template file not found');
  const warnings: string[] = [];
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    // A folder, a file without read permission: the user's to fix, in one line.
    throw new TemplateError(displayPath(file), '(file)', error.code === 'EISDIR' ? 'is a folder, not a template file' : `cannot be read (${error.code ?? error.message})`);
  });
  const parsed = parseCfnYaml(text, displayPath(file), { warnings });
  if (!isRecord(parsed)) throw new TemplateError(displayPath(file), '(root)', 'the template is not a map');
  // A CDK stack synthesized for a region (its manifest says which) is served in that region, as its ARNs name it.
  // The manifest is read only when the caller did not give both (start-api and invoke read it once and pass them on).
  const cdk = options.region !== undefined && options.accountId !== undefined ? {} : cdkStackEnvironment(file);
  const region = options.region ?? cdk.region ?? DEFAULT_REGION;
  // So is one synthesized for an account: its permissions' SourceArns name it, and API Gateway checks them (R1.54).
  const accountId = options.accountId ?? cdk.account ?? ACCOUNT_ID;
  const parameters = resolveParameters(parsed.Parameters, options.parameterOverrides ?? {}, displayPath(file), warnings, options.parametersGivenBy);
  const stackOptions = { file, region, accountId, stackName: options.stackName ?? 'local', parameters, ...(options.importValues ? { importValues: options.importValues } : {}), ...(options.queueEndpoint ? { queueEndpoint: options.queueEndpoint } : {}) };
  // AWS::LanguageExtensions runs first: its loops' collections read parameters, mappings and conditions only.
  let bare: Stack | undefined;
  const raw = expandForEach(parsed, displayPath(file), (collection, key) => {
    bare ??= new Stack({ ...stackOptions, conditions: isRecord(parsed.Conditions) ? parsed.Conditions : {}, mappings: isRecord(parsed.Mappings) ? parsed.Mappings : {}, resources: {} });
    return bare.resolve(collection, key);
  });
  checkMappings(raw.Mappings, displayPath(file));
  const stack = new Stack({
    ...stackOptions,
    conditions: isRecord(raw.Conditions) ? raw.Conditions : {},
    mappings: isRecord(raw.Mappings) ? raw.Mappings : {},
    resources: rawResources(raw.Resources, displayPath(file), warnings),
    ...(isRecord(raw.Globals) && isRecord(raw.Globals.Function) ? { globalFunction: raw.Globals.Function } : {}),
  });
  stack.checkConditions();
  return { file, raw, region, accountId, parameters, stack, warnings };
}

/** CloudFormation refuses AWS::Serverless::* resources unless the template names SAM's transform; sam deploy adds none. */
function missingSamTransform(raw: Record<string, unknown>, stack: Stack): string[] {
  const transforms = Array.isArray(raw.Transform) ? raw.Transform : [raw.Transform];
  if (transforms.includes('AWS::Serverless-2016-10-31')) return [];
  const serverless = Object.entries(stack.resources).filter(([, r]) => r.Type.startsWith('AWS::Serverless::')).map(([id]) => id);
  if (serverless.length === 0) return [];
  const named = serverless.length > 3 ? `${serverless.slice(0, 3).join(', ')} and ${serverless.length - 3} more` : serverless.join(', ');
  return [`Transform: no AWS::Serverless-2016-10-31, which CloudFormation needs to deploy ${named} (Unrecognized resource types); served here as SAM would transform them`];
}

/** Parse template.yaml and resolve parameters, conditions and intrinsics into a LoadedTemplate. */
export async function loadTemplate(path: string, options: LoadOptions = {}): Promise<LoadedTemplate> {
  return (await loadStack(path, options, [])).template;
}

/** How deep nested stacks are read (CloudFormation's own limit is far above what a local template needs). */
const MAX_NESTING = 5;

/**
 * The nested stacks whose templates are local files, each read as a stack of its own with the Parameters its resource
 * passes; their Outputs answer the parent's `Fn::GetAtt Child.Outputs.Name`. A template that nests itself is refused.
 */
async function loadNested(stack: Stack, options: LoadOptions, chain: string[], refs: NestedStackRef[]): Promise<NestedStack[]> {
  const loaded = new Map<string, NestedStack>();
  for (const ref of creationOrder(refs)) {
    const key = `Resources.${ref.logicalId}`;
    if (chain.includes(ref.file)) throw new TemplateError(displayPath(stack.file), key, `nested stack ${displayPath(ref.file)} contains itself`);
    if (chain.length > MAX_NESTING) throw new TemplateError(displayPath(stack.file), key, `nested stacks deeper than ${MAX_NESTING} levels`);
    const givenBy = `${displayPath(stack.file)} ${key}.Properties.Parameters`;
    const childOptions: LoadOptions = { ...options, parameterOverrides: ref.parameters(), parametersGivenBy: givenBy, stackName: `${options.stackName ?? 'local'}-${ref.logicalId}` };
    const child = await loadStack(ref.file, childOptions, chain);
    stack.nestedOutputs.set(ref.logicalId, child.outputs);
    loaded.set(ref.logicalId, { path: ref.logicalId, template: child.template });
  }
  // Served and reported in template order, whatever order they were read in.
  return refs.map((ref) => loaded.get(ref.logicalId)!);
}

async function loadStack(path: string, options: LoadOptions, parents: string[]): Promise<{ template: LoadedTemplate; outputs: Record<string, unknown> }> {
  const { file, raw, region, accountId, parameters, stack, warnings } = await readStack(path, options);
  warnings.push(...missingSamTransform(raw, stack));
  // A method whose Condition is false is not created, so no deployment has to wait for it.
  if (isRecord(raw.Resources)) {
    const created = Object.fromEntries(Object.entries(raw.Resources).filter(([id]) => !(id in stack.conditionFalse)));
    warnings.push(...deploymentsBeforeMethods(created), ...stagesCreatedAfterUsers(created, (value, key) => stack.resolve(value, key)));
  }
  const nested = nestedStackRefs(stack);
  // Nested stacks are in their parent's region and account (their templates have no manifest entry of their own).
  const nestedStacks = await loadNested(stack, { ...options, region, accountId }, [...parents, file], nested.refs);
  // The template's own resources, before the SAM transform adds its generated ones.
  const own = { ...stack.resources };
  const detached = detachedApiChildren(stack);
  // SAM's transform of REST APIs first: it adds resources (permissions, usage plans) the rest reads.
  const notEmulated: string[] = [];
  checkGlobals(displayPath(file), raw.Globals);
  const samApis = expandSamApis(stack, raw.Globals, { warnings, notEmulated });
  warnings.push(...expandSamWebSocketApis(stack, raw.Globals));
  expandSamInvokeDestinations(stack, raw.Globals);
  const functions = loadFunctions(stack, raw.Globals, warnings);
  const grants = loadApiGatewayGrants(stack, functions);
  const refusals = { notEmulated, refused: new Set<string>() };
  const apis = loadApis(stack, samApis, warnings, refusals);
  const httpApis = [...loadHttpApis(stack, raw.Globals, functions, warnings, refusals), ...loadFunctionUrls(stack, raw.Globals, functions, refusals)];
  const websocketApis = loadWebSocketApis(stack, refusals);
  // An API refused on its own (per-api.ts) is listed with its reason already; its resource says it is not served.
  const { refused } = refusals;
  // The methods, routes, stages... of an API refused on its own are not served either (their API's reason is listed).
  const refusedParent = (id: string): string | undefined => {
    const res = own[id];
    const ref = res && res.Type.startsWith('AWS::ApiGateway') ? (res.Properties.RestApiId ?? res.Properties.ApiId) : undefined;
    return isRecord(ref) && typeof ref.Ref === 'string' && refused.has(ref.Ref) ? ref.Ref : undefined;
  };
  const queueSources = loadQueueSources(stack, functions, warnings);
  const streamSources = loadStreamSources(stack, functions, warnings);
  const stateMachines = loadStateMachines(stack);
  const kinesisSources = loadKinesisSources(stack, functions, warnings);
  const waf = wafResources(stack);
  // A web ACL associated with an API of another stack filters nothing here: listed, not silently "emulated".
  const strayAssociations = strayWebAclAssociations(waf, apis, region);
  const resources = accountResources(own, (id) => {
    if (refused.has(id)) return { status: 'not-emulated', detail: 'not served (why is listed under the settings not emulated)' };
    const parent = refusedParent(id);
    if (parent !== undefined) return { status: 'not-emulated', detail: `part of API ${parent}, which is not served (why is listed under the settings not emulated)` };
    const stray = strayAssociations.get(id);
    if (stray !== undefined) return { status: 'not-emulated', detail: stray };
    if ([...queueSources, ...streamSources, ...kinesisSources].some((s) => s.id === id)) return { status: 'emulated' };
    const unavailable = functions.get(id)?.unavailable ?? stateMachines.find((m) => m.logicalId === id)?.unavailable;
    if (unavailable) return { status: 'not-emulated', detail: unavailable };
    const why = nested.notLoaded.get(id) ?? detached.get(id);
    return why === undefined ? undefined : { status: 'not-emulated', detail: why };
  }, stack.conditionFalse);
  warnings.push(...dynamicReferences(own));
  // A refused API and a function that cannot run are listed with their reason already.
  warnings.push(...notEmulatedResources(resources.map((g) => ({ ...g, logicalIds: g.logicalIds.filter((id) => !refused.has(id) && refusedParent(id) === undefined && !functions.get(id)?.unavailable) }))));
  const connections = loadConnections(stack);
  const template: LoadedTemplate = {
    path: file,
    region,
    accountId,
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
    functions,
    apis,
    httpApis,
    websocketApis,
    tables: loadTables(stack, warnings),
    queues: loadQueues(stack),
    queueSources,
    streamSources,
    eventRules: loadEventRules(stack, functions, warnings),
    schedulerSchedules: loadSchedulerSchedules(stack, functions, notEmulated),
    schedulerGroups: Object.entries(stack.resources).filter(([, r]) => r.Type === 'AWS::Scheduler::ScheduleGroup').map(([id]) => stack.physicalName(id)),
    buckets: loadBuckets(stack),
    stateMachines,
    kinesisStreams: loadKinesisStreams(stack),
    kinesisSources,
    pipes: loadPipes(stack),
    bucketNotifications: loadBucketNotifications(stack, functions),
    topics: loadTopics(stack),
    ssmParameters: loadSsmParameters(stack, warnings),
    subscriptions: loadSubscriptions(stack, functions),
    apiDestinations: loadApiDestinations(stack, connections),
    eventConnections: connections,
    eventBuses: Object.entries(stack.resources).filter(([, r]) => r.Type === 'AWS::Events::EventBus').map(([id]) => stack.physicalName(id)),
    identity: loadIdentity(stack, warnings),
    wafResources: waf,
    resources,
    routeOnlyFunctions: routeOnlyFunctions(own, raw.Outputs, parents.length > 0),
    warnings: [...warnings, ...stack.warnings, ...stack.unresolved.values()],
    notEmulated,
    functionForUri: (uri) => functionForUri(functions, uri),
    apiGatewayMayInvoke: (functionLogicalId, sourceArn) => mayInvoke(grants, functionLogicalId, sourceArn),
    apiGatewayMayInvokeOther: (references, sourceArn) => mayInvokeOther(grants, references, sourceArn),
  };
  if (nestedStacks.length > 0) template.nestedStacks = nestedStacks;
  // Last, so that what a loader reported on a reference is not repeated.
  checkReferences(stack, raw, own, [...(template.warnings ?? []), ...notEmulated], notEmulated);
  template.stack = describeStack(stack, raw, template.parameters);
  return { template, outputs: resolvedOutputs(stack, raw.Outputs) };
}

/** The keys a SAM resource keeps (samtranslator/model Resource: its supported attributes, and SAM's own). */
const SAM_RESOURCE_KEYS = new Set(['Type', 'Properties', 'Metadata', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdatePolicy', 'UpdateReplacePolicy', 'IgnoreGlobals', 'Connectors']);

function rawResources(section: unknown, file: string, warnings: string[]): Record<string, RawResource> {
  if (section === undefined || section === null) throw new TemplateError(file, 'Resources', 'is required');
  // A list (of a preprocessor's includes, say) was refused as missing, which sent the reader looking for no section.
  if (!isRecord(section)) throw new TemplateError(file, 'Resources', `must be a map of logical ids to resources, got ${Array.isArray(section) ? 'a list' : `a ${typeof section}`}`);
  const out: Record<string, RawResource> = {};
  for (const [id, res] of Object.entries(section)) {
    if (!isRecord(res) || typeof res.Type !== 'string') throw new TemplateError(file, `Resources.${id}.Type`, 'is required');
    // A property written beside Properties instead of under it: SAM's transform drops it without a word.
    const stray = res.Type.startsWith('AWS::Serverless::') ? Object.keys(res).filter((k) => !SAM_RESOURCE_KEYS.has(k)) : [];
    for (const key of stray) warnings.push(`Resources.${id}.${key}: not under Properties: SAM's transform drops a resource key it does not know, so it applies neither on AWS nor here`);
    if (isRecord(res.Properties)) checkSamProperties(file, id, res.Type, res.Properties);
    out[id] = {
      Type: res.Type,
      Properties: isRecord(res.Properties) ? res.Properties : {},
      ...(isRecord(res.Metadata) ? { Metadata: res.Metadata } : {}),
      ...(typeof res.Condition === 'string' ? { Condition: res.Condition } : {}),
      // What CloudFormation creates first: nested stacks' load order and a deployment's snapshot read it.
      ...(res.DependsOn !== undefined ? { DependsOn: res.DependsOn } : {}),
    };
  }
  return out;
}

/** WAFv2 resources, resolved, for emulator/waf/ (W1): web ACLs reach a stage through their association. */
function wafResources(stack: Stack): NonNullable<LoadedTemplate['wafResources']> {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type.startsWith('AWS::WAFv2::'))
    .map(([logicalId, res]) => ({ logicalId, type: res.Type, properties: stack.resolve(res.Properties, `Resources.${logicalId}.Properties`) as Record<string, unknown> }));
}

/** What the template declares and the emulator cannot do, one warning per resource. */
function notEmulatedResources(groups: ResourceGroup[]): string[] {
  return groups.filter((g) => g.status === 'not-emulated').flatMap((g) => g.logicalIds.map((id) => `Resources.${id} (${g.type}): ${g.detail}`));
}
