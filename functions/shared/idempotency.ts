/**
 * Idempotent create, safe by construction: the first request with a key claims an idempotency record
 * that already contains the task to create (id included), and only then writes the task, in one
 * transaction with the record's completion. A crash after the claim leaves a record in progress whose
 * task was never written, which a retry writes: a retry can never create a second task, nor re-create
 * a task that was written and then deleted. Keyed by (caller sub, Idempotency-Key); the same
 * key with another body is a 422, and a retry while the first request may still run is a 409.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ConflictError, UnprocessableContentError, ValidationError } from './errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { TaskPut } from './task-repository.js';
import type { HeadersOf, RequestBodyOf } from './operation-input.js';
import { header } from './request.js';
import type { Task } from './task-item.js';

type NewTask = RequestBodyOf<'createTask'>;

const KEY = /^[\x21-\x7E]{1,255}$/;

/** How long a key is remembered (the table's TTL attribute is set this far ahead). */
export const KEY_LIFETIME_SECONDS = 24 * 60 * 60;

/** The Idempotency-Key header (any case), checked against the contract's pattern; undefined when absent. */
export function idempotencyKeyOf(event: Pick<APIGatewayProxyEvent, 'headers'>): HeadersOf<'createTask'>['Idempotency-Key'] {
  const value = header(event, 'idempotency-key');
  if (value === undefined) return undefined;
  if (!KEY.test(value)) {
    throw new ValidationError('Idempotency-Key: must be 1 to 255 visible ASCII characters', [
      { pointer: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}

/** JSON with object keys sorted, so that the same body in another key order hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The record id of (owner, key): hashed, so any key fits DynamoDB's key size and no owner reads another's. */
export const recordIdOf = (ownerId: string, key: string): string => `createTask#${sha256(JSON.stringify([ownerId, key]))}`;

export interface IdempotentCreateDeps {
  store: IdempotencyStore;
  /** The task a request would create (new id, timestamps); nothing is written. */
  draft: (input: NewTask) => Task;
  /** The conditional Put that creates the task (the store sends it with the record's completion). */
  createPut: (ownerId: string, task: Task) => TaskPut;
  clock: () => Date;
}

export interface IdempotentCreateRequest {
  ownerId: string;
  idempotencyKey: string;
  input: NewTask;
  /** How long this invocation may still run: other requests with the key get a 409 until then. */
  remainingMs: number;
}

/** Creates at most one task per (owner, key); every retry answers with that same task. */
export function idempotentCreate(deps: IdempotentCreateDeps): (request: IdempotentCreateRequest) => Promise<Task> {
  const finish = async (recordId: string, ownerId: string, task: Task, lockedUntil: number): Promise<Task> => {
    let outcome;
    try {
      outcome = await deps.store.commit(recordId, lockedUntil, deps.createPut(ownerId, task));
    } catch (error) {
      await deps.store.release(recordId, lockedUntil).catch(() => undefined);
      throw error;
    }
    if (outcome === 'task-exists') {
      // Only a record claimed before creations were transactional: its task was written, its completion lost.
      await deps.store.complete(recordId);
    } else if (outcome === 'lock-lost') {
      // Another retry took the lock over (this invocation outlived it): answer what that retry did, if it is done.
      const record = await deps.store.read(recordId, deps.clock().getTime());
      if (record?.status !== 'COMPLETED') {
        // A commit cancelled by a passing conflict leaves the lock ours: give it up (conditional on still holding it,
        // so a retry that did take it over keeps it), or every retry would be a 409 until this invocation's time ran out.
        await deps.store.release(recordId, lockedUntil).catch(() => undefined);
        throw new ConflictError('A request with this Idempotency-Key is still being processed; retry later.');
      }
      return record.task;
    }
    return task;
  };

  return async ({ ownerId, idempotencyKey, input, remainingMs }) => {
    const recordId = recordIdOf(ownerId, idempotencyKey);
    const requestHash = sha256(canonicalJson(input));
    const now = deps.clock().getTime();
    const lockedUntil = now + Math.max(0, remainingMs);
    const task = deps.draft(input);
    const expiresAt = Math.floor(now / 1000) + KEY_LIFETIME_SECONDS;
    if (await deps.store.claim(recordId, { status: 'INPROGRESS', requestHash, task, lockedUntil }, now, expiresAt)) {
      return finish(recordId, ownerId, task, lockedUntil);
    }
    const existing = await deps.store.read(recordId, now);
    // Claimed a moment ago and expired since: only a clock jump does that; the client may retry.
    if (!existing) throw new ConflictError('A request with this Idempotency-Key is still being processed; retry later.');
    if (existing.requestHash !== requestHash) {
      throw new UnprocessableContentError('This Idempotency-Key was already used with a different request body.');
    }
    if (existing.status === 'COMPLETED') return existing.task;
    if (existing.lockedUntil > now || !(await deps.store.takeOver(recordId, existing.lockedUntil, lockedUntil, existing.task.id, now))) {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry later.');
    }
    // The first request stopped (crash, timeout, failure) before completing: finish ITS task.
    return finish(recordId, ownerId, existing.task, lockedUntil);
  };
}
