/**
 * The embedded event buses (EventBridge User Guide): PutEvents entries checked as EventBridge checks them, made into
 * events (`version`, `id`, `detail-type`, `source`, `account`, `time`, `region`, `resources`, `detail`), matched
 * against the enabled rules of their bus, and handed to each matching rule's targets with the target's input
 * (Input, InputPath or InputTransformer; the whole event otherwise).
 */
import { randomUUID } from 'node:crypto';
import type { EventRuleSpec, EventTargetSpec } from '../../template/model.js';
import { matchesPattern } from '../event-patterns.js';

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** One event for one target of one rule, its input already made. */
export interface Delivery {
  rule: EventRuleSpec;
  target: EventTargetSpec;
  event: BusEvent;
  /** What the target receives: JSON text (or the plain text an InputTransformer made). */
  input: string;
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface BusOptions {
  region: string;
  accountId: string;
  /** Epoch ms (the events' `time`). */
  now?: () => number;
  deliver(delivery: Delivery): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entry sizes EventBridge accepts (the whole request: 256 KB). */
const MAX_ENTRIES_BYTES = 256 * 1024;

export class PutEventsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class EventBuses {
  private readonly buses: Set<string>;

  constructor(
    private readonly rules: EventRuleSpec[],
    buses: string[],
    private readonly options: BusOptions,
  ) {
    this.buses = new Set(['default', ...buses]);
  }

  /** PutEvents: each entry an event (or its error), delivered to the targets of the rules it matches. */
  putEvents(input: Record<string, unknown>): { Entries: EntryResult[]; FailedEntryCount: number } {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      throw new PutEventsError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10`);
    }
    const size = entries.reduce<number>((sum, e) => sum + Buffer.byteLength(JSON.stringify(e ?? {})), 0);
    if (size > MAX_ENTRIES_BYTES) throw new PutEventsError('ValidationException', `Total size of the entries in the request is over the limit (${MAX_ENTRIES_BYTES} bytes).`);
    const results = entries.map((entry) => this.putOne(entry));
    // In EventBridge's order (`{"Entries":[{"EventId":...}],"FailedEntryCount":0}`, as the apigw-eventbridge pattern records it).
    return { Entries: results, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length };
  }

  private putOne(raw: unknown): EntryResult {
    const entry = isRecord(raw) ? raw : {};
    for (const name of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[name] !== 'string' || entry[name] === '') return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` };
    }
    const source = entry.Source as string;
    if (source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      detail = undefined;
    }
    if (!isRecord(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? busNameOf(entry.EventBusName) : 'default';
    if (!this.buses.has(bus)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    const time = eventTime(entry.Time, this.options.now?.() ?? Date.now());
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source,
      account: this.options.accountId,
      time,
      region: this.options.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail,
    };
    for (const rule of this.rules) {
      if (!rule.enabled || rule.bus !== bus || !rule.pattern || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) this.options.deliver({ rule, target, event, input: targetInput(target, event, rule.id) });
    }
    return { EventId: event.id };
  }
}

function busNameOf(value: string): string {
  return /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value)?.[1] ?? value;
}

/** An entry's Time (epoch seconds or a date text), else now; as EventBridge writes it: ISO 8601 to the second, UTC. */
function eventTime(given: unknown, now: number): string {
  const ms = typeof given === 'number' ? given * 1000 : typeof given === 'string' && given !== '' ? Date.parse(given) : now;
  return new Date(Number.isFinite(ms) ? ms : now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The value at a JSONPath of EventBridge's simple form: `$`, `$.detail.a`, `$.resources[0]`, `$.detail['x-y']`. */
export function valueAtPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  if (!path.startsWith('$')) return undefined;
  const steps = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g)].map((m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4])));
  let value: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') value = Array.isArray(value) ? value[step] : undefined;
    else value = isRecord(value) ? value[step as string] : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * What a target receives (EventBridge User Guide, "Transforming target input"): Input as written; InputPath's part of
 * the event; InputTransformer's template with each `<name>` replaced: inside quotes a text goes in as text (JSON-escaped),
 * elsewhere a value goes in as JSON; `<aws.events.event>`, `<aws.events.event.json>`, `<aws.events.rule-name>` and
 * `<aws.events.event.ingestion-time>` are EventBridge's own.
 */
export function targetInput(target: EventTargetSpec, event: BusEvent, ruleName: string): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) return JSON.stringify(valueAtPath(event, target.inputPath) ?? null);
  const transformer = target.inputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values: Record<string, unknown> = {
    'aws.events.event': event,
    'aws.events.event.json': event,
    'aws.events.rule-name': ruleName,
    'aws.events.event.ingestion-time': event.time,
  };
  for (const [name, path] of Object.entries(transformer.inputPathsMap)) values[name] = valueAtPath(event, String(path));
  return transformer.inputTemplate.replace(/(")?<([A-Za-z0-9_.-]+)>(")?/g, (whole, open: string | undefined, name: string, close: string | undefined) => {
    if (!(name in values)) return whole;
    const value = values[name];
    if (open && close && typeof value === 'string') return JSON.stringify(value);
    const text = value === undefined ? '' : typeof value === 'string' ? (open || close ? JSON.stringify(value).slice(1, -1) : value) : JSON.stringify(value);
    return `${open ?? ''}${text}${close ?? ''}`;
  });
}
