/**
 * The embedded CloudFormation endpoint, read-only: the query protocol CloudFormation's SDKs speak
 * (`Action=DescribeStacks&Version=2010-05-15&StackName=...`, form-encoded), answered in CloudFormation's XML, so that a
 * SAM app's integration tests find their API as they do on AWS (DescribeStacks, then the output naming its URL). The
 * stacks are the template's (the root and its nested stacks, as template/outputs.ts describes them), their outputs'
 * execute-api and function URLs rewritten to the local ones; their resources with the physical ids the emulator uses
 * (ListStackResources, DescribeStackResource(s)), so that tests finding a state machine or a table by its logical id
 * reach the local one. Only requests signed with the local credentials are served (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listenDual } from '../h2c.js';
import { queryRefusal, type Refusal } from '../guard.js';
import { guardedHandler, type ReadFailure } from '../request-body.js';
import type { LocalCredentials } from '../sigv4.js';
import type { StackDescription } from '../../template/outputs.js';
import type { StackResource } from '../../template/stack-resources.js';
import type { LoadedTemplate } from '../../template/model.js';

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** The actions served; any other is answered as CloudFormation answers an action it lacks, and logged. */
const SERVED = ['DescribeStacks', 'ListExports', 'ListStackResources', 'DescribeStackResources', 'DescribeStackResource'];

export interface CloudFormationStack {
  description: StackDescription;
  /** A nested stack's parent's and root's StackId (DescribeStacks' ParentId and RootId). */
  parentId?: string;
  rootId?: string;
}

export interface CloudFormationServer {
  /** e.g. http://127.0.0.1:41237, the value for AWS_ENDPOINT_URL_CLOUDFORMATION */
  url: string;
  close(): Promise<void>;
}

export interface CloudFormationOptions {
  credentials: LocalCredentials;
  /** What a deployed value becomes locally (local-api-urls.ts: execute-api and function URLs to the local ports). */
  localValue?: (value: string) => string;
  /** DescribeStacks' CreationTime (when the emulator started). */
  createdAt?: Date;
  port?: number;
  log?: (line: string) => void;
}

class CloudFormationError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** Starts the embedded CloudFormation endpoint (DescribeStacks, ListExports, the stacks' resources) over the template's stacks. */
export async function startCloudFormation(stacks: CloudFormationStack[], options: CloudFormationOptions): Promise<CloudFormationServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const context: Context = { stacks, localValue: options.localValue ?? ((v) => v), createdAt: (options.createdAt ?? new Date()).toISOString(), log };
  const handler = guardedHandler('CloudFormation', (req, res, body) => answer(req, res, body, context), { guard: { credentials: options.credentials }, contentType: 'text/xml', answerRefusal: refusalAnswer });
  const server = await listenDual(handler, options.port);
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

interface Context {
  stacks: CloudFormationStack[];
  localValue: (value: string) => string;
  createdAt: string;
  log: (line: string) => void;
}

/** The request's parameters: the form body (POST, as the SDKs send them) over the query string. */
function parameters(req: IncomingMessage, body: string): URLSearchParams {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  return params;
}

function answer(req: IncomingMessage, res: ServerResponse, body: string, context: Context): void {
  const params = parameters(req, body);
  const action = params.get('Action') ?? '';
  try {
    if (action === 'DescribeStacks') return ok(res, action, `<Stacks>${selected(params.get('StackName'), context).map((s) => stackXml(s, context)).join('')}</Stacks>`);
    if (action === 'ListExports') return ok(res, action, `<Exports>${exportsXml(context)}</Exports>`);
    if (action === 'ListStackResources') return ok(res, action, `<StackResourceSummaries>${listStackResources(params, context)}</StackResourceSummaries>`);
    if (action === 'DescribeStackResources') return ok(res, action, `<StackResources>${describeStackResources(params, context)}</StackResources>`);
    if (action === 'DescribeStackResource') return ok(res, action, describeStackResource(params, context));
    context.log(`emulator: CloudFormation ${action || '(no Action)'} was called; the local CloudFormation serves ${SERVED.join(', ')} only (answered InvalidAction)`);
    throw new CloudFormationError('InvalidAction', `Could not find operation ${action || '(none)'} for version 2010-05-15 (the local emulator's CloudFormation serves ${SERVED.join(', ')})`);
  } catch (error) {
    if (!(error instanceof CloudFormationError)) throw error;
    fail(res, error.status, error.code, error.message);
  }
}

/** The stacks DescribeStacks names: all of them without StackName, else the one whose name or StackId it is. */
function selected(stackName: string | null, context: Context): CloudFormationStack[] {
  if (stackName === null || stackName === '') return context.stacks;
  const found = context.stacks.find((s) => s.description.name === stackName || s.description.id === stackName);
  if (!found) throw new CloudFormationError('ValidationError', `Stack with id ${stackName} does not exist`);
  return [found];
}

function stackXml(stack: CloudFormationStack, context: Context): string {
  const { description: d } = stack;
  const parameters = Object.entries(d.parameters).map(([key, value]) => `<member><ParameterKey>${escape(key)}</ParameterKey><ParameterValue>${escape(value)}</ParameterValue></member>`);
  const outputs = d.outputs.flatMap((o) =>
    o.value === undefined
      ? []
      : [`<member><OutputKey>${escape(o.key)}</OutputKey><OutputValue>${escape(context.localValue(o.value))}</OutputValue>${element('Description', o.description)}${element('ExportName', o.exportName)}</member>`],
  );
  return `<member><StackId>${escape(d.id)}</StackId><StackName>${escape(d.name)}</StackName>${element('Description', d.description)}<Parameters>${parameters.join('')}</Parameters><CreationTime>${context.createdAt}</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><DisableRollback>false</DisableRollback><NotificationARNs/><Capabilities/><Outputs>${outputs.join('')}</Outputs><Tags/><EnableTerminationProtection>false</EnableTerminationProtection>${element('ParentId', stack.parentId)}${element('RootId', stack.rootId)}<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation></member>`;
}

function exportsXml(context: Context): string {
  return context.stacks
    .flatMap(({ description: d }) => d.outputs.filter((o) => o.exportName !== undefined && o.value !== undefined).map((o) => `<member><ExportingStackId>${escape(d.id)}</ExportingStackId><Name>${escape(o.exportName!)}</Name><Value>${escape(context.localValue(o.value!))}</Value></member>`))
    .join('');
}

/** ListStackResources: every resource of the named stack (StackName is required), each CREATE_COMPLETE. */
function listStackResources(params: URLSearchParams, context: Context): string {
  const stack = named(params.get('StackName'), context);
  return stack.description.resources.map((r) => `<member>${resourceXml(r, context)}<LastUpdatedTimestamp>${context.createdAt}</LastUpdatedTimestamp>${RESOURCE_STATUS}</member>`).join('');
}

/**
 * DescribeStackResources: every resource of the stack StackName names, or of the stack PhysicalResourceId's resource
 * belongs to (one of the two, not both), LogicalResourceId narrowing them.
 */
function describeStackResources(params: URLSearchParams, context: Context): string {
  const stackName = params.get('StackName');
  const physicalId = params.get('PhysicalResourceId');
  const logicalId = params.get('LogicalResourceId');
  if (stackName && physicalId) throw new CloudFormationError('ValidationError', 'Cannot specify both StackName and PhysicalResourceId');
  let stack: CloudFormationStack | undefined;
  if (stackName) stack = named(stackName, context);
  else if (physicalId) stack = context.stacks.find((s) => s.description.resources.some((r) => r.physicalId !== undefined && context.localValue(r.physicalId) === physicalId));
  else throw new CloudFormationError('ValidationError', 'Either StackName or PhysicalResourceId must be specified');
  if (!stack) throw new CloudFormationError('ValidationError', `Stack for ${physicalId} does not exist`);
  const { description: d } = stack;
  return d.resources
    .filter((r) => (logicalId ? r.logicalId === logicalId : true))
    .map((r) => `<member><StackName>${escape(d.name)}</StackName><StackId>${escape(d.id)}</StackId>${resourceXml(r, context)}<Timestamp>${context.createdAt}</Timestamp>${RESOURCE_STATUS}</member>`)
    .join('');
}

/** DescribeStackResource: one resource by StackName and LogicalResourceId (both required). */
function describeStackResource(params: URLSearchParams, context: Context): string {
  const { description: d } = named(params.get('StackName'), context);
  const logicalId = params.get('LogicalResourceId') ?? '';
  const resource = d.resources.find((r) => r.logicalId === logicalId);
  if (!resource) throw new CloudFormationError('ValidationError', `Resource ${logicalId} does not exist for stack ${d.name}`);
  return `<StackResourceDetail><StackName>${escape(d.name)}</StackName><StackId>${escape(d.id)}</StackId>${resourceXml(resource, context)}<LastUpdatedTimestamp>${context.createdAt}</LastUpdatedTimestamp>${RESOURCE_STATUS}</StackResourceDetail>`;
}

/** The one stack a resource action names by its StackName (required there) or StackId. */
function named(stackName: string | null, context: Context): CloudFormationStack {
  if (!stackName) throw new CloudFormationError('ValidationError', '1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
  return selected(stackName, context)[0]!;
}

const RESOURCE_STATUS = '<ResourceStatus>CREATE_COMPLETE</ResourceStatus><DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation>';

function resourceXml(resource: StackResource, context: Context): string {
  const physical = resource.physicalId === undefined ? undefined : context.localValue(resource.physicalId);
  return `<LogicalResourceId>${escape(resource.logicalId)}</LogicalResourceId>${element('PhysicalResourceId', physical)}<ResourceType>${escape(resource.type)}</ResourceType>`;
}

const element = (name: string, value: string | undefined): string => (value === undefined ? '' : `<${name}>${escape(value)}</${name}>`);

function ok(res: ServerResponse, action: string, result: string): void {
  const requestId = randomUUID();
  send(res, 200, `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`, requestId);
}

/** CloudFormation's error document: `<ErrorResponse><Error><Type>Sender</Type><Code>...` (the SDKs read Code and Message). */
function fail(res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  send(res, status, `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`, requestId);
}

/** A request the guard refuses (unsigned, badly signed, from a web page), in the same XML with the query protocol's codes. */
function refusalAnswer(_req: IncomingMessage, res: ServerResponse, refused: Refusal | ReadFailure): void {
  const { status, code, message } = queryRefusal(refused);
  fail(res, status, code, message);
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
const escape = (text: string): string => text.replace(/[<>&'"]/g, (c) => ENTITIES[c] as string);

/** The template's stacks (root first, then each nested stack with its parent's and root's ids), as DescribeStacks lists them. */
export function cloudFormationStacks(stacks: { path: string; template: LoadedTemplate }[]): CloudFormationStack[] {
  const ids = new Map(stacks.map(({ path, template }) => [path, template.stack?.id]));
  const rootId = ids.get('');
  return stacks.flatMap(({ path, template }) => {
    if (!template.stack) return [];
    // `Child/Grandchild/` is the nested stack of `Child/`.
    const parentId = path === '' ? undefined : ids.get(path.replace(/[^/]+\/$/, ''));
    return [{ description: template.stack, ...(parentId && rootId ? { parentId, rootId } : {}) }];
  });
}

/**
 * The start report's lines: each stack by the name DescribeStacks takes, its outputs as served, those not resolved
 * locally, and what `urlNote` says of a local value (a URL under a stage its port does not serve).
 */
export function cloudFormationNotes(stacks: CloudFormationStack[], localValue: (value: string) => string, urlNote: (local: string) => string | undefined = () => undefined): string[] {
  return stacks.flatMap(({ description: d, parentId }) => [
    `${d.name}${parentId ? ' (nested stack)' : ''}: ${d.outputs.length === 0 ? 'no Outputs' : `${d.outputs.length} output(s)`}`,
    ...d.outputs.map((o) => {
      const value = o.value === undefined ? '(absent)' : localValue(o.value);
      const note = o.value === undefined ? undefined : urlNote(value);
      return `  ${o.key} = ${value}${o.exportName ? ` (export ${o.exportName})` : ''}${o.unresolved ? `: NOT RESOLVED ${o.unresolved}` : ''}${note ? `: ${note}` : ''}`;
    }),
  ]);
}

/**
 * The template's stacks on the embedded CloudFormation (AWS_ENDPOINT_URL_CLOUDFORMATION in `environment`, its closer
 * in `closers`); gives the start report's lines, to read once the APIs listen (their local URLs are known then).
 */
export async function serveStacks(stacks: { path: string; template: LoadedTemplate }[], options: CloudFormationOptions, closers: (() => Promise<void>)[], environment: Record<string, string>): Promise<(urlNote?: (local: string) => string | undefined) => string[]> {
  const described = cloudFormationStacks(stacks);
  const server = await startCloudFormation(described, options);
  closers.push(() => server.close());
  environment.AWS_ENDPOINT_URL_CLOUDFORMATION = server.url;
  return (urlNote) => cloudFormationNotes(described, options.localValue ?? ((v) => v), urlNote);
}
