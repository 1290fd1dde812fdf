/**
 * InvokeWithResponseStream on the embedded Lambda endpoint (API Reference: POST
 * /2021-11-15/functions/{name}/response-streaming-invocations), read by the SDK's InvokeWithResponseStreamCommand: a
 * streaming function's pieces as PayloadChunk events, a buffered function's whole payload as one, then InvokeComplete
 * (with ErrorCode/ErrorDetails on a failure, LogResult with LogType Tail). The functions are written here.
 */
import { InvokeWithResponseStreamCommand, LambdaClient, type InvokeWithResponseStreamCommandInput } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { eventAppForSuite } from '../support/event-app.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Streamer:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: node/, Handler: streamer.handler, FunctionUrlConfig: { AuthType: NONE, InvokeMode: RESPONSE_STREAM } }
  Buffered:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: node/, Handler: buffered.handler, AutoPublishAlias: live }
  PyBuffered:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, CodeUri: py/, Handler: buffered.handler }
  Closed:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: node/, Handler: buffered.handler, ReservedConcurrentExecutions: 0 }
`;
const STREAMER = `export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  console.log('streaming', event.parts.length, 'parts');
  for (const part of event.parts) responseStream.write(part);
  if (event.fail) throw new Error('broke mid-stream');
  responseStream.end();
});
`;
const BUFFERED = `export const handler = async (event) => {
  if (event.fail) throw new TypeError('no answer');
  return { echo: event };
};
`;
const PY_BUFFERED = `def handler(event, context):
    return {"echo": event}
`;

const emulator = eventAppForSuite('lambda-stream-', { 'template.yaml': TEMPLATE, 'node/streamer.mjs': STREAMER, 'node/buffered.mjs': BUFFERED, 'py/buffered.py': PY_BUFFERED });
const client = () => new LambdaClient({ region: 'us-east-1', endpoint: emulator().services.AWS_ENDPOINT_URL_LAMBDA, credentials: emulator().credentials });

/** The response's status and headers, and its events read in order: each chunk's text, then InvokeComplete. */
async function streamed(input: InvokeWithResponseStreamCommandInput) {
  const answer = await client().send(new InvokeWithResponseStreamCommand(input));
  const chunks: string[] = [];
  const completions: unknown[] = [];
  for await (const event of answer.EventStream ?? []) {
    if (event.PayloadChunk) chunks.push(Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8'));
    if (event.InvokeComplete) completions.push(event.InvokeComplete);
  }
  return { status: answer.StatusCode, version: answer.ExecutedVersion, contentType: answer.ResponseStreamContentType, chunks, completions };
}

const refusal = (input: InvokeWithResponseStreamCommandInput) =>
  client()
    .send(new InvokeWithResponseStreamCommand(input))
    .then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }),
    );

describe('InvokeWithResponseStream', () => {
  it('a streaming function (streamifyResponse): each write a PayloadChunk, in order, then an InvokeComplete without error', async () => {
    const answer = await streamed({ FunctionName: 'Streamer', Payload: JSON.stringify({ parts: ['Hello,', ' world', '!'] }) });

    expect([answer.status, answer.version, answer.contentType]).toEqual([200, '$LATEST', 'application/octet-stream']);
    expect(answer.chunks).toEqual(['Hello,', ' world', '!']);
    expect(answer.completions).toEqual([{}]);
  });

  it('a buffered function: its whole JSON payload as one PayloadChunk', async () => {
    const answer = await streamed({ FunctionName: 'Buffered', Payload: JSON.stringify({ n: 1 }) });

    expect(answer.chunks).toEqual(['{"echo":{"n":1}}']);
    expect(answer.completions).toEqual([{}]);
  });

  it('a buffered Python function: its payload as its runtime wrote it, one chunk', async () => {
    const answer = await streamed({ FunctionName: 'PyBuffered', Payload: JSON.stringify({ n: 2 }) });

    expect(answer.chunks).toEqual(['{"echo": {"n": 2}}']);
  });

  it('by its alias: the published version runs (ExecutedVersion 1)', async () => {
    const answer = await streamed({ FunctionName: 'Buffered:live', Payload: '{}' });

    expect([answer.status, answer.version]).toEqual([200, '1']);
  });

  it('a function that fails mid-stream: what it wrote, then InvokeComplete with ErrorCode and ErrorDetails', async () => {
    const answer = await streamed({ FunctionName: 'Streamer', Payload: JSON.stringify({ parts: ['partial'], fail: true }) });

    expect(answer.status).toBe(200);
    expect(answer.chunks).toEqual(['partial']);
    expect(answer.completions).toEqual([{ ErrorCode: 'Error', ErrorDetails: 'broke mid-stream' }]);
  });

  it('a buffered function that fails: no chunk, InvokeComplete with its error', async () => {
    const answer = await streamed({ FunctionName: 'Buffered', Payload: JSON.stringify({ fail: true }) });

    expect(answer.chunks).toEqual([]);
    expect(answer.completions).toEqual([{ ErrorCode: 'TypeError', ErrorDetails: 'no answer' }]);
  });

  it('LogType Tail: InvokeComplete carries LogResult, the invocation`s log with the function`s line', async () => {
    const answer = await streamed({ FunctionName: 'Streamer', Payload: JSON.stringify({ parts: ['a'] }), LogType: 'Tail' });

    const [complete] = answer.completions as { LogResult?: string }[];
    const log = Buffer.from(complete?.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: [\w-]+ Version: \$LATEST\n.*\tINFO\tstreaming 1 parts\nEND RequestId: [\w-]+\nREPORT RequestId: /);
  });

  it('DryRun: 204 and no events', async () => {
    const answer = await client().send(new InvokeWithResponseStreamCommand({ FunctionName: 'Streamer', InvocationType: 'DryRun', Payload: '{}' }));

    expect(answer.StatusCode).toBe(204);
  });

  it.each([
    { given: 'InvocationType Event, which streaming has not', input: { InvocationType: 'Event' as 'DryRun' }, want: { name: 'InvalidParameterValueException', status: 400, message: "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]" } },
    { given: 'a LogType Lambda has not', input: { LogType: 'All' as 'Tail' }, want: { name: 'InvalidParameterValueException', status: 400, message: "1 validation error detected: Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]" } },
    { given: 'a function the template lacks', input: { FunctionName: 'Nope' }, want: { name: 'ResourceNotFoundException', status: 404, message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope:$LATEST' } },
    { given: 'a throttled function (ReservedConcurrentExecutions 0)', input: { FunctionName: 'Closed' }, want: { name: 'TooManyRequestsException', status: 429, message: 'Rate Exceeded.' } },
  ])('$given is refused before any event', async ({ input, want }) => {
    expect(await refusal({ FunctionName: 'Streamer', Payload: JSON.stringify({ parts: [] }), ...input })).toEqual(want);
  });
});
