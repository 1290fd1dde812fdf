/** Task use cases: defaults, ids, timestamps, pagination cursors. Storage is the repository's job. */
import type { components } from '../../openapi/types.gen.js';
import { decodeCursor, encodeCursor, type CursorScope } from './cursor.js';
import type { Precondition } from './etag.js';
import { newId } from './ids.js';
import type { TaskPut, TaskRepository } from './task-repository.js';
import type { Task, TaskStatus } from './task-item.js';

type NewTask = components['schemas']['NewTask'];
type TaskUpdate = components['schemas']['TaskUpdate'];
type TaskPage = components['schemas']['TaskPage'];

export interface ListOptions {
  status?: TaskStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** An empty description is stored as absent, as the getTask template renders it. */
const optional = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

export class TaskService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates a task at version 1 with the contract's defaults (status todo, priority medium, no tags). */
  async create(ownerId: string, input: NewTask): Promise<Task> {
    const task = this.draft(input);
    await this.repository.create(ownerId, task);
    return task;
  }

  /** The task `input` creates (new id, timestamps, defaults), not yet written. */
  draft(input: NewTask): Task {
    const now = this.clock().toISOString();
    const task: Task = {
      id: newId(),
      title: input.title,
      status: input.status ?? 'todo',
      priority: input.priority ?? 'medium',
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const description = optional(input.description);
    if (description !== undefined) task.description = description;
    if (input.dueDate !== undefined) task.dueDate = input.dueDate;
    return task;
  }

  /** The conditional Put that creates a drafted task, not sent: the idempotency record's completion carries it. */
  createPut(ownerId: string, task: Task): TaskPut {
    return this.repository.createPut(ownerId, task);
  }

  /** The owner's task; someone else's task is indistinguishable from an absent one (both 404). */
  async get(ownerId: string, id: string): Promise<Task> {
    return this.repository.get(ownerId, id);
  }

  /** Full replace: absent optional fields are removed; 404 / 412 from the repository's conditions. */
  async replace(ownerId: string, id: string, input: TaskUpdate, expected: Precondition): Promise<Task> {
    return this.repository.replace(
      ownerId,
      id,
      {
        title: input.title,
        status: input.status,
        priority: input.priority,
        tags: input.tags,
        description: optional(input.description),
        dueDate: input.dueDate,
        updatedAt: this.clock().toISOString(),
      },
      expected,
    );
  }

  async delete(ownerId: string, id: string, expected: Precondition): Promise<void> {
    await this.repository.delete(ownerId, id, expected);
  }

  /** One page of the owner's tasks, newest first; `cursorKey` signs and checks the cursors. */
  async list(ownerId: string, options: ListOptions, cursorKey: string): Promise<TaskPage> {
    const scope: CursorScope = { ownerId, status: options.status };
    const startKey = options.cursor === undefined ? undefined : decodeCursor(options.cursor, scope, cursorKey);
    const page = await this.repository.page(ownerId, { status: options.status, limit: options.limit, startKey });
    return {
      data: page.tasks,
      pagination: {
        hasMore: page.lastKey !== undefined,
        nextCursor: page.lastKey ? encodeCursor(page.lastKey, scope, cursorKey) : null,
      },
    };
  }
}
