/**
 * Invoke's ClientContext (X-Amz-Client-Context: base64 of a JSON object) reaches the function's context, as AWS
 * answered LocalStack's recorded test_lambda_with_context (Node.js `context.clientContext`, the object); Python's
 * `context.client_context` is awslambdaric's object of `custom`, `env` and `client`. The functions are written here.
 */
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  NodeContext:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: node/, Handler: context.handler }
  PyContext:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, CodeUri: py/, Handler: context.handler }
`;
const NODE_HANDLER = `export const handler = async (event, context) => ({ has: 'clientContext' in context, clientContext: context.clientContext ?? null });\n`;
const PYTHON_HANDLER = `def handler(event, context):
    cc = context.client_context
    if cc is None:
        return None
    client = cc.client
    return {
        "custom": cc.custom,
        "env": cc.env,
        "client": None if client is None else {"installation_id": client.installation_id, "app_title": client.app_title, "app_package_name": client.app_package_name},
    }
`;

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const CONTEXT = { custom: { cart: 'c-7' }, env: { locale: 'fr_FR' }, client: { installation_id: 'inst-1', app_title: 'Tasks' } };

describe('LS-rec test_lambda_with_context: Invoke`s ClientContext in the function`s context', () => {
  const dir = mkdtempSync(join(tmpdir(), 'client-context-'));
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  const invoke = async (input: InvokeCommandInput) => JSON.parse(Buffer.from((await lambda.send(new InvokeCommand(input))).Payload ?? []).toString('utf8')) as unknown;

  beforeAll(async () => {
    mkdirSync(join(dir, 'node'));
    mkdirSync(join(dir, 'py'));
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'node', 'context.mjs'), NODE_HANDLER);
    writeFileSync(join(dir, 'py', 'context.py'), PYTHON_HANDLER);
    emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, serve: 'lambda', localDir: join(dir, 'local'), log: () => undefined, onRequest: () => undefined });
    lambda = new LambdaClient({ region: 'us-east-1', endpoint: emulator.lambdaUrl, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Node.js: context.clientContext is the decoded object', async () => {
    expect(await invoke({ FunctionName: 'NodeContext', ClientContext: base64(CONTEXT) })).toEqual({ has: true, clientContext: CONTEXT });
  });

  it('Node.js without one: the key is there, undefined', async () => {
    expect(await invoke({ FunctionName: 'NodeContext' })).toEqual({ has: true, clientContext: null });
  });

  it('Python: context.client_context has custom, env and a client object whose fields not sent are None', async () => {
    expect(await invoke({ FunctionName: 'PyContext', ClientContext: base64(CONTEXT) })).toEqual({
      custom: CONTEXT.custom,
      env: CONTEXT.env,
      client: { installation_id: 'inst-1', app_title: 'Tasks', app_package_name: null },
    });
    expect(await invoke({ FunctionName: 'PyContext' })).toBeNull();
  });

  it.each([
    { given: 'no base64', value: 'not base64!' },
    { given: 'base64 of no JSON', value: Buffer.from('nope').toString('base64') },
    { given: 'base64 of a JSON list', value: base64([1]) },
    { given: 'over 3,583 bytes', value: base64({ custom: { pad: 'x'.repeat(3000) } }) },
  ])('a client context of $given is refused: 400 InvalidRequestContentException', async ({ value }) => {
    const error = await lambda.send(new InvokeCommand({ FunctionName: 'NodeContext', ClientContext: value })).then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );

    expect([error?.name, error?.$metadata?.httpStatusCode]).toEqual(['InvalidRequestContentException', 400]);
  });
});
