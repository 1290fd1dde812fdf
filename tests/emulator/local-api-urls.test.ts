/**
 * A function variable naming one of the template's APIs by its execute-api URL (what templates `!Sub` for a
 * @connections client or a call to their own API) reaches the function as the API's local URL.
 */
import { describe, expect, it } from 'vitest';
import { localApiUrls } from '../../emulator/app.js';

const rewrite = localApiUrls(new Map([['abc123defg', 'http://127.0.0.1:3002']]));

describe.each([
  { given: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod', want: 'http://127.0.0.1:3002/prod' },
  { given: 'wss://abc123defg.execute-api.eu-west-1.amazonaws.com/prod', want: 'ws://127.0.0.1:3002/prod' },
  { given: 'https://abc123defg.execute-api.us-east-1.amazonaws.com:443/prod/@connections', want: 'http://127.0.0.1:3002/prod/@connections' },
  { given: 'https://abc123defg.execute-api.us-east-1.amazonaws.com', want: 'http://127.0.0.1:3002' },
  // A bare host the function prefixes with https:// itself: the local host and port (which answer TLS too).
  { given: 'abc123defg.execute-api.us-east-1.amazonaws.com/dev', want: '127.0.0.1:3002/dev' },
  { given: 'abc123defg.execute-api.cn-north-1.amazonaws.com.cn/dev', want: '127.0.0.1:3002/dev' },
  // Not one of the template's APIs, not an execute-api URL, or not a URL at all: unchanged.
  { given: 'https://zzz999zzzz.execute-api.us-east-1.amazonaws.com/prod', want: 'https://zzz999zzzz.execute-api.us-east-1.amazonaws.com/prod' },
  { given: 'https://abc123defg.lambda-url.us-east-1.on.aws/', want: 'https://abc123defg.lambda-url.us-east-1.on.aws/' },
  { given: 'abc123defg', want: 'abc123defg' },
  { given: '', want: '' },
])('localApiUrls($given)', ({ given, want }) => {
  it(`is ${want || '(empty)'}`, () => {
    expect(rewrite(given)).toBe(want);
  });
});
