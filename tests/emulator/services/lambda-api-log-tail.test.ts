/**
 * Invoke's LogType Tail (X-Amz-Log-Result: base64 of the last 4 KB of the invocation's log, START, the function's
 * output, END and REPORT, as AWS answered LocalStack's recorded test_invocation_with_logs) and the LogType values
 * Lambda refuses, through the SDK's InvokeCommand against the embedded Lambda endpoint. The functions are written here.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { eventAppForSuite } from '../support/event-app.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Talker:
    Type: AWS::Serverless::Function
    # A function URL: the emulator serves a template with something to call besides the Invoke API.
    Properties: { Runtime: nodejs20.x, CodeUri: node/, Handler: talker.handler, FunctionUrlConfig: { AuthType: NONE }, AutoPublishAlias: live }
  PyTalker:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, CodeUri: py/, Handler: talker.handler }
`;
const NODE_HANDLER = `export const handler = async (event) => {
  console.log('handling', JSON.stringify(event));
  process.stderr.write('to stderr\\n');
  if (event.lines) for (let i = 0; i < event.lines; i++) console.log('line ' + i + ' ' + 'x'.repeat(60));
  if (event.fail) throw new TypeError('asked to fail');
  return { ok: true };
};
`;
const PYTHON_HANDLER = `import logging
logger = logging.getLogger()
logger.setLevel(logging.INFO)

def handler(event, context):
    print("printed", event.get("n"))
    logger.info("logged")
    return {"ok": True}
`;

const emulator = eventAppForSuite('log-tail-', { 'template.yaml': TEMPLATE, 'node/talker.mjs': NODE_HANDLER, 'py/talker.py': PYTHON_HANDLER });
const client = () => new LambdaClient({ region: 'us-east-1', endpoint: emulator().services.AWS_ENDPOINT_URL_LAMBDA, credentials: emulator().credentials });
const decoded = (logResult: string | undefined) => Buffer.from(logResult ?? '', 'base64').toString('utf8');

describe('Invoke with LogType Tail', () => {
  it('LS-rec test_invocation_with_logs: LogResult is START, the function`s lines (stdout and stderr), END and REPORT of this invocation', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: JSON.stringify({ n: 1 }), LogType: 'Tail' }));

    const lines = decoded(answer.LogResult).split('\n');
    const requestId = answer.$metadata.requestId!;
    expect(answer.StatusCode).toBe(200);
    expect(lines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${requestId}\\tINFO\\thandling \\{"n":1\\}$`));
    expect(lines[2]).toBe('to stderr');
    expect(lines[3]).toBe(`END RequestId: ${requestId}`);
    expect(lines[4]).toMatch(new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\t.*\\t$`));
    expect(lines.slice(5)).toEqual(['']);
  });

  it('LS-rec test_invocation_with_qualifier: by an alias of its published version, START names version 1', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'Talker', Qualifier: 'live', Payload: '{}', LogType: 'Tail' }));

    expect(answer.ExecutedVersion).toBe('1');
    expect(decoded(answer.LogResult).split('\n')[0]).toBe(`START RequestId: ${answer.$metadata.requestId} Version: 1`);
  });

  it('a function error: FunctionError Unhandled, and the log has the runtime`s Invoke Error line', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: JSON.stringify({ fail: true }), LogType: 'Tail' }));

    expect(answer.FunctionError).toBe('Unhandled');
    expect(decoded(answer.LogResult)).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"asked to fail"/);
  });

  it('is the last 4 KB of a longer log: its END and REPORT lines, not its START', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: JSON.stringify({ lines: 200 }), LogType: 'Tail' }));

    const log = Buffer.from(answer.LogResult ?? '', 'base64');
    expect(log.byteLength).toBe(4096);
    expect(log.toString('utf8')).not.toContain('START RequestId');
    expect(log.toString('utf8')).toContain('line 199 ');
    expect(log.toString('utf8')).toMatch(/END RequestId: [\w-]+\nREPORT RequestId: [^\n]+\t\n$/);
  });

  it('a Python function: its print() and logging lines', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'PyTalker', Payload: JSON.stringify({ n: 7 }), LogType: 'Tail' }));

    const lines = decoded(answer.LogResult).split('\n');
    const requestId = answer.$metadata.requestId!;
    expect(lines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(lines[1]).toBe('printed 7');
    expect(lines[2]).toMatch(new RegExp(`^\\[INFO\\]\\t[\\dT:.-]+Z\\t${requestId}\\tlogged$`));
    expect(lines[3]).toBe(`END RequestId: ${requestId}`);
  });

  it('LogType None, or none given: no LogResult (nor the next invocation keeps the output of one that asked)', async () => {
    await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: '{}', LogType: 'Tail' }));
    const none = await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: '{}', LogType: 'None' }));
    const unset = await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: '{}' }));

    expect([none.LogResult, unset.LogResult]).toEqual([undefined, undefined]);
  });

  it.each([
    { type: 'Event' as const, status: 202 },
    { type: 'DryRun' as const, status: 204 },
  ])('with InvocationType $type: $status and no LogResult (Tail applies to synchronous invocations only)', async ({ type, status }) => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'Talker', Payload: '{}', LogType: 'Tail', InvocationType: type }));

    expect([answer.StatusCode, answer.LogResult]).toEqual([status, undefined]);
  });
});

describe('LogType values Lambda does not have', () => {
  it.each(['tail', 'Full'])('%s is refused (400, the enum quoted), whatever the invocation type', async (logType) => {
    const refusals = await Promise.all(
      (['RequestResponse', 'Event'] as const).map((InvocationType) =>
        client()
          .send(new InvokeCommand({ FunctionName: 'Talker', Payload: '{}', InvocationType, LogType: logType as 'Tail' }))
          .then(
            () => undefined,
            (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
          ),
      ),
    );

    for (const error of refusals) {
      expect([error?.name, error?.$metadata?.httpStatusCode]).toEqual(['InvalidParameterValueException', 400]);
      expect(error?.message).toBe(`1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`);
    }
  });
});
