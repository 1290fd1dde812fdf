/**
 * The template's Kinesis streams on the embedded Kinesis, on a loopback port of its own (the functions'
 * AWS_ENDPOINT_URL_KINESIS), and the functions' Kinesis event sources: one poller per shard of each mapping.
 */
import type { LambdaInvoker } from '../../lambda/types.js';
import type { LoadedTemplate } from '../../template/model.js';
import { streamSourceProblems } from '../../template/streams.js';
import { StreamPoller, streamBatchLine, type StreamBatchReport } from '../dynamodb-streams/event-source.js';
import type { LocalCredentials } from '../sigv4.js';
import { filterCriteriaProblems } from '../sqs/event-source.js';
import { kinesisRecords } from './event-source.js';
import { startKinesis } from './server.js';
import { KinesisError, KinesisStreams, type KinesisRecord } from './streams.js';
import type { StreamTargets } from '../eventbridge/targets.js';

export interface KinesisStack {
  path: string;
  template: LoadedTemplate;
}

export interface KinesisOptions {
  log?: (line: string) => void;
  /** Run the event sources (false for `invoke`, which runs the one function it is asked for). */
  eventSources?: boolean;
  onStreamBatch?: (report: StreamBatchReport) => void;
}

/** Kinesis event source mappings filter on `data` only (Lambda guide): a pattern naming anything else matches nothing. */
export function dataOnlyProblems(criteria: Record<string, unknown>): string[] {
  const filters = Array.isArray(criteria.Filters) ? criteria.Filters : [];
  return filters.flatMap((f) => {
    let pattern: unknown;
    try {
      pattern = JSON.parse(String((f as { Pattern?: unknown }).Pattern ?? ''));
    } catch {
      return [];
    }
    const others = typeof pattern === 'object' && pattern !== null ? Object.keys(pattern).filter((k) => k !== 'data') : [];
    return others.length > 0 ? [`${others.join(', ')}: Kinesis event sources filter on the data key only, so this pattern matches no record`] : [];
  });
}

/**
 * The streams as EventBridge targets, before the service runs (the event buses start first); `bind` gives them the
 * streams once they do.
 */
export function kinesisTargets(stacks: KinesisStack[]): { targets: StreamTargets; bind(streams: KinesisStreams): void } {
  let bound: KinesisStreams | undefined;
  const arns = stacks.flatMap(({ template }) => (template.kinesisStreams ?? []).map((s) => s.arn));
  return {
    targets: {
      arns,
      put: (arn, data, partitionKey) => {
        if (!bound) return 'the embedded Kinesis is not running yet';
        try {
          bound.handle('PutRecord', { StreamARN: arn, Data: Buffer.from(data).toString('base64'), PartitionKey: partitionKey.slice(0, 256) || 'none' });
          return undefined;
        } catch (error) {
          if (error instanceof KinesisError) return `${error.code}: ${error.message}`;
          throw error;
        }
      },
    },
    bind: (streams) => (bound = streams),
  };
}

/** A table's Kinesis streaming destination: each change put on the stream; a stream the template lacks is said once per write. */
export function kinesisDestinationOn(streams: KinesisStreams, log: (line: string) => void): (streamArn: string, record: { data: string; partitionKey: string }) => void {
  return (streamArn, record) => {
    try {
      streams.handle('PutRecord', { StreamARN: streamArn, Data: Buffer.from(record.data).toString('base64'), PartitionKey: record.partitionKey });
    } catch (error) {
      if (!(error instanceof KinesisError)) throw error;
      log(`DynamoDB -> Kinesis ${streamArn}: not copied: ${error.code}: ${error.message}`);
    }
  };
}

/**
 * Starts the embedded Kinesis with every stack's streams (none: not started) and their event sources, which invoke
 * their functions once `invokers` resolves. Returns its URL and the report's lines.
 */
export async function startKinesisStreams(stacks: KinesisStack[], invokers: Promise<{ invoker: LambdaInvoker }[]>, credentials: LocalCredentials, options: KinesisOptions, closers: (() => Promise<void>)[]): Promise<{ url?: string; notes: string[]; streams?: KinesisStreams }> {
  const specs = stacks.flatMap(({ template }) => template.kinesisStreams ?? []);
  if (specs.length === 0) {
    const orphans = stacks.flatMap(({ path, template }) => (template.kinesisSources ?? []).map((s) => `${path}${s.id}: its stream ${s.streamArn} is not one of the template's: not run`));
    return { notes: orphans };
  }
  const root = stacks[0]!.template;
  const log = options.log ?? ((line: string) => console.error(line));
  const pollers = new Map<string, StreamPoller<KinesisRecord>[]>();
  const streams = new KinesisStreams(specs, {
    region: root.region,
    accountId: root.accountId,
    onRecords: (records) => {
      for (const record of records) for (const poller of pollers.get(`${record.streamArn} ${record.shardId}`) ?? []) poller.push([record]);
    },
  });
  const server = await startKinesis(streams, { credentials });
  const notes: string[] = [];
  const all: StreamPoller<KinesisRecord>[] = [];
  for (const [index, { path, template }] of stacks.entries()) {
    for (const spec of template.kinesisStreams ?? []) {
      const readers = stacks.flatMap((s) => (s.template.kinesisSources ?? []).filter((src) => src.streamArn === spec.arn).map((src) => `${s.path}${src.functionLogicalId}${src.enabled ? '' : ' (Enabled: false, not run)'}`));
      notes.push(`${path}${spec.logicalId} (${spec.name}): ${spec.shardCount} shard(s)${spec.mode === 'ON_DEMAND' ? ' (ON_DEMAND)' : ''}, ${readers.length > 0 ? `read by ${readers.join(', ')}` : 'no event source reads it'}`);
    }
    for (const source of options.eventSources === false ? [] : (template.kinesisSources ?? [])) {
      const shards = streams.shardIds(source.streamArn);
      if (shards.length === 0) {
        notes.push(`${path}${source.id}: its stream ${source.streamArn} is not one of the template's: not run`);
        continue;
      }
      for (const problem of streamSourceProblems(source, true)) notes.push(`${path}${source.id}: Lambda would refuse this event source (CloudFormation fails the stack): ${problem}; run here anyway`);
      for (const problem of source.filterCriteria ? [...filterCriteriaProblems(source.filterCriteria), ...dataOnlyProblems(source.filterCriteria)] : []) notes.push(`${path}${source.id}: FilterCriteria: ${problem}`);
      if (source.notApplied) notes.push(`${path}${source.id}: ${source.notApplied.join(', ')} not applied`);
      for (const shard of shards) {
        const poller = new StreamPoller<KinesisRecord>(source, {
          invoke: async (id, event) => (await invokers)[index]!.invoker.invoke(id, event),
          region: template.region,
          records: kinesisRecords(template.region, template.accountId),
          onBatch: options.onStreamBatch ?? ((r) => log(streamBatchLine(r))),
        });
        const key = `${source.streamArn} ${shard}`;
        pollers.set(key, [...(pollers.get(key) ?? []), poller]);
        all.push(poller);
      }
    }
  }
  closers.push(async () => {
    await Promise.all(all.map((p) => p.stop()));
    await server.close();
  });
  return { url: server.url, notes, streams };
}
