/**
 * `start-lambda` (startEmulator with serve 'lambda'): the Lambda Invoke API for every function of the template, as
 * `sam local start-lambda` serves it to `aws lambda invoke --endpoint-url` and to the SDKs: any credentials, functions
 * by logical id (a nested stack's as `Child/Function`), FunctionName or ARN, and no API served.
 */
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { TemplateError } from '../../../emulator/template/model.js';
import { formatStartupReport } from '../../../emulator/report.js';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
/** What a developer's shell holds: not the emulator's local credentials, which only its functions get. */
const SOME_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const quiet = { port: 0, serve: 'lambda' as const, log: () => undefined, onRequest: () => undefined };

const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }),
  );

describe('start-lambda over a template of functions only (tests/emulator/fixtures/invoke-app)', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  beforeAll(async () => {
    emulator = await startEmulator({ templatePath: fixture('invoke-app/template.yaml'), ...quiet });
    lambda = new LambdaClient({ region: 'us-east-1', endpoint: emulator.lambdaUrl, credentials: SOME_CREDENTIALS });
  }, 60_000);
  afterAll(() => emulator?.close());

  it('starts (start-api would refuse it: no API) and serves no API, only the Invoke API', () => {
    expect(emulator.apis).toEqual([]);
    expect(emulator.lambdaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('reports the Invoke API, each function by the names it takes, and its ready line', () => {
    const report = formatStartupReport(emulator, 5);

    expect(report).toContain(`Lambda Invoke API (as sam local start-lambda; any credentials sign its requests): ${emulator.lambdaUrl}/2015-03-31/functions/<function>/invocations`);
    expect(report).toMatch(/^ {2}EchoFunction \(FunctionName echo-fn, nodejs20\.x\)$/m);
    expect(report).toContain(`aws lambda invoke --endpoint-url ${emulator.lambdaUrl} --function-name EchoFunction`);
    expect(report.split('\n').at(-1)).toBe(`ready: ${emulator.lambdaUrl} (Lambda Invoke API, started in 5 ms)`);
  });

  it.each([
    { given: 'its logical id', name: 'EchoFunction' },
    { given: 'its FunctionName', name: 'echo-fn' },
    { given: 'its ARN', name: 'arn:aws:lambda:us-east-1:123456789012:function:echo-fn' },
    { given: 'its ARN with a qualifier', name: 'arn:aws:lambda:us-east-1:123456789012:function:echo-fn:$LATEST' },
  ])('RequestResponse by $given, signed with any credentials: 200 and the function`s answer', async ({ name }) => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ n: 1 }) }));

    expect(answer.StatusCode).toBe(200);
    expect(answer.ExecutedVersion).toBe('$LATEST');
    expect(answer.FunctionError).toBeUndefined();
    expect(JSON.parse(text(answer.Payload))).toEqual({ event: { n: 1 }, GREETING: 'hello', SHARED: 'from-template', UNDECLARED: null });
  });

  it('an unsigned request (curl) is served too, as sam local start-lambda serves it', async () => {
    const res = await fetch(`${emulator.lambdaUrl}/2015-03-31/functions/EchoFunction/invocations`, { method: 'POST', body: '{"n":2}' });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ event: { n: 2 } });
  });

  it('a name whose percent-encoding is broken is taken as sent, a name Lambda`s pattern refuses: 400 ValidationException, not a decoding error', async () => {
    const res = await fetch(`${emulator.lambdaUrl}/2015-03-31/functions/%E0%A4%A/invocations`, { method: 'POST', body: '{}' });

    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await res.json()) as { message: string }).message).toMatch(/^1 validation error detected: Value '%E0%A4%A' at 'functionName'/);
  });

  it('a function error: 200 with FunctionError Unhandled and its error document', async () => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'FailingFunction', Payload: '{}' }));

    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(answer.Payload))).toMatchObject({ errorType: 'TypeError', errorMessage: 'no such task' });
  });

  it.each([
    { type: 'Event' as const, status: 202 },
    { type: 'DryRun' as const, status: 204 },
  ])('InvocationType $type answers $status with no payload', async ({ type, status }) => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: type, Payload: '{}' }));

    expect(answer.StatusCode).toBe(status);
    expect(text(answer.Payload)).toBe('');
  });

  it.each<{ given: string; input: InvokeCommandInput; want: { name: string; status: number; message: RegExp } }>([
    { given: 'a function the template lacks', input: { FunctionName: 'Nope' }, want: { name: 'ResourceNotFoundException', status: 404, message: /Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope/ } },
    { given: 'a payload that is not JSON', input: { FunctionName: 'EchoFunction', Payload: Buffer.from('{nope') }, want: { name: 'InvalidRequestContentException', status: 400, message: /Could not parse request body into json/ } },
  ])('$given is refused as Lambda refuses it', async ({ input, want }) => {
    const error = await failure(lambda.send(new InvokeCommand(input)));

    expect(error).toMatchObject({ name: want.name, status: want.status });
    expect(error?.message).toMatch(want.message);
  });

  it.each<{ given: string; headers: Record<string, string> }>([
    { given: 'an Origin header', headers: { origin: 'https://example.com' } },
    { given: 'a Host that is not this machine (DNS rebinding)', headers: { host: 'attacker.example:3001' } },
  ])('a web page`s request ($given) is refused with 403 and no CORS header', async ({ headers }) => {
    const res = await rawPost(`${emulator.lambdaUrl!}/2015-03-31/functions/EchoFunction/invocations`, headers);

    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(res.body)).toMatchObject({ __type: 'AccessDeniedException' });
  });
});

describe('start-lambda over nested stacks (tests/emulator/fixtures/nested-app)', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  beforeAll(async () => {
    emulator = await startEmulator({ templatePath: fixture('nested-app/template.yaml'), ...quiet });
    lambda = new LambdaClient({ region: 'us-east-1', endpoint: emulator.lambdaUrl, credentials: SOME_CREDENTIALS });
  }, 60_000);
  afterAll(() => emulator?.close());

  it('serves none of the stacks` APIs', () => {
    expect(emulator.apis).toEqual([]);
  });

  it.each([
    { name: 'HelloFunction', from: 'root' },
    { name: 'ChildApp/HelloFunction', from: 'child' },
  ])('$name is the $from stack`s function (the same logical id in each stack)', async ({ name, from }) => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{}' }));

    expect(answer.FunctionError).toBeUndefined();
    expect(JSON.parse(JSON.parse(text(answer.Payload)).body)).toMatchObject({ from });
  });
});

describe('start-lambda over a template without functions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'start-lambda-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused, saying it has no function to serve', async () => {
    const template = join(dir, 'template.yaml');
    writeFileSync(template, 'Resources:\n  Table:\n    Type: AWS::Serverless::SimpleTable\n');

    const error = await startEmulator({ templatePath: template, ...quiet }).then(
      async (running) => {
        await running.close();
        return undefined;
      },
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toMatch(/no function to serve: it declares no AWS::Serverless::Function or AWS::Lambda::Function/);
  });
});

/** A POST with headers fetch would not send as given (Host), over node:http. */
async function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}
