import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../functions/shared/cursor.js';
import { BadRequestError } from '../../../functions/shared/errors.js';

const KEY = 'k'.repeat(32);
const lastKey = { pk: 'USER#alice', sk: 'TASK#01JD5ZQ3W8K2M4N6P8R0T2V4X6' };
const scope = { ownerId: 'alice', status: 'todo' };

function flipLastChar(text: string): string {
  const last = text.at(-1) === 'A' ? 'B' : 'A';
  return text.slice(0, -1) + last;
}

describe('pagination cursor', () => {
  it('round-trips the LastEvaluatedKey for the same query', () => {
    const cursor = encodeCursor(lastKey, scope, KEY);
    expect(decodeCursor(cursor, scope, KEY)).toEqual(lastKey);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  const good = encodeCursor(lastKey, scope, KEY);
  const [payload, mac] = good.split('.') as [string, string];
  const forgedPayload = Buffer.from(JSON.stringify({ k: { pk: 'USER#bob', sk: 'TASK#X' }, o: 'alice', s: 'todo' })).toString('base64url');

  describe.each([
    { name: 'garbage', given: () => 'not-a-cursor', scope },
    { name: 'empty signature', given: () => `${payload}.`, scope },
    { name: 'tampered signature', given: () => `${payload}.${flipLastChar(mac)}`, scope },
    { name: 'tampered payload', given: () => `${forgedPayload}.${mac}`, scope },
    { name: 'three parts', given: () => `${good}.x`, scope },
    { name: "another user's cursor", given: () => good, scope: { ownerId: 'bob', status: 'todo' } },
    { name: "another filter's cursor", given: () => good, scope: { ownerId: 'alice', status: 'done' } },
    { name: 'a filtered cursor used without filter', given: () => good, scope: { ownerId: 'alice' } },
    { name: 'signed with another key', given: () => encodeCursor(lastKey, scope, 'other-key'), scope },
    { name: 'valid signature over a non-key payload', given: () => signed({ k: ['x'], o: 'alice', s: 'todo' }), scope },
  ])('$name', ({ given, scope: used }) => {
    it('is a 400 invalid-cursor problem', () => {
      const act = () => decodeCursor(given(), used, KEY);
      expect(act).toThrow(BadRequestError);
      expect(act).toThrow(/^cursor: /);
    });
  });
});

/** A correctly signed cursor around an arbitrary body, to reach the payload checks after the MAC. */
function signed(body: unknown): string {
  const p = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${p}.${createHmac('sha256', KEY).update(p).digest('base64url')}`;
}
