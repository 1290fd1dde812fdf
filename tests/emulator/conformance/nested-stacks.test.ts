/**
 * Conformance: the APIs of nested stacks are served beside the root's, as `sam local start-api` serves them, each
 * stack with its own functions (the same logical id in two stacks is two functions), and the startup report accounts
 * for every stack's resources.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError, type RunningEmulator } from '../../../emulator/app.js';
import { LocalState } from '../../../emulator/identity/local-state.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { keysCommand } from '../../../emulator/tools/keys.js';
import { tokenFor } from '../../../emulator/tools/token.js';
import { usageCommand } from '../../../emulator/tools/usage.js';
import { proxyToArnParameter, samApiResource } from '../support/sam-api-yaml.js';

const TEMPLATE = resolve('tests/emulator/fixtures/nested-app/template.yaml');
const localDir = mkdtempSync(join(tmpdir(), 'nested-app-'));
let emulator: RunningEmulator;
const urlOf = (logicalId: string): string => {
  const api = emulator.apis.find((a) => a.logicalId === logicalId);
  if (!api) throw new Error(`no API ${logicalId} among ${emulator.apis.map((a) => a.logicalId).join(', ')}`);
  return api.url;
};

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, maxConcurrency: 1, log: () => {}, onRequest: () => {} });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

/** Writes a root template and its nested stacks' into a folder of their own and serves them for the suite. */
function serveStacks(prefix: string, files: Record<string, string>): () => RunningEmulator {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    running = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), log: () => {}, onRequest: () => {} });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => running!;
}

describe('nested stacks served beside the root', () => {
  it('serves every stack\'s API on a port of its own, named by its path from the root', () => {
    expect(emulator.apis.map((a) => [a.logicalId, a.kind])).toEqual([
      ['ServerlessRestApi', 'rest'],
      ['ChildApp/ServerlessRestApi', 'rest'],
      ['ChildStack/ServerlessHttpApi', 'http'],
    ]);
    expect(new Set(emulator.apis.map((a) => a.port)).size).toBe(3);
  });

  it('each stack\'s HelloFunction is its own: the root\'s and the child\'s answer as written', async () => {
    const [root, nested] = await Promise.all([fetch(`${urlOf('ServerlessRestApi')}/hello`), fetch(`${urlOf('ChildApp/ServerlessRestApi')}/hello`)]);

    expect(await root.json()).toMatchObject({ from: 'root', childFunction: 'HelloFunction' });
    expect(await nested.json()).toEqual({ from: 'child', greeting: 'hello from the child', table: 'local-RootTable', unused: 'the default' });
  });

  it('H3.1 a nested CloudFormation stack\'s HTTP API answers at its $default stage', async () => {
    const res = await fetch(`${urlOf('ChildStack/ServerlessHttpApi')}/ping`);

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('pong from the nested stack');
  });

  it('the startup report lists each nested stack with its resources, and the application it could not load', () => {
    const report = formatStartupReport(emulator, 1);

    expect(report).toContain('API ChildApp/ServerlessRestApi (stage Prod)');
    expect(report).toContain('HTTP API ChildStack/ServerlessHttpApi (stage $default)');
    expect(report).toMatch(/Nested stack ChildApp \(.*child\/template\.yaml\): its APIs are listed above as ChildApp\/<Api>\n {2}Resources \(2\):\n {4}EMULATED {5}AWS::Serverless::Function: HelloFunction\n {4}EMULATED {5}AWS::Serverless::SimpleTable: ChildTable/);
    expect(report).toMatch(/NOT EMULATED AWS::Serverless::Application: FromRepository - nested stack not loaded: an application of the Serverless Application Repository/);
  });
});

describe('--strict with nested stacks', () => {
  it('refuses a nested stack it could not load, naming it', async () => {
    const started = startEmulator({ templatePath: TEMPLATE, port: 0, localDir, strict: true, log: () => {} });

    await expect(started).rejects.toBeInstanceOf(StrictModeError);
    await expect(started).rejects.toThrow(/FromRepository/);
  });
});

describe("an API invoking a sibling stack's function (its ARN from the sibling's Outputs), the permission in a third", () => {
  const fn = (id: string, body: string) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: index.handler, Runtime: nodejs22.x, InlineCode: 'exports.handler = async () => ({ statusCode: 200, body: "${body}" });'}\n`;
  const served = serveStacks('nested-linked-', {
    'functions.yaml': `Resources:\n${fn('Register', 'from the functions stack')}${fn('Unpermitted', 'never')}Outputs:\n  RegisterArn: {Value: !GetAtt Register.Arn}\n  UnpermittedArn: {Value: !GetAtt Unpermitted.Arn}\n`,
    'api.yaml': `Parameters: {RegisterArn: {Type: String}, UnpermittedArn: {Type: String}}\nResources:\n${samApiResource('Rest', `{/register: {post: ${proxyToArnParameter('RegisterArn')}}, /unpermitted: {post: ${proxyToArnParameter('UnpermittedArn')}}}`)}\n`,
    'permissions.yaml': 'Parameters: {RegisterArn: {Type: String}}\nResources:\n  Allow:\n    Type: AWS::Lambda::Permission\n    Properties: {Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: !Ref RegisterArn}\n',
    'template.yaml': [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Application',
      '    Properties: {Location: ./api.yaml, Parameters: {RegisterArn: !GetAtt Functions.Outputs.RegisterArn, UnpermittedArn: !GetAtt Functions.Outputs.UnpermittedArn}}',
      '  Functions:',
      '    Type: AWS::Serverless::Application',
      '    Properties: {Location: ./functions.yaml}',
      '  Permissions:',
      '    Type: AWS::Serverless::Application',
      '    Properties: {Location: ./permissions.yaml, Parameters: {RegisterArn: !GetAtt Functions.Outputs.RegisterArn}}',
    ].join('\n'),
  });

  it('invokes it in the stack that owns it, and the report names it by its stack', async () => {
    const api = served().apis.find((a) => a.logicalId === 'Api/Rest')!;

    const got = await fetch(`${api.url}/register`, { method: 'POST' });

    expect([got.status, await got.text()]).toEqual([200, 'from the functions stack']);
    expect(api.routes.find((r) => r.path === '/register')).toMatchObject({ functionLogicalId: 'Functions/Register', emulated: true });
  });

  it('the report says where a nested stack\'s APIs are listed only for the one that has an API', () => {
    const report = formatStartupReport(served(), 1);

    expect(report).toMatch(/Nested stack Api \(.*api\.yaml\): its APIs are listed above as Api\/<Api>\n/);
    expect(report).toMatch(/Nested stack Functions \(.*functions\.yaml\): no API of its own\n/);
    expect(report).toMatch(/Nested stack Permissions \(.*permissions\.yaml\): no API of its own\n/);
  });

  it('neighbour: a sibling function no permission names answers 500, as on AWS (R1.54)', async () => {
    const api = served().apis.find((a) => a.logicalId === 'Api/Rest')!;

    const got = await fetch(`${api.url}/unpermitted`, { method: 'POST' });

    expect([got.status, await got.json()]).toEqual([500, { message: 'Internal server error' }]);
  });
});

describe("authorizers over a nested stack's user pool (its issuer, ARN and client id from the stack's Outputs)", () => {
  const handler = "exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer) });";
  // As serverless-patterns' cognito-httpapi writes it: the pool in a nested application, the API in the root.
  const pooled = serveStacks('nested-pool-', {
    'auth.yaml': [
      'Resources:',
      '  UserPool: {Type: AWS::Cognito::UserPool}',
      '  Client: {Type: AWS::Cognito::UserPoolClient, Properties: {UserPoolId: !Ref UserPool}}',
      'Outputs:',
      '  Issuer: {Value: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"}',
      '  PoolArn: {Value: !GetAtt UserPool.Arn}',
      '  ClientId: {Value: !Ref Client}',
    ].join('\n'),
    'template.yaml': [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  AuthStack:',
      '    Type: AWS::Serverless::Application',
      '    Properties: {Location: ./auth.yaml}',
      '  HttpApi:',
      '    Type: AWS::Serverless::HttpApi',
      '    Properties:',
      '      Auth:',
      '        DefaultAuthorizer: Jwt',
      '        Authorizers: {Jwt: {IdentitySource: $request.header.Authorization, JwtConfiguration: {issuer: !GetAtt AuthStack.Outputs.Issuer, audience: [!GetAtt AuthStack.Outputs.ClientId]}}}',
      '  RestApi:',
      '    Type: AWS::Serverless::Api',
      '    Properties:',
      '      StageName: Prod',
      '      Auth: {DefaultAuthorizer: Pool, Authorizers: {Pool: {UserPoolArn: !GetAtt AuthStack.Outputs.PoolArn}}}',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x',
      '      Handler: index.handler',
      `      InlineCode: "${handler.replaceAll('"', '\\"')}"`,
      '      Events:',
      '        Http: {Type: HttpApi, Properties: {ApiId: !Ref HttpApi, Path: /me, Method: GET}}',
      '        Rest: {Type: Api, Properties: {RestApiId: !Ref RestApi, Path: /me, Method: GET}}',
    ].join('\n'),
  });

  it.each([
    { api: 'HttpApi', rule: 'H7.1', authorization: (token: string) => `Bearer ${token}`, claims: (body: { jwt?: { claims: Record<string, unknown> } }) => body.jwt?.claims },
    { api: 'RestApi', rule: 'R7.21', authorization: (token: string) => token, claims: (body: { claims?: Record<string, unknown> }) => body.claims },
  ])('$rule the $api route is served and takes a token of the nested pool (minted as AuthStack/UserPool)', async ({ api, authorization, claims }) => {
    const served = pooled().apis.find((a) => a.logicalId === api)!;
    const token = pooled().issueToken({ sub: 'alice', pool: 'AuthStack/UserPool' });

    const got = await fetch(`${served.url}/me`, { headers: { authorization: authorization(token) } });
    const refused = await fetch(`${served.url}/me`, { headers: { authorization: authorization(`${token.slice(0, -4)}AAAA`) } });

    expect(served.routes.find((r) => r.path === '/me')).toMatchObject({ emulated: true });
    expect(got.status).toBe(200);
    expect(claims(await got.json())).toMatchObject({ sub: 'alice', token_use: 'id' });
    expect(refused.status).toBe(401);
  });

  it('the token tool mints for the nested pool by its path (--pool AuthStack/UserPool)', async () => {
    const served = pooled().apis.find((a) => a.logicalId === 'HttpApi')!;
    const token = tokenFor({ sub: 'carol', pool: 'AuthStack/UserPool' }, pooled().template, new LocalState(pooled().localDir));

    const got = await fetch(`${served.url}/me`, { headers: { authorization: `Bearer ${token}` } });

    expect(got.status).toBe(200);
    expect(() => tokenFor({ sub: 'carol', pool: 'Elsewhere/UserPool' }, pooled().template, new LocalState(pooled().localDir))).toThrow(/Elsewhere\/UserPool.*is not an AWS::Cognito::UserPool/);
  });

  it('the only pool of the template is the default of a token, wherever it is', () => {
    const token = pooled().issueToken({ sub: 'bob' });

    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: 'bob', iss: expect.stringMatching(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_/) });
  });
});

describe("a nested stack's API keys and usage plans (R6.4) are listed at start and by the keys tool, named by the stack's path", () => {
  // As davfru/aws-lambda-authorizer writes it: the key-required API, its key and its plan all in a nested application.
  const keyed = serveStacks('nested-keys-', {
    'api.yaml': [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Api',
      '    Properties: {StageName: dev, Auth: {ApiKeyRequired: true, UsagePlan: {CreateUsagePlan: PER_API}}}',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x',
      '      Handler: index.handler',
      '      InlineCode: "exports.handler = async () => ({ statusCode: 200, body: \'ok\' });"',
      '      Events: {Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: GET}}}',
    ].join('\n'),
    'template.yaml': ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Child:', '    Type: AWS::Serverless::Application', '    Properties: {Location: ./api.yaml}'].join('\n'),
  });

  it('the report lists the nested key with its value and plan, and that value is the one the API takes', async () => {
    const running = keyed();
    const value = running.apiKeys['Child/ApiUsagePlan'];
    const report = formatStartupReport(running, 0);

    const got = await fetch(`${running.apis.find((a) => a.logicalId === 'Child/Api')!.url}/items`, { headers: { 'x-api-key': String(value) } });

    expect(value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(report).toContain(`  Child/ApiApiKey: ${String(value)} (usage plan Child/ApiUsagePlan)`);
    expect(report).toMatch(/ {2}usage plan Child\/ApiUsagePlan \[\w+\/dev\] keys: Child\/ApiApiKey; no limits/);
    expect(got.status).toBe(200);
  });

  it('the keys tool prints the nested plan by its path, with the value the running API takes', async () => {
    const running = keyed();

    const printed = JSON.parse(await keysCommand(['-t', running.template.path])) as Record<string, string>;

    expect(Object.keys(printed)).toEqual(['Child/ApiUsagePlan']);
    expect(printed['Child/ApiUsagePlan']).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(printed['Child/ApiUsagePlan']).toBe(running.apiKeys['Child/ApiUsagePlan']);
  });
});

describe("R6.14 usage counted in the root's and a nested stack's plans is all kept in the local folder, and the usage tool reads both", () => {
  it('after a request with each stack`s key, both plans` counts are written on close', async () => {
    // Prepare: one key-required API in each stack, each with the usage plan SAM generates for it.
    const dir = mkdtempSync(join(tmpdir(), 'nested-usage-'));
    // Logical ids of their own in each stack: the same id in two stacks gives the same local plan and key ids.
    const api = (id: string) =>
      [
        `  ${id}:`,
        '    Type: AWS::Serverless::Api',
        '    Properties: {StageName: dev, Auth: {ApiKeyRequired: true, UsagePlan: {CreateUsagePlan: PER_API, Quota: {Limit: 100, Period: DAY}}}}',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        `    Properties: {Runtime: nodejs20.x, Handler: index.handler, InlineCode: "exports.handler = async () => ({ statusCode: 200, body: 'ok' });", Events: {Get: {Type: Api, Properties: {RestApiId: !Ref ${id}, Path: /items, Method: GET}}}}`,
      ].join('\n');
    writeFileSync(join(dir, 'child.yaml'), ['Transform: AWS::Serverless-2016-10-31', 'Resources:', api('Api')].join('\n'));
    writeFileSync(join(dir, 'template.yaml'), ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Child: {Type: AWS::Serverless::Application, Properties: {Location: ./child.yaml}}', api('RootApi')].join('\n'));
    const localDir = join(dir, '.local');
    const running = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir, log: () => {}, onRequest: () => {} });

    // Act
    try {
      for (const [id, plan] of [['RootApi', 'RootApiUsagePlan'], ['Child/Api', 'Child/ApiUsagePlan']] as const) {
        const got = await fetch(`${running.apis.find((a) => a.logicalId === id)!.url}/items`, { headers: { 'x-api-key': String(running.apiKeys[plan]) } });
        expect(got.status).toBe(200);
      }
    } finally {
      await running.close();
    }

    // Assess: one count under each plan's id, whichever stack's meter wrote last.
    const usage = new LocalState(localDir).read('usage') as Record<string, Record<string, Record<string, number>>>;
    const counts = Object.values(usage).map((keys) => Object.values(keys).flatMap((days) => Object.values(days)));
    // The usage tool reads every stack's plans, a nested one's named by its path as the start report names it.
    // The day the requests were counted on, as the store keeps it (not the clock now, which may be past midnight).
    const day = Object.keys(Object.values(Object.values(usage)[0] ?? {})[0] ?? {})[0] ?? 'none';
    const printed = JSON.parse(await usageCommand(['-t', join(dir, 'template.yaml'), '--start-date', day, '--end-date', day])) as { usagePlan: string; items: Record<string, [number, number | null][]> }[];
    const today = (items: Record<string, [number, number | null][]>) => Object.values(items).map((days) => days.at(-1));
    rmSync(dir, { recursive: true, force: true });
    expect(counts).toEqual([[1], [1]]);
    expect(printed.map((p) => [p.usagePlan, today(p.items)])).toEqual([
      ['RootApiUsagePlan', [[1, 99]]],
      ['Child/ApiUsagePlan', [[1, 99]]],
    ]);
  });
});
