/**
 * The template's EventBridge pipes, run on the embedded services: each pipe's source becomes an event source of its
 * kind (an SQS, DynamoDB stream or Kinesis mapping), read by the same pollers as a function's, whose "function" is the
 * pipe (its id is `pipe:<logical id>`, routed to the pipe's runner by `pipeAwareInvoker`).
 */
import type { InvokeOutcome, LambdaInvoker } from '../../lambda/types.js';
import type { LoadedTemplate, PipeSpec, QueueSourceSpec, StreamSourceSpec } from '../../template/model.js';
import { randomUUID } from 'node:crypto';
import { functionNameOf, functionNamed } from '../lambda-api.js';
import { pipeTargetKind, PipeRunner, type PipeServices } from './runner.js';
import { pipeRecord } from './transform.js';

/** The function id a pipe's source poller invokes: the pipe's runner, not a function. */
export const PIPE_SOURCE_PREFIX = 'pipe:';

const pipeId = (pipe: PipeSpec): string => `${PIPE_SOURCE_PREFIX}${pipe.logicalId}`;
const runnable = (pipe: PipeSpec): boolean => pipe.running && pipe.sourceKind !== 'other' && typeof pipeTargetKind(pipe.target) === 'string';

/** Each stack's template with its running pipes' sources added to its event sources (the template itself unchanged). */
export function withPipeSources<T extends { template: LoadedTemplate }>(stacks: T[]): T[] {
  return stacks.map((stack) => {
    const pipes = (stack.template.pipes ?? []).filter(runnable);
    if (pipes.length === 0) return stack;
    const base = (pipe: PipeSpec) => ({ id: pipe.logicalId, functionLogicalId: pipeId(pipe), batchSize: pipe.batchSize, batchingWindowSeconds: pipe.batchingWindowSeconds, enabled: true, reportBatchItemFailures: false, ...(pipe.filterCriteria ? { filterCriteria: pipe.filterCriteria } : {}) });
    const queues: QueueSourceSpec[] = pipes.filter((p) => p.sourceKind === 'sqs').map((p) => ({ ...base(p), queueArn: p.source }));
    const streams = (kind: PipeSpec['sourceKind']): StreamSourceSpec[] => pipes.filter((p) => p.sourceKind === kind).map((p) => ({ ...base(p), streamArn: p.source, maximumRetryAttempts: p.maximumRetryAttempts, startingPosition: 'LATEST' }));
    const t = stack.template;
    return { ...stack, template: { ...t, queueSources: [...(t.queueSources ?? []), ...queues], streamSources: [...(t.streamSources ?? []), ...streams('dynamodb')], kinesisSources: [...(t.kinesisSources ?? []), ...streams('kinesis')] } };
  });
}

/** An invoker that runs the pipes' batches and passes every other invocation on. */
export function pipeAwareInvoker(invoker: LambdaInvoker, runners: Map<string, PipeRunner>): LambdaInvoker {
  return {
    invoke: (id, event, options) => {
      const runner = runners.get(id);
      if (!runner) return invoker.invoke(id, event, options);
      const records = (event as { Records?: unknown[] }).Records ?? [];
      return runner.run(records.map(pipeRecord));
    },
  };
}

/** Every stack's running pipes, by their pollers' function id. */
export function pipeRunners(stacks: { template: LoadedTemplate }[], services: PipeServices): Map<string, PipeRunner> {
  return new Map(stacks.flatMap(({ template }) => (template.pipes ?? []).filter(runnable).map((p) => [pipeId(p), new PipeRunner(p, services)] as const)));
}

/** Why each pipe that AWS would run is not run here (its source or target not served), by logical id. */
export function pipeGapReasons(template: LoadedTemplate): Map<string, string> {
  return new Map((template.pipes ?? []).filter((p) => p.running && !runnable(p)).map((p) => [p.logicalId, `not run: ${p.sourceKind === 'other' ? `its source ${p.source} is not served` : `its target ${p.target} is not served`}`]));
}

/** What --strict refuses: pipes that are not run (their source or target not served). */
export function pipeGaps(template: LoadedTemplate): string[] {
  return [...pipeGapReasons(template)].map(([id, why]) => `Resources.${id} (AWS::Pipes::Pipe): ${why}`);
}

/** Running pipes whose source and target are served. */
export function runnablePipes(template: LoadedTemplate): PipeSpec[] {
  return (template.pipes ?? []).filter(runnable);
}

/** The report's lines: each pipe, from where to where, and what is not run. */
export function pipeNotes(stacks: { path: string; template: LoadedTemplate }[]): string[] {
  return stacks.flatMap(({ path, template }) =>
    (template.pipes ?? []).flatMap((p) => {
      const where = `${path}${p.logicalId} (${p.name})`;
      const target = pipeTargetKind(p.target);
      if (!p.running) return [`${where}: DesiredState STOPPED: not run`];
      if (p.sourceKind === 'other') return [`${where}: not run: its source ${p.source} is not an SQS queue, DynamoDB stream or Kinesis stream of the template`];
      if (typeof target !== 'string') return [`${where}: not run: its target ${p.target}: ${target.notServed}`];
      const lines = [`${where}: ${p.sourceKind} ${p.source} -> ${p.enrichment ? `enrichment ${p.enrichment} -> ` : ''}${target} ${p.target}`];
      if (p.enrichment && !/^arn:[^:]+:(lambda|states):/.test(p.enrichment)) lines.push(`${where}: its enrichment ${p.enrichment} is not served locally: every batch fails`);
      if (p.notApplied) lines.push(`${where}: ${p.notApplied.join(', ')} not applied`);
      const machine = target === 'states' ? stacks.flatMap((s) => s.template.stateMachines ?? []).find((m) => m.arn === p.target) : undefined;
      const invocation = (p.targetParameters.StepFunctionStateMachineParameters as { InvocationType?: unknown } | undefined)?.InvocationType;
      if (machine?.type === 'STANDARD' && invocation !== 'FIRE_AND_FORGET') lines.push(`${where}: a STANDARD state machine takes FIRE_AND_FORGET only (REQUEST_RESPONSE, the default, is for EXPRESS): every batch fails here`);
      return lines;
    }),
  );
}

/** A function of any stack by ARN, invoked through its stack's invoker (asynchronously: not waited for). */
export function functionsByArn(stacks: { template: LoadedTemplate }[], invokers: Promise<{ invoker: LambdaInvoker }[]>): PipeServices['invokeFunction'] {
  const byName = functionNamed(stacks, invokers);
  return async (arn, payload, asynchronous) => {
    const fn = byName(functionNameOf(arn));
    if (!fn) return undefined;
    const running = fn.invoke(payload, randomUUID());
    if (!asynchronous) return running;
    running.catch(() => undefined);
    return { kind: 'ok', payload: null, cold: false, durationMs: 0 } satisfies InvokeOutcome;
  };
}

/** The embedded services as a pipe's targets reach them; the ones started after the pollers are read when called. */
export function embeddedPipeServices(deps: {
  invokeFunction: PipeServices['invokeFunction'];
  sqs?: { call(action: string, input: Record<string, unknown>): Promise<unknown>; queueUrl(arn: string): string };
  topics?: { publish(input: Record<string, unknown>): unknown };
  bus?: { putEvents(input: Record<string, unknown>): { FailedEntryCount: number; Entries: unknown[] } };
  stepFunctions: () => { handle(action: string, input: Record<string, unknown>): Promise<unknown> } | undefined;
  kinesis: () => { handle(action: string, input: Record<string, unknown>): unknown } | undefined;
  callApiDestination?: PipeServices['callApiDestination'];
  callApi?: PipeServices['callApi'];
}): PipeServices {
  const missing = (what: string): never => {
    throw new Error(`the embedded ${what} is not running`);
  };
  return {
    invokeFunction: deps.invokeFunction,
    sendMessage: async (input) => {
      const sqs = deps.sqs ?? missing('SQS');
      await sqs.call('SendMessage', { ...input, QueueUrl: sqs.queueUrl(String(input.QueueUrl)) });
    },
    publish: (input) => void (deps.topics ?? missing('SNS')).publish(input),
    putEvents: (input) => (deps.bus ?? missing('EventBridge')).putEvents(input),
    putRecord: (input) => void (deps.kinesis() ?? missing('Kinesis')).handle('PutRecord', input),
    callApiDestination: (arn, parameters, event, input) => (deps.callApiDestination ?? missing('EventBridge API destinations'))(arn, parameters, event, input),
    callApi: (arn, parameters, event, input) => (deps.callApi ?? missing('API Gateway'))(arn, parameters, event, input),
    startExecution: async (arn, input, wait) => {
      const sfn = deps.stepFunctions() ?? missing('Step Functions');
      const answer = (await sfn.handle(wait ? 'StartSyncExecution' : 'StartExecution', { stateMachineArn: arn, input })) as { status?: string; output?: string; error?: string; cause?: string };
      if (!wait) return answer;
      if (answer.status !== 'SUCCEEDED') throw new Error(`the execution ${answer.status ?? 'failed'}${answer.error ? `: ${answer.error}` : ''}${answer.cause ? ` (${answer.cause})` : ''}`);
      return JSON.parse(answer.output ?? 'null') as unknown;
    },
  };
}

