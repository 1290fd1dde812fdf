import { describe, expect, it } from 'vitest';
import { corsHeaders, requireEnv } from '../../../functions/shared/config.js';

describe('configuration', () => {
  it.each([
    { name: 'absent', env: {} },
    { name: 'empty', env: { TASKS_TABLE_NAME: '' } },
    { name: 'blank', env: { TASKS_TABLE_NAME: '  ' } },
  ])('a $name variable fails naming it', ({ env }) => {
    expect(() => requireEnv('TASKS_TABLE_NAME', env)).toThrow(/Missing required environment variable TASKS_TABLE_NAME/);
  });

  it('returns a set variable', () => {
    expect(requireEnv('X', { X: 'tasks' })).toBe('tasks');
  });

  it('a handler fails fast at module load when its configuration is missing', async () => {
    delete process.env.TASKS_TABLE_NAME;
    await expect(import('../../../functions/deleteTask.js')).rejects.toThrow(/TASKS_TABLE_NAME/);
  });

  it('CORS: the configured origin, exposed ETag/Location, never a credentials header', () => {
    expect(corsHeaders('https://app.example')).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Expose-Headers': 'ETag,Location',
    });
  });
});
