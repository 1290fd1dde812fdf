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
  /** EventBridge Scheduler's schedule rather than a rule (services/eventbridge/schedules.ts). */
  via?: 'scheduler';
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface BusOptions {
  region: string;
  accountId: string;
  /** Epoch ms (the events' `time`). */
  now?: () => number;
  deliver(delivery: Delivery): void;
  /** Why an accepted event went nowhere (a bus the template does not declare); console.error by default. */
  log?: (line: string) => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Buses one event may be forwarded through, locally (bus-to-bus targets). */
const MAX_BUS_HOPS = 10;

/** Entry sizes EventBridge accepts (the whole request: 256 KB). */
const MAX_ENTRIES_BYTES = 256 * 1024;

/** PutEvents API Reference: "PutEvents will only process nested JSON up to 1000 levels deep". */
export const MAX_JSON_DEPTH = 1000;

/**
 * How deep JSON text nests (`{}` is 1), read without parsing it, so that no text, however deep, makes a recursion
 * run out of stack (matching and target input walk the event; a Detail 30,000 deep crashed them).
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

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
      const limit = Array.isArray(entries) && entries.length > 10 ? 'less than or equal to 10' : 'greater than or equal to 1';
      throw new PutEventsError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${limit}`);
    }
    const size = entries.reduce<number>((sum, e) => sum + entrySize(e), 0);
    if (size > MAX_ENTRIES_BYTES) throw new PutEventsError('ValidationException', `Total size of the entries in the request is over the limit.`);
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
      // [AMBIGUOUS] deeper than EventBridge processes: answered as a Detail it cannot read (the error AWS gives is not documented).
      detail = jsonNestingDepth(entry.Detail as string) > MAX_JSON_DEPTH ? undefined : JSON.parse(entry.Detail as string);
    } catch {
      detail = undefined;
    }
    if (!isRecord(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? busNameOf(entry.EventBusName) : 'default';
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
    // EventBridge accepts an entry for a bus that does not exist (an EventId, not a failed entry) and drops it: said here.
    if (this.buses.has(bus)) this.route(bus, event);
    else (this.options.log ?? ((line: string) => console.error(line)))(`emulator: EventBridge PutEvents to bus ${bus}, which the template does not declare: accepted (EventId ${event.id}) and dropped, as EventBridge does`);
    return { EventId: event.id };
  }

  /** An AWS service's own event (S3's Object Created...) on the default bus, where those services send theirs. */
  putServiceEvent(event: Pick<BusEvent, 'detail-type' | 'source' | 'resources' | 'detail'>): BusEvent {
    const full: BusEvent = { version: '0', id: randomUUID(), ...event, account: this.options.accountId, time: eventTime(undefined, this.options.now?.() ?? Date.now()), region: this.options.region };
    this.route('default', full);
    return full;
  }

  /**
   * A scheduled rule's firing: its targets get a `Scheduled Event` from `aws.events` whose time is the scheduled one
   * and whose resources name the rule (EventBridge User Guide, "Events from AWS services": scheduled events).
   */
  fireScheduled(rule: EventRuleSpec, at: number): BusEvent {
    const arn = ruleArn(rule, this.options.region, this.options.accountId);
    const event: BusEvent = { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: this.options.accountId, time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: this.options.region, resources: [arn], detail: {} };
    for (const target of rule.targets) this.options.deliver({ rule, target, event, input: targetInput(target, event, { name: rule.name, arn }) });
    return event;
  }

  /** How many buses an event has been forwarded to: a rule forwarding back to a bus it came from would loop forever. */
  private readonly hops = new WeakMap<BusEvent, number>();

  /**
   * An event a rule sends to another bus (EventBridge User Guide, "Sending events between event buses"): the event
   * itself goes to that bus's rules. Undefined when it was routed, else why not (a bus the template lacks, a loop).
   */
  forward(bus: string, event: BusEvent): string | undefined {
    if (!this.buses.has(bus)) return `the bus ${bus} is not one of the template's`;
    const hops = (this.hops.get(event) ?? 0) + 1;
    // A local guard (AWS documents none for one account): rules sending an event round a cycle of buses stop here.
    if (hops > MAX_BUS_HOPS) return `the event has gone through ${MAX_BUS_HOPS} buses already (rules forwarding in a loop?): not forwarded to ${bus}`;
    this.hops.set(event, hops);
    this.route(bus, event);
    return undefined;
  }

  /** The template's buses, `default` included. */
  names(): string[] {
    return [...this.buses];
  }

  private route(bus: string, event: BusEvent): void {
    for (const rule of this.rules) {
      if (!rule.enabled || rule.bus !== bus || !rule.pattern || !matchesPattern(rule.pattern, event)) continue;
      const names = { name: rule.name, arn: ruleArn(rule, this.options.region, this.options.accountId) };
      for (const target of rule.targets) this.options.deliver({ rule, target, event, input: targetInput(target, event, names) });
    }
  }
}

/** A rule's ARN: `arn:aws:events:<region>:<account>:rule/<name>`, with its bus's name before it unless default. */
export function ruleArn(rule: EventRuleSpec, region: string, accountId: string): string {
  return `arn:aws:events:${region}:${accountId}:rule/${rule.bus === 'default' ? '' : `${rule.bus}/`}${rule.name}`;
}

/** An entry's size as EventBridge counts it ("Calculating PutEvents event entry size"): UTF-8 bytes of Source, DetailType, Detail and Resources, 14 for Time. */
function entrySize(entry: unknown): number {
  const e = isRecord(entry) ? entry : {};
  const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources.reduce<number>((sum, r) => sum + bytes(r), 0) : 0;
  return (e.Time !== undefined ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + resources;
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
 * the event; InputTransformer's template with each `<name>` replaced. A template that is JSON (it starts with `{`, `[`
 * or `"`) gets JSON values: a text inside a string literal goes in escaped, elsewhere quoted (`{"state": <state>}` is
 * `{"state": "RUNNING"}`, as the guide's examples show); a plain-text template gets the texts as they are. A path the
 * event lacks is `null` outside a string and nothing inside one ([AMBIGUOUS], services/README.md "EventBridge"). `<aws.events.event>`
 * is the event without its detail, `<aws.events.event.json>` the whole event, `<aws.events.rule-name>` and
 * `<aws.events.rule-arn>` the rule's, `<aws.events.event.ingestion-time>` the event's time.
 */
export function targetInput(target: EventTargetSpec, event: BusEvent, rule: { name: string; arn: string }): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) return JSON.stringify(valueAtPath(event, target.inputPath) ?? null);
  const transformer = target.inputTransformer;
  if (!transformer) return JSON.stringify(event);
  const { detail: _detail, ...withoutDetail } = event;
  const values = new Map<string, unknown>([
    ['aws.events.event', withoutDetail],
    ['aws.events.event.json', event],
    ['aws.events.rule-name', rule.name],
    ['aws.events.rule-arn', rule.arn],
    ['aws.events.event.ingestion-time', event.time],
  ]);
  for (const [name, path] of Object.entries(transformer.inputPathsMap)) values.set(name, valueAtPath(event, String(path)));
  const template = transformer.inputTemplate;
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    const placeholder = c === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i)) : null;
    if (placeholder && values.has(placeholder[1] as string)) {
      const value = values.get(placeholder[1] as string);
      const text = typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
      if (!json) out += text ?? '';
      else if (inString) out += text === undefined ? '' : JSON.stringify(text).slice(1, -1);
      else out += value === undefined ? 'null' : JSON.stringify(value);
      i += placeholder[0].length - 1;
      continue;
    }
    if (c === '"' && template[i - 1] !== '\\') inString = !inString;
    out += c;
  }
  return out;
}
