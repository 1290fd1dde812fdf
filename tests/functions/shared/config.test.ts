import { describe, expect, it } from 'vitest';
import { corsHeaders, DEFAULT_SDK_REQUEST_TIMEOUT_MS, requireEnv, sdkRequestTimeoutMs } from '../../../functions/shared/config.js';

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

  it.each([
    { given: 'unset', env: {}, want: DEFAULT_SDK_REQUEST_TIMEOUT_MS },
    { given: 'empty', env: { SDK_REQUEST_TIMEOUT_MS: '' }, want: DEFAULT_SDK_REQUEST_TIMEOUT_MS },
    { given: 'the lowest', env: { SDK_REQUEST_TIMEOUT_MS: '100' }, want: 100 },
    { given: 'a raised bound', env: { SDK_REQUEST_TIMEOUT_MS: '5000' }, want: 5_000 },
    { given: 'the highest', env: { SDK_REQUEST_TIMEOUT_MS: '60000' }, want: 60_000 },
  ])('SDK request bound $given: $want ms', ({ env, want }) => {
    expect(sdkRequestTimeoutMs(env)).toBe(want);
  });

  it.each(['99', '60001', '1.5', '-1', 'abc', '2s', '0x10', '0x64', '1e3', ' 500 ', '+500'])('SDK request bound %j fails naming the variable', (raw) => {
    expect(() => sdkRequestTimeoutMs({ SDK_REQUEST_TIMEOUT_MS: raw })).toThrow(/SDK_REQUEST_TIMEOUT_MS/);
  });

  it('the production bound is 2 s', () => {
    expect(DEFAULT_SDK_REQUEST_TIMEOUT_MS).toBe(2_000);
  });
});
