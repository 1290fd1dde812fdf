/**
 * A function variable naming one of the template's APIs by its execute-api URL (what templates `!Sub` for a
 * @connections client or a call to their own API), or one of its function URLs, reaches the function as the local URL.
 */
import { describe, expect, it } from 'vitest';
import { localApiUrls } from '../../emulator/app.js';
import { unservedStageNote } from '../../emulator/local-api-urls.js';

const URL_ID = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const rewrite = localApiUrls(new Map([['abc123defg', 'http://127.0.0.1:3002'], [URL_ID, 'http://127.0.0.1:3003']]));

describe.each([
  { given: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod', want: 'http://127.0.0.1:3002/prod' },
  { given: 'wss://abc123defg.execute-api.eu-west-1.amazonaws.com/prod', want: 'ws://127.0.0.1:3002/prod' },
  { given: 'https://abc123defg.execute-api.us-east-1.amazonaws.com:443/prod/@connections', want: 'http://127.0.0.1:3002/prod/@connections' },
  { given: 'https://abc123defg.execute-api.us-east-1.amazonaws.com', want: 'http://127.0.0.1:3002' },
  // A bare host the function prefixes with https:// itself: the local host and port (which answer TLS too).
  { given: 'abc123defg.execute-api.us-east-1.amazonaws.com/dev', want: '127.0.0.1:3002/dev' },
  { given: 'abc123defg.execute-api.cn-north-1.amazonaws.com.cn/dev', want: '127.0.0.1:3002/dev' },
  // A private API's endpoint-specific host (`<apiId>-<vpce-id>`): the same API.
  { given: 'https://abc123defg-vpce-0a1b2c3d4e5f60718.execute-api.us-east-1.amazonaws.com/api', want: 'http://127.0.0.1:3002/api' },
  // Not one of the template's APIs, not an execute-api URL, or not a URL at all: unchanged.
  { given: 'https://zzz999zzzz.execute-api.us-east-1.amazonaws.com/prod', want: 'https://zzz999zzzz.execute-api.us-east-1.amazonaws.com/prod' },
  { given: 'https://abc123defg.lambda-url.us-east-1.on.aws/', want: 'https://abc123defg.lambda-url.us-east-1.on.aws/' },
  // A function URL of the template (GetAtt <Url>.FunctionUrl): its local port.
  { given: `https://${URL_ID}.lambda-url.us-east-1.on.aws/`, want: 'http://127.0.0.1:3003/' },
  { given: `https://${URL_ID}.lambda-url.eu-west-1.on.aws/stream?x=1`, want: 'http://127.0.0.1:3003/stream?x=1' },
  { given: `${URL_ID}.lambda-url.us-east-1.on.aws`, want: '127.0.0.1:3003' },
  { given: 'https://ffffffffffffffffffffffffffffffff.lambda-url.us-east-1.on.aws/', want: 'https://ffffffffffffffffffffffffffffffff.lambda-url.us-east-1.on.aws/' },
  { given: 'abc123defg', want: 'abc123defg' },
  { given: '', want: '' },
])('localApiUrls($given)', ({ given, want }) => {
  it(`is ${want || '(empty)'}`, () => {
    expect(rewrite(given)).toBe(want);
  });
});

describe('unservedStageNote: a local URL under a stage its REST API port does not serve', () => {
  const apis = [
    { kind: 'rest' as const, logicalId: 'ServerlessRestApi', stageName: 'Prod', url: 'http://127.0.0.1:3000/Prod', extraStageUrls: ['http://127.0.0.1:3000/Stage'] },
    { kind: 'http' as const, logicalId: 'ServerlessHttpApi', stageName: '$default', url: 'http://127.0.0.1:3001' },
  ];

  it('names the stage, the API and the URL of the same path on the stage served', () => {
    expect(unservedStageNote(apis, 'http://127.0.0.1:3000/Beta/encrypt?x=1')).toBe('NOT SERVED locally: stage "Beta" of ServerlessRestApi (only its stage "Prod" is served: http://127.0.0.1:3000/Prod/encrypt?x=1)');
  });

  it.each([
    'http://127.0.0.1:3000/Prod/encrypt',
    'http://127.0.0.1:3000/Prod',
    'http://127.0.0.1:3000/Stage/encrypt',
    'http://127.0.0.1:3000/',
    'http://127.0.0.1:3000',
    'http://127.0.0.1:3000/docs',
    'http://127.0.0.1:30000/Beta/x',
    'http://127.0.0.1:3001/Beta/x',
    'arn:aws:lambda:us-east-1:123456789012:function:Encrypt',
  ])('says nothing of %s (the served stage, SAM`s extra Stage stage, no stage, the docs page, another port, an HTTP API, no URL)', (local) => {
    expect(unservedStageNote(apis, local)).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:3005/emulator-unresolved:Parameter/StageName',
    'http://127.0.0.1:3005/emulator-unresolved:Parameter/StageName/tasks',
  ])('says nothing of %s, the served stage whose name is the placeholder of a parameter without a value (2pax-hq/serverless-todo-example)', (local) => {
    // Prepare
    const stageName = 'emulator-unresolved:Parameter/StageName';
    const placeholderApi = { kind: 'rest' as const, logicalId: 'ToDoAPI', stageName, url: `http://127.0.0.1:3005/${stageName}` };

    // Act / Assess
    expect(unservedStageNote([placeholderApi], local)).toBeUndefined();
  });
});
