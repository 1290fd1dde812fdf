/**
 * The Invoke API (services/lambda-api.ts) against what AWS answered LocalStack's AWS-validated Lambda tests: what a
 * caller receives (status, headers, error documents) for a name Lambda refuses, a qualifier, each invocation type and
 * a payload that is no UTF-8. Functions here are stubs: the API's answer is what is checked, not the runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaApi, type Caller, type InvocableFunction, type LambdaApiServer } from '../../../emulator/services/lambda-api.js';

const PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

const invoked: unknown[] = [];
const callers: (Caller | undefined)[] = [];
const echo: InvocableFunction = {
  name: 'echo',
  arn: `${ARN}:echo`,
  qualifiers: ['1', 'live'],
  invoke: (event, _requestId, caller) => {
    invoked.push(event);
    callers.push(caller);
    return Promise.resolve({ kind: 'ok', payload: { got: event }, cold: false, durationMs: 1 });
  },
};

let api: LambdaApiServer;
beforeAll(async () => {
  api = await startLambdaApi((name) => (name === 'echo' ? echo : undefined), { region: 'us-east-1', accountId: '123456789012' });
});
afterAll(() => api?.close());

async function invoke(functionName: string, options: { qualifier?: string; type?: string; body?: Buffer | string; authorization?: string; clientContext?: string } = {}) {
  const query = options.qualifier === undefined ? '' : `?Qualifier=${encodeURIComponent(options.qualifier)}`;
  const headers: Record<string, string> = {
    ...(options.type ? { 'x-amz-invocation-type': options.type } : {}),
    ...(options.authorization ? { authorization: options.authorization } : {}),
    ...(options.clientContext ? { 'x-amz-client-context': options.clientContext } : {}),
  };
  const res = await fetch(`${api.url}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations${query}`, { method: 'POST', headers, body: typeof options.body === 'object' ? new Uint8Array(options.body) : (options.body ?? '{}') });
  const text = await res.text();
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), executedVersion: res.headers.get('x-amz-executed-version'), body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('LS-rec test_invoke_exceptions: a function that does not exist', () => {
  it('an unqualified name: 404 ResourceNotFoundException naming it at $LATEST', async () => {
    expect(await invoke('doesnotexist')).toMatchObject({
      status: 404,
      errorType: 'ResourceNotFoundException',
      body: { Type: 'User', message: `Function not found: ${ARN}:doesnotexist:$LATEST` },
    });
  });

  it.each([
    { given: 'a 65-character name (function_name_too_long)', name: 'a'.repeat(65), want: `${'a'.repeat(65)}:$LATEST` },
    { given: 'an ARN ending at `function` (incomplete_arn)', name: ARN, want: 'function:$LATEST' },
    { given: 'a name with a long qualifier (qualifier_too_long1)', name: `my-function:${'a'.repeat(65)}`, want: `my-function:${'a'.repeat(65)}` },
  ])('LS-rec test_function_name_and_qualifier_validation: $given is a name Lambda takes, not found', async ({ name, want }) => {
    expect(await invoke(name)).toMatchObject({ status: 404, errorType: 'ResourceNotFoundException', body: { message: `Function not found: ${ARN}:${want}` } });
  });
});

describe('LS-rec test_get_function_wrong_region[invoke]: an ARN of another region', () => {
  const signedFor = (region: string) => `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${region}/lambda/aws4_request, SignedHeaders=host, Signature=00`;

  it('is 404 ResourceNotFoundException naming both regions, though the function exists', async () => {
    expect(await invoke('arn:aws:lambda:eu-central-1:123456789012:function:echo')).toMatchObject({
      status: 404,
      errorType: 'ResourceNotFoundException',
      body: { Type: 'User', message: "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')" },
    });
  });

  it('the region is the one the request was signed for, when it was signed (as the client`s endpoint region is on AWS)', async () => {
    expect(await invoke('arn:aws:lambda:eu-central-1:123456789012:function:echo', { authorization: signedFor('eu-central-1') })).toMatchObject({ status: 200, body: { got: {} } });
    expect(await invoke('arn:aws:lambda:us-east-1:123456789012:function:echo', { authorization: signedFor('eu-central-1') })).toMatchObject({
      status: 404,
      body: { message: "Functions from 'us-east-1' are not reachable in this region ('eu-central-1')" },
    });
  });
});

describe('LS-rec test_function_name_and_qualifier_validation: names and qualifiers outside Lambda`s API model', () => {
  it.each([
    { id: 'function_name_is_single_invalid', name: '*' },
    { id: 'invalid_characters_in_function_name', name: 'my-function!' },
    { id: 'invalid_account_id_in_partial_arn', name: 'invalid-account:function:my-function' },
    { id: 'invalid_region_in_arn', name: 'arn:aws:lambda:invalid-region:123456789012:function:my-function' },
    { id: 'non_lambda_arn', name: 'arn:aws:ec2:us-east-1:123456789012:instance:i-1234567890abcdef0' },
    { id: 'full_arn_with_multiple_qualifiers', name: `${ARN}:my-function:1:2` },
    { id: 'partial_arn_with_extra_qualifier', name: 'function:my-function:$LATEST:extra' },
    { id: 'missing_region_in_arn', name: 'arn:aws:lambda::123456789012:function:my-function' },
    { id: 'missing_account_id_in_arn', name: 'arn:aws:lambda:us-east-1::function:my-function' },
    { id: 'misspelled_latest_in_arn', name: `${ARN}:my-function:$LATES` },
    { id: 'the name of an existing function with a bad character', name: 'echo!' },
  ])('$id: 400 ValidationException quoting the pattern', async ({ name }) => {
    const answer = await invoke(name);

    expect([answer.status, answer.errorType]).toEqual([400, 'ValidationException']);
    expect(answer.body?.message).toBe(`1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATTERN}`);
  });

  it.each([
    { id: 'invalid_characters_in_qualifier', qualifier: 'invalid!', want: 'Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+' },
    { id: 'qualifier_too_long', qualifier: 'a'.repeat(129), want: 'Member must have length less than or equal to 128' },
  ])('$id (?Qualifier=): 400 ValidationException', async ({ qualifier, want }) => {
    const answer = await invoke('my-function', { qualifier });

    expect([answer.status, answer.errorType]).toEqual([400, 'ValidationException']);
    expect(answer.body?.message).toBe(`1 validation error detected: Value '${qualifier}' at 'qualifier' failed to satisfy constraint: ${want}`);
  });

  it('full_arn_and_qualifier_too_long_and_invalid_region: both errors, counted', async () => {
    const answer = await invoke('arn:aws:lambda:invalid-region:123456789012:function:my-function', { qualifier: 'a'.repeat(129) });

    expect([answer.status, answer.errorType]).toEqual([400, 'ValidationException']);
    expect(answer.body?.message).toMatch(/^2 validation errors detected: Value '.*' at 'functionName' .*; Value 'a{129}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128$/);
  });
});

describe('LS-rec test_function_name_and_qualifier_validation / test_invocation_with_qualifier: the Qualifier parameter', () => {
  it('?Qualifier= names the version that runs (ExecutedVersion)', async () => {
    expect(await invoke('echo', { qualifier: 'live' })).toMatchObject({ status: 200, executedVersion: '1', body: { got: {} } });
    expect(await invoke('echo', { qualifier: '$LATEST' })).toMatchObject({ status: 200, executedVersion: '$LATEST' });
  });

  it('a ?Qualifier= the function does not have is 404, with it in the ARN (lowercase_latest_qualifier)', async () => {
    expect(await invoke('echo', { qualifier: '$latest' })).toMatchObject({ status: 404, errorType: 'ResourceNotFoundException', body: { message: `Function not found: ${ARN}:echo:$latest` } });
  });

  it('latest_version_with_additional_qualifier: a FunctionName qualifier other than ?Qualifier= is 400 InvalidParameterValueException, before the function is looked up', async () => {
    for (const name of [`${ARN}:my-function:$LATEST`, `${ARN}:echo:$LATEST`]) {
      expect(await invoke(name, { qualifier: '1' })).toMatchObject({
        status: 400,
        errorType: 'InvalidParameterValueException',
        body: { Type: 'User', message: 'The derived qualifier from the function name does not match the specified qualifier.' },
      });
    }
  });

  it('the same qualifier in both places is taken', async () => {
    expect(await invoke('echo:live', { qualifier: 'live' })).toMatchObject({ status: 200, executedVersion: '1' });
  });
});

describe('LS-rec test_invocation_type_event / test_invocation_type_dry_run: no executed version', () => {
  it.each([
    { type: 'Event', status: 202 },
    { type: 'DryRun', status: 204 },
  ])('$type: $status, no payload and no X-Amz-Executed-Version (the function has not run)', async ({ type, status }) => {
    expect(await invoke('echo', { type })).toEqual({ status, errorType: null, executedVersion: null, body: undefined });
  });
});

describe('LS-rec test_lambda_invoke_payload_encoding_error: a payload that is no UTF-8', () => {
  it('JSON whose string holds a byte UTF-8 cannot start with is refused (400 InvalidRequestContentException), not run with U+FFFD in its place', async () => {
    invoked.length = 0;
    const body = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0x87]), Buffer.from('"}')]);

    const answer = await invoke('echo', { body });

    expect([answer.status, answer.errorType]).toEqual([400, 'InvalidRequestContentException']);
    expect(answer.body).toEqual({ Type: 'User', message: 'Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 start byte 0x87' });
    expect(invoked).toEqual([]);
  });

  it('a multi-byte character cut short names its middle byte', async () => {
    const body = Buffer.concat([Buffer.from('"'), Buffer.from([0xe2, 0x82, 0x41]), Buffer.from('"')]);

    expect((await invoke('echo', { body })).body?.message).toBe('Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 middle byte 0x41');
  });

  it('valid UTF-8 beyond ASCII is the function`s event, unchanged', async () => {
    expect((await invoke('echo', { body: JSON.stringify({ a: 'é€😀' }) })).body).toEqual({ got: { a: 'é€😀' } });
  });
});

describe('ClientContext: "Lambda passes the ClientContext object to your function for synchronous invocations only" (API Reference, Invoke)', () => {
  const clientContext = Buffer.from('{"custom":{"k":1}}').toString('base64');

  it('RequestResponse hands it to the function, decoded', async () => {
    callers.length = 0;

    await invoke('echo', { clientContext });

    expect(callers).toEqual([{ clientContext: '{"custom":{"k":1}}', version: '$LATEST' }]);
  });

  it('Event does not', async () => {
    callers.length = 0;

    expect((await invoke('echo', { type: 'Event', clientContext })).status).toBe(202);
    expect(callers).toEqual([{ version: '$LATEST' }]);
  });
});
