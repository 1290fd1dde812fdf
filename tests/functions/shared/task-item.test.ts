import { describe, expect, it } from 'vitest';
import { CorruptItemError, fromItem, toItem, type Task } from '../../../functions/shared/task-item.js';

const TASK: Task = {
  id: '01JD5ZQ3W8K2M4N6P8R0T2V4X6',
  title: 'Write',
  status: 'todo',
  priority: 'medium',
  tags: ['a'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
const item = (change: Record<string, unknown>, drop: string[] = []): Record<string, unknown> => {
  const base: Record<string, unknown> = { ...toItem('alice', TASK), ...change };
  for (const name of drop) delete base[name];
  return base;
};

describe('fromItem', () => {
  it('maps a valid item to exactly the contract fields (keys and owner left out)', () => {
    expect(fromItem(item({ description: 'd', dueDate: '2026-12-01' }))).toEqual({ ...TASK, description: 'd', dueDate: '2026-12-01' });
  });

  it.each<{ given: string; change?: Record<string, unknown>; drop?: string[] }>([
    { given: 'no title', drop: ['title'] },
    { given: 'a numeric title', change: { title: 5 } },
    { given: 'a 201-character title', change: { title: 't'.repeat(201) } },
    { given: 'a status outside the enum', change: { status: 'archived' } },
    { given: 'no version', drop: ['version'] },
    { given: 'a string version', change: { version: '3' } },
    { given: 'version 0', change: { version: 0 } },
    { given: 'tags that are not a list', change: { tags: new Set(['a']) } },
    { given: 'a numeric tag', change: { tags: [1] } },
    { given: 'no createdAt', drop: ['createdAt'] },
    { given: 'an impossible dueDate', change: { dueDate: '2026-13-01' } },
    { given: 'a numeric description', change: { description: 7 } },
    { given: 'an id that is not a ULID', change: { id: 'x' } },
  ])('$given: a CorruptItemError (a 500), never "undefined" or a coerced value', ({ change = {}, drop = [] }) => {
    expect(() => fromItem(item(change, drop))).toThrow(CorruptItemError);
  });
});
