/** The tasks table's item layout (the getTask DynamoDB integration reads the same attributes). */
import type { components } from '../../openapi/types.gen.js';
import { validatorFor } from './validation.js';

export type Task = components['schemas']['Task'];
export type TaskStatus = components['schemas']['TaskStatus'];

export interface TaskItem extends Task {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  ownerId: string;
}

export const ownerKey = (ownerId: string): string => `USER#${ownerId}`;
export const taskKey = (id: string): string => `TASK#${id}`;
export const statusKey = (ownerId: string, status: string): string => `USER#${ownerId}#STATUS#${status}`;

/** The item for a task; owner first in every key, so a user's queries never reach another's items. */
export function toItem(ownerId: string, task: Task): TaskItem {
  return {
    pk: ownerKey(ownerId),
    sk: taskKey(task.id),
    gsi1pk: statusKey(ownerId, task.status),
    gsi1sk: taskKey(task.id),
    ownerId,
    ...task,
  };
}

/** An item that is not a valid task (written around the API): a 500, never a 200 with invalid fields. */
export class CorruptItemError extends Error {
  override name = 'CorruptItemError';
}

const isTask = validatorFor('Task');

/**
 * The API representation of an item (only the contract's fields, in the contract's order), checked
 * against the contract's Task schema: nothing is coerced, so a missing or mistyped attribute fails.
 */
export function fromItem(item: Record<string, unknown>): Task {
  const task: Record<string, unknown> = {
    id: item.id,
    title: item.title,
    status: item.status,
    priority: item.priority,
    tags: item.tags,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
  if (item.description !== undefined) task.description = item.description;
  if (item.dueDate !== undefined) task.dueDate = item.dueDate;
  if (!isTask(task)) {
    const where = (isTask.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
    throw new CorruptItemError(`stored item ${String(item.pk)}/${String(item.sk)} is not a valid Task: ${where}`);
  }
  return task as unknown as Task;
}
