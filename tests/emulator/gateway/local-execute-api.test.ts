/** emulator/gateway/integration-http.ts localExecuteApi: an execute-api URL of an API served in this run is its local origin. */
import { describe, expect, it } from 'vitest';
import { localExecuteApi } from '../../../emulator/gateway/integration-http.js';

const served = new Map([['a1b2c3d4e5', 'http://127.0.0.1:3001']]);

describe('localExecuteApi', () => {
  it.each([
    { given: 'a served API, https', url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/x?y=1', want: 'http://127.0.0.1:3001/prod/x?y=1' },
    { given: 'a served API in a China region', url: 'https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/prod', want: 'http://127.0.0.1:3001/prod' },
    { given: 'a served API, host in capitals', url: 'https://A1B2C3D4E5.EXECUTE-API.us-east-1.amazonaws.com/prod', want: 'http://127.0.0.1:3001/prod' },
    { given: 'an API this run does not serve', url: 'https://zzzzzzzzzz.execute-api.us-east-1.amazonaws.com/prod', want: 'https://zzzzzzzzzz.execute-api.us-east-1.amazonaws.com/prod' },
    { given: 'another host', url: 'https://a1b2c3d4e5.example.com/prod', want: 'https://a1b2c3d4e5.example.com/prod' },
    { given: 'a custom domain', url: 'https://api.example.com/a1b2c3d4e5', want: 'https://api.example.com/a1b2c3d4e5' },
  ])('$given', ({ url, want }) => {
    expect(localExecuteApi(new URL(url), served).href).toBe(want);
  });

  it('leaves every URL as written when no API is served beside (the gateway used on its own)', () => {
    expect(localExecuteApi(new URL('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod'), undefined).href).toBe('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod');
  });
});
