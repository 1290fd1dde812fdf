/** What the emulator prints: the startup report (never fail silently) and one line per request. */
import type { RunningEmulator, ServedApi } from './app.js';
import type { LoadedTemplate } from './template/model.js';
import { securitySchemes } from './gateway/identity.js';
import { nodeVersionWarning } from './lambda/node-version.js';
import type { RequestLogEntry, RouteInfo, SupportItem } from './gateway/types.js';
import type { AccessLogLine } from './gateway/access-log.js';
import { displayPath } from './template/apis.js';
import type { ResourceGroup } from './template/resources.js';
import { stacksOf } from './template/nested.js';

/** One spelling of each status across the report: `NOT EMULATED`, as the routes and template settings say it. */
function statusLabel(status: string): string {
  return status.replace('-', ' ').toUpperCase();
}

/**
 * The gateway's own command for a tool, with the template it was started on when that is not the tools' default:
 * the report is read in any project, where npm scripts such as the Task API's `npm run keys` do not exist.
 */
function toolCommand(emulator: RunningEmulator, tool: 'token' | 'keys' | 'usage'): string {
  const template = displayPath(emulator.template.path);
  const arg = /^[\w./-]+$/.test(template) ? template : shellQuote(template);
  return `npx sam-local-gateway ${tool}${template === 'template.yaml' ? '' : ` -t ${arg}`}`;
}

const KIND_LABEL = { rest: 'API', http: 'HTTP API', websocket: 'WebSocket API' } as const;
const NO_ROUTES = {
  // CreateDeployment refuses a REST API without a method (aws-sam issue 2129): such a template does not deploy.
  rest: 'every request answers 403 Missing Authentication Token (R8.9); on AWS its deployment fails: "The REST API doesn\'t contain any methods"',
  http: 'every request answers 404 Not Found (H10.1)',
  websocket: 'every connection is accepted and every message answered {"message": "Forbidden"}',
} as const;

function routeLine(route: RouteInfo): string {
  const target = route.functionLogicalId ? ` -> ${route.functionLogicalId}` : '';
  const auth = route.authorizer ? ` auth=${route.authorizer}` : '';
  const key = route.apiKeyRequired ? ' api-key' : '';
  const mark = route.emulated ? 'emulated    ' : 'NOT EMULATED';
  const detail = route.detail ? ` (${route.detail})` : '';
  return `  ${mark} ${route.method.padEnd(7)} ${route.path.padEnd(32)} ${route.integration}${target}${auth}${key}${detail}`;
}

/**
 * One line per key, status and reason, counted: items that share a key but not a reason (two authorizers not emulated
 * for different reasons) get a line each, so no reason is hidden behind the first one's.
 */
export function supportLines(items: SupportItem[]): string[] {
  const grouped = new Map<string, { status: SupportItem['status']; subject: string; count: number; detail?: string }>();
  for (const item of items) {
    const key = JSON.stringify([item.status, item.subject, item.detail ?? '']);
    const seen = grouped.get(key);
    if (seen) seen.count += 1;
    else grouped.set(key, { status: item.status, subject: item.subject, count: 1, ...(item.detail ? { detail: item.detail } : {}) });
  }
  const order = { 'not-emulated': 0, ignored: 1, emulated: 2 } as const;
  return [...grouped.values()]
    .sort((x, y) => order[x.status] - order[y.status] || x.subject.localeCompare(y.subject) || (x.detail ?? '').localeCompare(y.detail ?? ''))
    .map(({ status, subject, count, detail }) => {
      const times = count > 1 ? ` (x${count})` : '';
      return `  ${statusLabel(status).padEnd(12)} ${subject}${times}${detail ? ` - ${detail}` : ''}`;
    });
}

/** Every resource of the template, by type: status, logical ids (the first few), and why when not emulated. */
function resourceLines(groups: ResourceGroup[]): string[] {
  const count = groups.reduce((n, g) => n + g.logicalIds.length, 0);
  if (count === 0) return [];
  const ids = (list: string[]) => (list.length > 4 ? `${list.slice(0, 4).join(', ')} and ${list.length - 4} more` : list.join(', '));
  return [
    `Resources (${count}):`,
    ...groups.map((g) => `  ${statusLabel(g.status).padEnd(12)} ${g.type}: ${ids(g.logicalIds)}${g.detail ? ` - ${g.detail}` : ''}`),
  ];
}

/** A Cognito-protected route of the API (GET without path parameters preferred), for the curl example. */
function cognitoRoute(emulator: RunningEmulator, api: ServedApi): RouteInfo | undefined {
  const doc = emulator.template.apis.find((a) => a.logicalId === api.logicalId)?.openapi;
  if (!doc) return undefined;
  const schemes = securitySchemes(doc);
  const isCognito = (name: string) => {
    const authorizer = schemes[name]?.['x-amazon-apigateway-authorizer'] as Record<string, unknown> | undefined;
    return String(authorizer?.type ?? '').toLowerCase() === 'cognito_user_pools';
  };
  // An ID token only passes methods that list no scopes (R7.22): those come first.
  const scoped = (r: RouteInfo) => {
    const operation = doc.paths?.[r.path]?.[r.method === 'ANY' ? 'x-amazon-apigateway-any-method' : r.method.toLowerCase()] as { security?: unknown } | undefined;
    const requirements = Array.isArray(operation?.security) ? (operation.security as Record<string, unknown>[]) : [];
    return requirements.some((req) => Array.isArray(req?.[r.authorizer ?? '']) && (req[r.authorizer ?? ''] as unknown[]).length > 0);
  };
  const candidates = api.routes.filter((r) => r.emulated && r.authorizer !== undefined && isCognito(r.authorizer));
  // A CORS preflight (SAM puts the default authorizer on it, AddDefaultAuthorizerToCorsPreflight) answers headers
  // only: any other method shows more of the API.
  const rank = (r: RouteInfo) => (r.method === 'OPTIONS' ? 8 : 0) + (scoped(r) ? 4 : 0) + (r.method === 'GET' ? 0 : 2) + (r.path.includes('{') ? 1 : 0);
  return candidates.sort((a, b) => rank(a) - rank(b))[0];
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A copy-paste request with a freshly minted ID token (and the API key when the route needs one). */
function curlExample(emulator: RunningEmulator): string[] {
  for (const api of emulator.apis) {
    const route = cognitoRoute(emulator, api);
    if (!route) continue;
    let token: string;
    try {
      token = emulator.issueToken({ sub: 'local-user', email: 'local-user@example.com' });
    } catch (error) {
      return [`  (no example: cannot mint a token: ${(error as Error).message})`];
    }
    const path = route.path.replace(/\{([^}+]+)\+?\}/g, '$1');
    const key = route.apiKeyRequired && api.apiKey ? ` -H ${shellQuote(`x-api-key: ${api.apiKey}`)}` : '';
    const method = route.method === 'GET' || route.method === 'ANY' ? '' : ` -X ${route.method}`;
    // An https:// URL served with the user's (often self-signed) certificate: curl must be told to trust it.
    const ca = api.url.startsWith('https:') && emulator.caFile ? ` --cacert ${shellQuote(emulator.caFile)}` : '';
    return [
      `  ID token for sub "local-user", valid 1 h; mint others with: ${toolCommand(emulator, 'token')} --sub <id>`,
      `  curl${ca}${method}${key} -H ${shellQuote(`Authorization: ${token}`)} ${api.url}${path}`,
    ];
  }
  return [];
}

/** How to call the IAM (AWS_IAM) routes: SigV4 for execute-api in the template's region with the key above. */
function iamLines(emulator: RunningEmulator): string[] {
  const api = emulator.apis.find((a) => a.routes.some((r) => r.iam && r.emulated));
  if (!api) return [];
  const route = api.routes.find((r) => r.iam && r.emulated)!;
  const path = route.path.replace(/\{([^}+]+)\+?\}/g, '$1');
  const { accessKeyId, secretAccessKey } = emulator.credentials;
  // A function URL is signed for Lambda; its only route is $default, called here with GET.
  const service = api.functionUrl ? 'lambda' : 'execute-api';
  const verb = ['GET', 'ANY', '$default'].includes(route.method) ? '' : ` -X ${route.method}`;
  return [
    `IAM (AWS_IAM) routes: sign for service ${service}, region ${emulator.template.region}, with the key above (IAM policies are not evaluated), e.g.:`,
    `  awscurl --service ${service} --region ${emulator.template.region} --access_key ${accessKeyId} --secret_key ${shellQuote(secretAccessKey)}${verb} ${api.url}${path}`,
  ];
}

function identityLines(emulator: RunningEmulator): string[] {
  const lines: string[] = [];
  // Each line names the key, not its plan: a plan may have several keys, and a key several plans.
  if (emulator.apiKeyLines.length > 0) {
    const fromAuthorizer = emulator.apis.filter((a) => a.support.some((s) => s.subject === 'x-amazon-apigateway-api-key-source' && s.detail?.startsWith('AUTHORIZER'))).map((a) => a.logicalId);
    const elsewhere = fromAuthorizer.length ? `, but to ${fromAuthorizer.join(', ')} (key source AUTHORIZER) as its Lambda authorizer's usageIdentifierKey` : '';
    lines.push(`API keys (send as x-api-key${elsewhere}; \`${toolCommand(emulator, 'keys')}\` prints them as JSON by usage plan; values in ${emulator.localDir}):`);
    lines.push(...emulator.apiKeyLines.map((line) => `  ${line}`));
  }
  if (emulator.usagePlans.length > 0) lines.push(`Usage plans (throttle and quota EMULATED; \`${toolCommand(emulator, 'usage')}\` prints usage per key and day):`, ...emulator.usagePlans.map((l) => `  ${l}`));
  const example = curlExample(emulator);
  if (example.length > 0) lines.push('Try it:', ...example);
  return lines;
}

/** The report printed once ready: URLs, every route, every x-amazon-apigateway-* key, every resource, keys and an example. */
export function formatStartupReport(emulator: RunningEmulator, startupMs: number): string {
  const lines: string[] = [];
  for (const api of emulator.apis) {
    lines.push(api.functionUrl ? `Function URL ${api.logicalId} (${api.functionUrl})` : `${KIND_LABEL[api.kind]} ${api.logicalId} (stage ${api.stageName})`);
    // SAM's "Stage" stage (no OpenApiVersion): the same routes, none of the stage's settings (gateway/stages.ts).
    for (const url of api.extraStageUrls ?? []) lines.push(`  also stage ${url.slice(url.lastIndexOf('/') + 1)}: ${url} (SAM's deployment creates it without OpenApiVersion: the same routes; no stage variables, method settings, cache or usage plan of its own)`);
    lines.push('Routes:');
    lines.push(...api.routes.map(routeLine));
    // An API without methods or routes still answers, as API Gateway does: each request is unmatched (R8.9, H10.1).
    if (api.routes.length === 0) lines.push(`  (none: ${NO_ROUTES[api.kind]})`);
    lines.push(api.kind === 'rest' ? 'x-amazon-apigateway-* keys:' : 'Settings:');
    const support = supportLines(api.support);
    // A heading with nothing under it read as if the list had been lost.
    lines.push(...(support.length ? support : ['  (none: nothing declared beyond the routes above)']));
    lines.push(api.docsUrl ? `Docs: ${api.docsUrl} (Swagger UI of this API; "Try it out" calls this stage)` : `Docs: not served (${api.docsNotServed ?? 'no page'})`);
  }
  lines.push(...resourceLines(emulator.template.resources ?? []));
  for (const { path, template } of stacksOf(emulator.template).slice(1)) {
    // Only a stack that serves an API of its own says where it is listed (a stack of functions or a VPC has none).
    const ownApi = emulator.apis.some((a) => a.logicalId.startsWith(path) && !a.logicalId.slice(path.length).includes('/'));
    lines.push(`Nested stack ${path.slice(0, -1)} (${displayPath(template.path)}): ${ownApi ? `its APIs are listed above as ${path}<Api>` : 'no API of its own'}`);
    lines.push(...resourceLines(template.resources ?? []).map((l) => `  ${l}`));
    const own = [...(template.notEmulated ?? []).map((w) => `NOT EMULATED ${w}`), ...(template.warnings ?? []).map((w) => `NOT APPLIED  ${w}`)];
    lines.push(...own.map((w) => `  ${w}`));
  }
  // A note of several lines (a build's output) stays under its function, indented past the notes' own margin.
  if (emulator.functionNotes.length > 0) lines.push('Functions:', ...emulator.functionNotes.map((n) => `  ${n.replace(/\n/g, '\n    ')}`));
  const nodeWarning = nodeVersionWarning(emulator.template.functions.values());
  if (nodeWarning) lines.push(nodeWarning);
  const notEmulated = emulator.template.notEmulated ?? [];
  if (notEmulated.length > 0) lines.push('Template settings the emulator does not emulate:', ...notEmulated.map((w) => `  NOT EMULATED ${w}`));
  const warnings = emulator.template.warnings ?? [];
  if (warnings.length > 0) {
    lines.push('Template settings the emulator does not apply:');
    lines.push(...warnings.map((w) => `  NOT APPLIED  ${w}`));
  }
  if (emulator.ssmNotes.length > 0) lines.push('SSM parameters (embedded Parameter Store: GetParameter(s), GetParametersByPath, PutParameter...):', ...emulator.ssmNotes.map((n) => `  ${n}`));
  if (emulator.topicNotes.length > 0) lines.push('SNS topics (embedded SNS; Publish delivers to function and queue subscriptions):', ...emulator.topicNotes.map((n) => `  ${n}`));
  if (emulator.streamNotes.length > 0) lines.push('DynamoDB streams (each write to these tables reaches their event sources):', ...emulator.streamNotes.map((n) => `  ${n}`));
  if (emulator.asyncNotes.length > 0) lines.push('Asynchronous invocations (S3, SNS, EventBridge deliveries and Invoke Event: retries, destinations, dead-letter queues):', ...emulator.asyncNotes.map((n) => `  ${n}`));
  if (emulator.pipeNotes.length > 0) lines.push('EventBridge pipes (their sources read as event sources are; enrichment and target on the embedded services):', ...emulator.pipeNotes.map((n) => `  ${n}`));
  if (emulator.kinesisNotes.length > 0) lines.push('Kinesis streams (embedded Kinesis; records put reach their event sources):', ...emulator.kinesisNotes.map((n) => `  ${n}`));
  if (emulator.stateMachineNotes.length > 0) lines.push('State machines (embedded Step Functions; StartExecution runs them, tasks reach the functions and embedded services):', ...emulator.stateMachineNotes.map((n) => `  ${n}`));
  if (emulator.bucketNotes.length > 0) lines.push('S3 buckets (embedded S3; uploads and deletes notify functions, queues, topics and EventBridge):', ...emulator.bucketNotes.map((n) => `  ${n}`));
  if (emulator.eventNotes.length > 0) lines.push('EventBridge rules (embedded event buses; PutEvents delivers to each rule\'s targets):', ...emulator.eventNotes.map((n) => `  ${n}`));
  if (emulator.queueNotes.length > 0) lines.push(`SQS queues (embedded SQS; event sources polled as Lambda polls them):`, ...emulator.queueNotes.map((n) => `  ${n}`));
  if (emulator.cloudFormationNotes.length > 0) lines.push(`CloudFormation stacks (embedded CloudFormation, read-only: DescribeStacks, ListExports, ListStackResources, DescribeStackResource(s); a SAM app's integration tests: AWS_SAM_STACK_NAME=${emulator.template.stack?.name ?? 'local'} with the endpoint and credentials below):`, ...emulator.cloudFormationNotes.map((n) => `  ${n}`));
  lines.push('Services:');
  for (const [name, endpoint] of Object.entries(emulator.services)) lines.push(`  ${name}=${endpoint}`);
  lines.push(`  AWS_ENDPOINT_URL=${emulator.notServedUrl}/fn/<function> (any other AWS service: fails fast with NotImplemented)`);
  lines.push(`  Requests to these endpoints must be signed with the functions' local credentials (kept in ${emulator.localDir}):`);
  lines.push(`  AWS_ACCESS_KEY_ID=${emulator.credentials.accessKeyId}`, `  AWS_SECRET_ACCESS_KEY=${emulator.credentials.secretAccessKey}`);
  lines.push(...iamLines(emulator));
  lines.push(...identityLines(emulator));
  for (const api of emulator.apis) lines.push(`ready: ${api.url} (${api.logicalId}, started in ${Math.round(startupMs)} ms)`);
  if (emulator.lambdaUrl) {
    lines.push(...lambdaApiLines(emulator, emulator.lambdaUrl));
    lines.push(`ready: ${emulator.lambdaUrl} (Lambda Invoke API, started in ${Math.round(startupMs)} ms)`);
  }
  // A template of event sources only: ready once its pollers and buses run (send to its queues or buses with the keys above).
  else if (emulator.apis.length === 0) lines.push(`ready: no API; the event sources, subscriptions, rules, pipes and state machines above run (started in ${Math.round(startupMs)} ms)`);
  return lines.join('\n');
}

/** `start-lambda`: the functions its Invoke API serves, by the names it takes, and a command line to call one. */
function lambdaApiLines(emulator: RunningEmulator, url: string): string[] {
  const functions = stacksOf(emulator.template).flatMap(({ path, template }) => [...template.functions.values()].map((fn) => ({ id: `${path}${fn.logicalId}`, fn })));
  return [
    `Lambda Invoke API (as sam local start-lambda; any credentials sign its requests): ${url}/2015-03-31/functions/<function>/invocations`,
    ...functions.map(({ id, fn }) => `  ${id} (FunctionName ${fn.functionName}, ${fn.runtime})`),
    `  aws lambda invoke --endpoint-url ${url} --function-name ${functions[0]?.id ?? '<function>'} --payload '{}' --cli-binary-format raw-in-base64-out out.json`,
  ];
}

/** A stage's access log line (H11.5), under the log group AWS would write it to. */
export function formatAccessLogLine(entry: AccessLogLine): string {
  return `  access log ${entry.destination}: ${entry.line}`;
}

/** The request log's status for a request its client abandoned (nginx's "client closed request"): nothing was sent. */
export const CLIENT_CLOSED_STATUS = 499;

/** One line per request: method, path, status, latency, function, cold or warm (or why nothing was answered). */
export function formatRequestLine(entry: RequestLogEntry): string {
  if (entry.clientClosed) return `${entry.method} ${entry.path} ${entry.status} ${entry.latencyMs.toFixed(1)}ms (client closed the connection before its request was complete; nothing answered)`;
  const fn = entry.functionLogicalId ? ` ${entry.functionLogicalId}${entry.cold === undefined ? '' : entry.cold ? ' (cold)' : ' (warm)'}` : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.latencyMs.toFixed(1)}ms${fn}`;
}

/** One line for the warmed environments, one per function whose init failed (its requests will fail as on Lambda). */
export function warmNotes(results: { logicalId: string; error?: string }[]): string[] {
  const failed = results.filter((r) => r.error);
  return [
    `--warm-containers EAGER: ${results.length - failed.length} of ${results.length} functions initialized before serving`,
    ...failed.map((r) => `--warm-containers EAGER: ${r.logicalId} failed its init phase (${r.error}); each request to it starts a new environment`),
  ];
}

/** Each function's ReservedConcurrentExecutions, applied as Lambda applies it (lambda/runtime.ts). */
export function reservedNotes(template: LoadedTemplate): string[] {
  return [...template.functions.values()].flatMap((fn) =>
    fn.reservedConcurrency === undefined ? [] : [`${fn.logicalId}: ReservedConcurrentExecutions ${fn.reservedConcurrency}: ${fn.reservedConcurrency === 0 ? 'every invocation is throttled' : `at most ${fn.reservedConcurrency} at once, the others throttled`} (TooManyRequestsException; 500 on an API route, 429 on a function URL)`],
  );
}
