/**
 * The template's state machines on the embedded Step Functions, on a loopback port of its own (the functions'
 * AWS_ENDPOINT_URL_SFN): tasks invoke the stacks' functions, call the embedded DynamoDB, SQS, SNS and EventBridge, and
 * the template's APIs on their local ports (apigateway:invoke), HTTPS endpoints with the template's connections (http:invoke).
 */
import { errorDocument } from '../../lambda/error-document.js';
import type { LambdaInvoker } from '../../lambda/types.js';
import type { LoadedTemplate } from '../../template/model.js';
import { randomUUID } from 'node:crypto';
import { callDynamoDb, type DynamoDbTarget } from '../dynamodb.js';
import { functionNameOf, functionNamed } from '../lambda-api.js';
import type { EventBuses } from '../eventbridge/bus.js';
import type { StateMachineTargets } from '../eventbridge/targets.js';
import { PutEventsError } from '../eventbridge/bus.js';
import type { LocalCredentials } from '../sigv4.js';
import { SnsError, type SnsTopics } from '../sns/topics.js';
import { sqsClient, SqsCallError } from '../sqs/client.js';
import { checkDefinition } from './definition.js';
import { StepFunctions, type ExecutionReport, type OtherServices } from './executions.js';
import type { Json } from './json.js';
import { callS3 } from './s3-calls.js';
import { startStepFunctions } from './server.js';
import { ServiceCallError, type FunctionAnswer } from './task-resources.js';
import { OAuthTokens, type ConnectionUse } from '../eventbridge/connection-auth.js';
import { loadJsonata } from './jsonata.js';

export interface StateMachineStack {
  path: string;
  template: LoadedTemplate;
}

/** What the tasks reach: the embedded services, the credentials, the template's APIs by id once they listen. */
export interface StateMachineDeps {
  dynamodb: DynamoDbTarget;
  sqsUrl?: string;
  s3Url?: string;
  credentials: LocalCredentials;
  topics?: SnsTopics;
  bus?: EventBuses;
  /** Each template API's local origin by API id, filled as each listens (after this service starts): read per task. */
  localApis?: ReadonlyMap<string, string>;
  /** A deployed URL of the template's APIs made local: an HTTP Task's ApiEndpoint may name one. */
  localUrl?: (url: string) => string;
}

export interface StateMachineOptions {
  log?: (line: string) => void;
  onExecution?: (report: ExecutionReport) => void;
}

/** What --strict refuses in a stack's state machines: the parts of their definitions not run locally. */
export function stateMachineGaps(template: LoadedTemplate): string[] {
  return (template.stateMachines ?? []).flatMap((m) => (m.definition ? checkDefinition(m.definition).notEmulated.map((gap) => `Resources.${m.logicalId} (state machine): ${gap}`) : []));
}

/** One execution's end as a log line. */
export function executionLine(r: ExecutionReport): string {
  return `Step Functions ${r.machine} execution ${r.executionArn}: ${r.status}${r.error !== undefined ? ` (${r.error}${r.cause ? `: ${r.cause.slice(0, 300)}` : ''})` : ''}`;
}

/** The embedded services as a task sees them. */
function taskServices(stacks: StateMachineStack[], invokers: Promise<{ invoker: LambdaInvoker }[]>, deps: StateMachineDeps): OtherServices {
  const byName = functionNamed(stacks, invokers);
  const region = stacks[0]!.template.region;
  const sqs = deps.sqsUrl ? sqsClient(deps.sqsUrl, deps.credentials, region) : undefined;
  const localApis = deps.localApis;
  const connections = stacks.flatMap(({ template }) => template.eventConnections ?? []);
  // Read when a task runs: dynamic references in the connections are resolved after this service starts.
  const connection = (arn: string): ConnectionUse | string | undefined => {
    const found = connections.find((c) => c.arn === arn);
    if (!found) return undefined;
    return typeof found.authorization === 'string' ? found.authorization : { logicalId: found.logicalId, authorization: found.authorization, invocation: found.invocation };
  };
  return {
    ...(localApis ? { apis: { origin: (apiId: string) => localApis.get(apiId), credentials: deps.credentials, region } } : {}),
    http: { connection, tokens: new OAuthTokens(), region, ...(deps.localUrl ? { localUrl: deps.localUrl } : {}) },
    async invokeFunction(ref, payload, invocationType): Promise<FunctionAnswer> {
      const fn = byName(functionNameOf(ref));
      if (!fn) return { kind: 'not-found' };
      const invoke = (payload: Json) => fn.invoke(payload, randomUUID());
      if (invocationType === 'Event') {
        // Lambda's asynchronous invocation: the task goes on once the event is queued.
        invoke(payload).catch(() => undefined);
        return { kind: 'ok', payload: null };
      }
      const outcome = await invoke(payload);
      if (outcome.kind === 'ok') return { kind: 'ok', payload: (outcome.payload ?? null) as Json };
      if (outcome.kind === 'function-error' && outcome.throttled) return { kind: 'throttled' };
      if (outcome.kind === 'function-error') return { kind: 'error', errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.stackTrace, document: errorDocument(outcome, outcome.runtime ?? '') };
      return { kind: 'error', errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out', trace: [] };
    },
    async call(service, action, input) {
      try {
        switch (service) {
          case 'dynamodb': {
            const res = await callDynamoDb(deps.dynamodb, action, JSON.stringify(input));
            const answer = (await res.json()) as Record<string, Json>;
            if (!res.ok) throw new ServiceCallError(String(answer.__type ?? res.status).replace(/^.*#/, ''), String(answer.message ?? answer.Message ?? ''));
            return answer;
          }
          case 'sqs':
            if (!sqs) throw new ServiceCallError('ServiceUnavailable', 'the embedded SQS is not running');
            return (await sqs.call(action, input)) as Json;
          case 'sns':
            if (action !== 'Publish' || !deps.topics) throw new ServiceCallError('InvalidAction', `SNS ${action} is not served locally (Publish is)`);
            return deps.topics.publish(input) as unknown as Json;
          case 's3':
            if (!deps.s3Url) throw new ServiceCallError('ServiceUnavailable', 'the embedded S3 is not running');
            return await callS3(deps.s3Url, deps.credentials, region, action, input);
          case 'eventbridge':
            if (action !== 'PutEvents' || !deps.bus) throw new ServiceCallError('UnknownOperationException', `EventBridge ${action} is not served locally (PutEvents is)`);
            return deps.bus.putEvents(input) as unknown as Json;
        }
      } catch (error) {
        if (error instanceof SqsCallError || error instanceof SnsError || error instanceof PutEventsError) throw new ServiceCallError(error.code, error.message);
        throw error;
      }
    },
  };
}

/**
 * The state machines as EventBridge targets, before the service runs (the event buses start first: a task may
 * PutEvents); `bind` gives them the service once it does.
 */
export function stateMachineTargets(stacks: StateMachineStack[]): { targets: StateMachineTargets; bind(service: StepFunctions): void } {
  let bound: StepFunctions | undefined;
  const arns = stacks.flatMap(({ template }) => (template.stateMachines ?? []).map((m) => m.arn));
  return {
    targets: { arns, start: (arn, input) => (bound ? bound.startFromTarget(arn, input) : 'the embedded Step Functions is not running yet') },
    bind: (service) => (bound = service),
  };
}

/** Starts the embedded Step Functions with every stack's state machines (none: not started); its URL, its report lines and the service. */
export async function startStateMachines(
  stacks: StateMachineStack[],
  invokers: Promise<{ invoker: LambdaInvoker }[]>,
  deps: StateMachineDeps,
  options: StateMachineOptions,
  closers: (() => Promise<void>)[],
): Promise<{ url?: string; notes: string[]; service?: StepFunctions }> {
  const root = stacks[0]!.template;
  const log = options.log ?? ((line: string) => console.error(line));
  const machines = stacks.flatMap(({ template }) => template.stateMachines ?? []);
  // No state machine, no service: a function's Step Functions call then fails fast on the not-served endpoint.
  if (machines.length === 0) return { notes: [] };
  // Read now, off the path of the first execution, only for a template that has JSONata in its definitions.
  if (machines.some((m) => JSON.stringify(m.definition ?? null).includes('"JSONata"'))) void loadJsonata().catch(() => undefined);
  const service = new StepFunctions(machines, taskServices(stacks, invokers, deps), { region: root.region, accountId: root.accountId, onExecution: options.onExecution ?? ((r) => log(executionLine(r))) });
  const server = await startStepFunctions(service, { credentials: deps.credentials });
  closers.push(async () => {
    await service.close();
    await server.close();
  });
  return { url: server.url, notes: service.notes(), service };
}
