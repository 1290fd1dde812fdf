/**
 * The start report's "Try it" request on a SAM API whose default Cognito authorizer also guards the CORS preflights
 * SAM writes (AddDefaultAuthorizerToCorsPreflight, true by default): it shows a route of the API, not a preflight.
 */
import { describe, expect, it } from 'vitest';
import { formatStartupReport } from '../../../emulator/report.js';
import { eventAppForSuite } from '../support/event-app.js';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  PoolClient:
    Type: AWS::Cognito::UserPoolClient
    Properties: { UserPoolId: !Ref Pool }
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Users
        Authorizers:
          Users: { UserPoolArn: !GetAtt Pool.Arn }
  Notes:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => ({ statusCode: 201, body: event.httpMethod + ' ' + event.resource });
      Events:
        Home: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /, Method: get, Auth: { Authorizer: NONE } } }
        Add: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /notes, Method: post } }
`;

const app = eventAppForSuite('try-it-example-', { 'template.yaml': TEMPLATE });

/** The printed curl command, as words (the token is quoted as one). */
const curlWords = (): string[] => {
  const line = formatStartupReport(app(), 0).split('\n').find((l) => l.startsWith('  curl'));
  return [...(line ?? '').matchAll(/'[^']*'|\S+/g)].map((m) => m[0].replace(/^'|'$/g, ''));
};

describe('R7.22 the start report`s Try it request', () => {
  it('R7.22 calls the authorized POST route, not the authorized OPTIONS preflight SAM listed before it', () => {
    const words = curlWords();
    expect(words.slice(0, 3)).toEqual(['curl', '-X', 'POST']);
    expect(words.at(-1)).toBe(`${app().apis[0]!.url}/notes`);
  });

  it('R7.22 answers as printed: the token passes the authorizer and the function answers', async () => {
    const words = curlWords();
    const authorization = words[words.indexOf('-H') + 1]!.replace(/^Authorization: /, '');
    const got = await fetch(words.at(-1)!, { method: 'POST', headers: { authorization } });
    expect([got.status, await got.text()]).toEqual([201, 'POST /notes']);
  });
});
