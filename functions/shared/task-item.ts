/** The tasks table's item layout (the getTask DynamoDB integration reads the same attributes). */
import type { components } from '../../openapi/types.gen.js';

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

/** The API representation of an item (only the contract's fields, in the contract's order). */
export function fromItem(item: Record<string, unknown>): Task {
  const task: Task = {
    id: String(item.id),
    title: String(item.title),
    status: item.status as TaskStatus,
    priority: item.priority as Task['priority'],
    tags: Array.isArray(item.tags) ? item.tags.map(String) : [],
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
  if (typeof item.description === 'string') task.description = item.description;
  if (typeof item.dueDate === 'string') task.dueDate = item.dueDate;
  return task;
}
