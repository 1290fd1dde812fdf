/**
 * Blank text: a title or tag made only of white space reads as nothing in every list that shows it, so the contract
 * refuses it (TitleInput, TagsInput). White space is Unicode's (no-break and ideographic spaces, U+FEFF), the same on
 * both variants: the REST API's validator reads `\s` as Java does (ASCII only), the handlers as JavaScript does, so
 * the schema spells the characters out, and a title of no-break spaces must fail on both.
 */
import { describe, expect, it } from 'vitest';
import { createTask, expectProblem, newTask, tasksTitled, useTarget, type NewTask } from './support/suite.js';

const api = useTarget();
const VALIDATION = 'urn:task-api:problem:validation';
const update = { status: 'todo', priority: 'low', tags: [] } as const;

/** Tasks whose title or a tag is white space only: what a refusal must not have written. */
async function blankTasks(): Promise<unknown[]> {
  return (await tasksTitled(api.a, '')).filter((t) => t.title.trim() === '' || t.tags.some((tag) => /^\s/.test(tag)));
}

describe('blank titles and tags are 400 validation, and nothing is written', () => {
  it.each<{ given: string; body: NewTask; pointer: string }>([
    { given: 'a title of spaces', body: { title: '   ' }, pointer: 'title' },
    { given: 'a title of no-break spaces (not \\s in Java)', body: { title: '\u00a0\u00a0' }, pointer: 'title' },
    { given: 'a title of an ideographic space and a byte-order mark', body: { title: '\u3000\ufeff' }, pointer: 'title' },
    { given: 'a title of an en quad (U+2000, which NFC makes an en space)', body: { title: '\u2000' }, pointer: 'title' },
    { given: 'a tag starting with a no-break space', body: { title: 'x', tags: ['\u00a0tag'] }, pointer: 'tags' },
    { given: 'a tag starting with an em space', body: { title: 'x', tags: ['\u2003tag'] }, pointer: 'tags' },
  ])('createTask with $given', async ({ body, pointer }) => {
    // Act
    const result = await api.a.POST('/tasks', { body });
    // Assess
    const problem = expectProblem(result, 400, VALIDATION);
    expect(JSON.stringify(problem.errors ?? problem.detail)).toContain(pointer);
    expect(await blankTasks()).toEqual([]);
  });

  it('updateTask to a title of spaces is 400, and the task keeps its title and version', async () => {
    // Prepare
    const task = await createTask(api.a, newTask(api.target, 'blank-update'));
    // Act
    const result = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: { title: ' \u2009 ', ...update, tags: [] } });
    // Assess
    expectProblem(result, 400, VALIDATION);
    expect((await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: task.id } } })).data).toEqual(task);
  });
});

describe('text with white space around a visible character is accepted as sent', () => {
  it.each<{ given: string; title: (unique: string) => string; tags?: string[] }>([
    { given: 'leading spaces', title: (u) => `   ${u}` },
    { given: 'a no-break space inside', title: (u) => `${u}\u00a0x` },
    { given: 'trailing ideographic space', title: (u) => `${u}\u3000` },
    { given: 'a tag with a space inside and at its end', title: (u) => u, tags: ['two words', 'end '] },
    { given: 'a zero-width space (no white space, a format character)', title: (u) => `${u}\u200b` },
  ])('createTask with $given: 201, the title kept', async ({ title, tags }) => {
    // Prepare
    const sent = title(newTask(api.target, 'blank-neighbour').title);
    // Act
    const task = await createTask(api.a, { title: sent, ...(tags ? { tags } : {}) });
    // Assess
    expect(task.title).toBe(sent);
    expect(task.tags).toEqual(tags ?? []);
  });
});
