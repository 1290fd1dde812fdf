/**
 * The embedded EventBridge Scheduler API (Scheduler API Reference; REST JSON on its own port, the functions'
 * AWS_ENDPOINT_URL_SCHEDULER): CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule and ListSchedules on the
 * default group and the template's groups. A schedule created here runs as the template's do (schedules.ts), its
 * target reached by the same deliveries; a one-time schedule with ActionAfterCompletion DELETE goes once it fired.
 * Only requests signed with the local credentials are served (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SchedulerScheduleSpec } from '../../template/model.js';
import type { AsyncScheduler } from '../async-invoke.js';
import { listenDual } from '../h2c.js';
import { guardedHandler } from '../request-body.js';
import type { LocalCredentials } from '../sigv4.js';
import { runSchedules, schedulerTimings, type Timing } from './schedules.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Stored {
  spec: SchedulerScheduleSpec;
  request: Record<string, unknown>;
  created: number;
  modified: number;
  running: { stop(): void };
}

export interface SchedulerApiOptions {
  region: string;
  accountId: string;
  scheduler: AsyncScheduler;
  /** The template's schedule groups (`default` is always there). */
  groups: string[];
  /** One firing: the schedule's target gets what Scheduler sends it (schedules.ts fireSchedulerSchedule). */
  fire(spec: SchedulerScheduleSpec, at: number): void;
  /** The template's schedules, run from `created` on: the API describes, lists, updates and deletes them too. */
  template?: { timings: Timing<SchedulerScheduleSpec>[]; created: number };
}

/** What GetSchedule answers of a template's schedule: the settings the emulator read from it. */
function templateRequest(spec: SchedulerScheduleSpec): Record<string, unknown> {
  const { target } = spec;
  return {
    ScheduleExpression: spec.expression,
    ...(spec.timezone !== undefined ? { ScheduleExpressionTimezone: spec.timezone } : {}),
    ...(spec.startDate !== undefined ? { StartDate: spec.startDate / 1000 } : {}),
    ...(spec.endDate !== undefined ? { EndDate: spec.endDate / 1000 } : {}),
    ...(spec.flexibleTimeWindow !== undefined ? { FlexibleTimeWindow: spec.flexibleTimeWindow } : {}),
    Target: { Arn: target.arn, ...(target.roleArn !== undefined ? { RoleArn: target.roleArn } : {}), ...(target.input !== undefined ? { Input: target.input } : {}) },
  };
}

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Schedules created through the API, by `group/name`. */
export class SchedulerApi {
  private readonly schedules = new Map<string, Stored>();
  private readonly groups: Set<string>;
  /** When each group was created at run time (the template's were there from the start). */
  private readonly groupsCreated = new Map<string, number>();
  /**
   * The template's schedules not run, each with the one of its name and group that runs: Scheduler keeps one, so
   * such a template does not deploy (said at load, template/scheduler-schedules.ts); run, it would have no way to stop.
   */
  readonly notStarted = new Map<SchedulerScheduleSpec, SchedulerScheduleSpec>();

  constructor(private readonly options: SchedulerApiOptions) {
    this.groups = new Set(['default', ...options.groups]);
    // A template's schedule is a schedule like any other on AWS: GetSchedule finds it, UpdateSchedule replaces it.
    for (const timing of options.template?.timings ?? []) {
      if (!('schedule' in timing)) continue; // one Scheduler refuses: never created
      const { subject: spec } = timing;
      const taken = this.schedules.get(this.key(spec.name, spec.group));
      if (taken) {
        this.notStarted.set(spec, taken.spec);
        continue;
      }
      const { created } = options.template!;
      const running = runSchedules([timing], (s) => s.enabled, options.scheduler, (s, at) => options.fire(s, at), created - 1);
      this.schedules.set(this.key(spec.name, spec.group), { spec, request: templateRequest(spec), created, modified: created, running });
    }
  }

  /** Every timer stops (the gateway closing). */
  close(): void {
    for (const stored of this.schedules.values()) stored.running.stop();
    this.schedules.clear();
  }

  /** One API call: its status and JSON answer (REST JSON: the method and path name the operation). */
  handle(method: string, url: URL, body: string): { status: number; payload: unknown } {
    try {
      const group = /^\/schedule-groups(?:\/([^/]+))?$/.exec(url.pathname);
      if (group) return { status: 200, payload: this.groupCall(method, group[1] === undefined ? undefined : decodeURIComponent(group[1]), url.searchParams) };
      const name = /^\/schedules\/([^/]+)$/.exec(url.pathname)?.[1];
      if (url.pathname === '/schedules' && method === 'GET') return { status: 200, payload: this.list(url.searchParams) };
      if (name === undefined) throw new SchedulerError(404, 'UnknownOperationException', `${method} ${url.pathname} is not served by the local emulator's Scheduler (schedules and schedule groups only)`);
      const schedule = decodeURIComponent(name);
      if (method === 'GET') return { status: 200, payload: this.describe(this.find(schedule, url.searchParams.get('groupName'))) };
      if (method === 'DELETE') {
        const stored = this.find(schedule, url.searchParams.get('groupName'));
        this.remove(stored);
        return { status: 200, payload: {} };
      }
      if (method !== 'POST' && method !== 'PUT') throw new SchedulerError(405, 'UnknownOperationException', `${method} is not a Scheduler operation on a schedule`);
      let input: unknown;
      try {
        input = JSON.parse(body || '{}');
      } catch {
        throw new SchedulerError(400, 'ValidationException', 'The request body is not JSON.');
      }
      if (!isRecord(input)) throw new SchedulerError(400, 'ValidationException', 'The request body must be a JSON object.');
      return { status: 200, payload: { ScheduleArn: this.put(schedule, input, method === 'PUT') } };
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      return { status: error.status, payload: { __type: error.type, Message: error.message } };
    }
  }

  /** CreateScheduleGroup, GetScheduleGroup, DeleteScheduleGroup (its schedules with it) and ListScheduleGroups. */
  private groupCall(method: string, name: string | undefined, query: URLSearchParams): Record<string, unknown> {
    const arn = (group: string) => `arn:aws:scheduler:${this.options.region}:${this.options.accountId}:schedule-group/${group}`;
    const described = (group: string) => ({ Arn: arn(group), Name: group, State: 'ACTIVE', CreationDate: (this.groupsCreated.get(group) ?? 0) / 1000, LastModificationDate: (this.groupsCreated.get(group) ?? 0) / 1000 });
    if (name === undefined) {
      if (method !== 'GET') throw new SchedulerError(405, 'UnknownOperationException', `${method} /schedule-groups is not a Scheduler operation`);
      const prefix = query.get('NamePrefix') ?? '';
      return { ScheduleGroups: [...this.groups].filter((g) => g.startsWith(prefix)).map(described) };
    }
    const exists = this.groups.has(name);
    if (method === 'POST') {
      if (exists) throw new SchedulerError(409, 'ConflictException', `Schedule group ${name} already exists.`);
      this.groups.add(name);
      this.groupsCreated.set(name, this.options.scheduler.now());
      return { ScheduleGroupArn: arn(name) };
    }
    if (!exists) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule group ${name} does not exist.`);
    if (method === 'GET') return described(name);
    if (method !== 'DELETE') throw new SchedulerError(405, 'UnknownOperationException', `${method} is not a Scheduler operation on a schedule group`);
    if (name === 'default') throw new SchedulerError(400, 'ValidationException', 'The default schedule group cannot be deleted.');
    for (const stored of [...this.schedules.values()].filter((s) => s.spec.group === name)) this.remove(stored);
    this.groups.delete(name);
    return {};
  }

  private key(name: string, group: string): string {
    return `${group}/${name}`;
  }

  private arn(name: string, group: string): string {
    return `arn:aws:scheduler:${this.options.region}:${this.options.accountId}:schedule/${group}/${name}`;
  }

  private find(name: string, group: string | null): Stored {
    const stored = this.schedules.get(this.key(name, group || 'default'));
    if (!stored) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return stored;
  }

  private remove(stored: Stored): void {
    stored.running.stop();
    this.schedules.delete(this.key(stored.spec.name, stored.spec.group));
  }

  /** CreateSchedule (update false) or UpdateSchedule (the whole schedule replaced, as the API does). */
  private put(name: string, input: Record<string, unknown>, update: boolean): string {
    const group = typeof input.GroupName === 'string' && input.GroupName !== '' ? input.GroupName : 'default';
    if (!this.groups.has(group)) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule group ${group} does not exist.`);
    const key = this.key(name, group);
    const existing = this.schedules.get(key);
    if (update && !existing) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (!update && existing) throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);
    const spec = this.specOf(name, group, input);
    const now = this.options.scheduler.now();
    const [timing] = schedulerTimings([spec], now);
    if (!timing || 'problem' in timing) throw new SchedulerError(400, 'ValidationException', `Invalid Schedule Expression ${spec.expression}.`);
    if (existing) existing.running.stop();
    const schedule = timing.schedule;
    const deleteAfter = input.ActionAfterCompletion === 'DELETE';
    const running = runSchedules([timing], (s) => s.enabled, this.options.scheduler, (s, at) => {
      this.options.fire(s, at);
      // A schedule with no firing left is deleted when it asked for it (ActionAfterCompletion DELETE).
      if (deleteAfter && schedule.next(at) === undefined && this.schedules.get(key)?.spec === s) this.remove(this.schedules.get(key)!);
    }, now - 1);
    this.schedules.set(key, { spec, request: input, created: existing?.created ?? now, modified: now, running });
    return this.arn(name, group);
  }

  private specOf(name: string, group: string, input: Record<string, unknown>): SchedulerScheduleSpec {
    if (typeof input.ScheduleExpression !== 'string') throw new SchedulerError(400, 'ValidationException', 'ScheduleExpression is required.');
    const target = isRecord(input.Target) ? input.Target : undefined;
    if (!target || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string') throw new SchedulerError(400, 'ValidationException', 'Target with its Arn and RoleArn is required.');
    if (!isRecord(input.FlexibleTimeWindow)) throw new SchedulerError(400, 'ValidationException', 'FlexibleTimeWindow is required.');
    const eventBridge = isRecord(target.EventBridgeParameters) ? target.EventBridgeParameters : undefined;
    const date = (v: unknown): number | undefined => (typeof v === 'number' ? v * 1000 : typeof v === 'string' && v !== '' ? Date.parse(v) : undefined);
    const startDate = date(input.StartDate);
    const endDate = date(input.EndDate);
    return {
      id: `${group}/${name}`,
      name,
      group,
      expression: input.ScheduleExpression,
      ...(typeof input.ScheduleExpressionTimezone === 'string' ? { timezone: input.ScheduleExpressionTimezone } : {}),
      enabled: input.State !== 'DISABLED',
      ...(startDate !== undefined ? { startDate } : {}),
      ...(endDate !== undefined ? { endDate } : {}),
      target: {
        id: name,
        arn: target.Arn,
        roleArn: target.RoleArn,
        ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
        ...(eventBridge ? { eventBridge: { detailType: String(eventBridge.DetailType ?? ''), source: String(eventBridge.Source ?? '') } } : {}),
      },
    };
  }

  /** GetSchedule's answer: the schedule as it was sent, with its ARN, state and dates (epoch seconds). */
  private describe(stored: Stored): Record<string, unknown> {
    const { spec, request } = stored;
    return {
      ...request,
      Arn: this.arn(spec.name, spec.group),
      Name: spec.name,
      GroupName: spec.group,
      State: spec.enabled ? 'ENABLED' : 'DISABLED',
      ActionAfterCompletion: request.ActionAfterCompletion ?? 'NONE',
      CreationDate: stored.created / 1000,
      LastModificationDate: stored.modified / 1000,
    };
  }

  private list(query: URLSearchParams): Record<string, unknown> {
    const group = query.get('ScheduleGroup') ?? query.get('GroupName');
    const prefix = query.get('NamePrefix') ?? '';
    const state = query.get('State');
    const schedules = [...this.schedules.values()]
      .filter(({ spec }) => (group === null || spec.group === group) && spec.name.startsWith(prefix) && (state === null || (state === 'ENABLED') === spec.enabled))
      .map((stored) => {
        const { Arn, Name, GroupName, State, CreationDate, LastModificationDate } = this.describe(stored);
        return { Arn, Name, GroupName, State, CreationDate, LastModificationDate, Target: { Arn: stored.spec.target.arn } };
      });
    return { Schedules: schedules };
  }
}

/** The API on a loopback port of its own. */
export async function startSchedulerApi(api: SchedulerApi, options: { credentials: LocalCredentials }): Promise<{ url: string; close(): Promise<void> }> {
  const handler = guardedHandler('Scheduler', (req: IncomingMessage, res: ServerResponse, body: string) => {
    const { status, payload } = api.handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://scheduler.local'), body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() };
    if (status >= 400) headers['x-amzn-errortype'] = String((payload as { __type: string }).__type);
    res.writeHead(status, headers);
    res.end(JSON.stringify(payload));
  }, { guard: { credentials: options.credentials }, contentType: 'application/json' });
  const server = await listenDual(handler);
  return { url: `http://127.0.0.1:${server.port}`, close: async () => {
    api.close();
    await server.close();
  } };
}
