import { describe, expect, it } from 'vitest';
import { idTime, newId } from '../../../functions/shared/ids.js';
import { validatorFor } from '../../../functions/shared/validation.js';

describe('ULID ids', () => {
  it('match the contract TaskId pattern', () => {
    // Prepare
    const isTaskId = validatorFor('TaskId');
    // Act
    const ids = Array.from({ length: 200 }, () => newId());
    // Assess
    expect(ids.every((id) => isTaskId(id))).toBe(true);
  });

  it('sort in creation order, several per millisecond included', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encode their creation time', () => {
    const at = Date.UTC(2030, 0, 2, 3, 4, 5, 6);
    expect(idTime(newId(at))).toBe(at);
  });
});
