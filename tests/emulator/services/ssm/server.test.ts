/**
 * The embedded SSM Parameter Store (services/ssm/) as the SDK's SSM client calls it: the template's parameters,
 * versions and selectors, hierarchies by path with pages, SecureString values only when decrypted, and SSM's
 * refusals, which change nothing (SSM API Reference: GetParameter, GetParameters, GetParametersByPath, PutParameter,
 * DeleteParameter(s), DescribeParameters).
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { SsmParameters } from '../../../../emulator/services/ssm/parameters.js';
import { startSsm } from '../../../../emulator/services/ssm/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { signRequest } from '../../../../emulator/services/sigv4.js';

let now = Date.UTC(2026, 11, 5, 12, 0, 0);
const logged: string[] = [];
const store = new SsmParameters(
  [
    { logicalId: 'Greeting', name: '/app/prod/greeting', type: 'String', value: 'hello', description: 'shown to users' },
    { logicalId: 'Flags', name: '/app/prod/flags', type: 'StringList', value: 'a,b,c' },
    { logicalId: 'Deep', name: '/app/prod/db/host', type: 'String', value: 'db.local' },
    { logicalId: 'Flat', name: 'flat-name', type: 'String', value: 'flat' },
  ],
  { region: 'us-east-1', accountId: '123456789012', now: () => now },
);
const server = await startSsm(store, { credentials: TEST_CREDENTIALS, log: (l) => logged.push(l) });
afterAll(() => server.close());
const ssm = new SSMClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

/** A raw signed SSM call (the SDK will not send a member of the wrong type). */
function signedJson(target: string, input: unknown): Promise<Response> {
  const url = new URL(server.url);
  const body = JSON.stringify(input);
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body, region: 'us-east-1', service: 'ssm' });
  return fetch(url, { method: 'POST', headers, body });
}

/** The SSM error a call failed with (its name and status), or a failure when it succeeded. */
async function refusal(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const outcome = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(SSMServiceException);
  const error = outcome as SSMServiceException;
  return { name: error.name, status: error.$metadata.httpStatusCode };
}

describe('the template`s parameters', () => {
  it('GetParameter: name, type, value, version 1, ARN without the leading slash, DataType text', async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/prod/greeting' }));

    expect(Parameter).toEqual({ Name: '/app/prod/greeting', Type: 'String', Value: 'hello', Version: 1, LastModifiedDate: new Date(now), ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/prod/greeting', DataType: 'text' });
  });

  it.each([
    { given: 'its ARN (hierarchical)', name: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/prod/greeting', want: '/app/prod/greeting' },
    { given: 'its ARN (flat)', name: 'arn:aws:ssm:us-east-1:123456789012:parameter/flat-name', want: 'flat-name' },
    { given: 'name:version', name: '/app/prod/flags:1', want: '/app/prod/flags' },
  ])('GetParameter by $given', async ({ name, want }) => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));

    expect(Parameter?.Name).toBe(want);
  });

  it('GetParameters: found ones and the names not found (InvalidParameters)', async () => {
    const out = await ssm.send(new GetParametersCommand({ Names: ['/app/prod/flags', '/nope', 'flat-name'] }));

    expect(out.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ['/app/prod/flags', 'a,b,c'],
      ['flat-name', 'flat'],
    ]);
    expect(out.InvalidParameters).toEqual(['/nope']);
  });

  it.each([
    { given: 'one level', recursive: false, want: ['/app/prod/flags', '/app/prod/greeting'] },
    { given: 'recursive', recursive: true, want: ['/app/prod/db/host', '/app/prod/flags', '/app/prod/greeting'] },
  ])('GetParametersByPath, $given', async ({ recursive, want }) => {
    const out = await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod', Recursive: recursive }));

    expect(out.Parameters?.map((p) => p.Name)).toEqual(want);
  });

  it('GetParametersByPath in pages of MaxResults, NextToken to the end', async () => {
    const first = await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod/', Recursive: true, MaxResults: 2 }));
    const second = await ssm.send(new GetParametersByPathCommand({ Path: '/app/prod/', Recursive: true, MaxResults: 2, NextToken: first.NextToken }));

    expect(first.Parameters?.map((p) => p.Name)).toEqual(['/app/prod/db/host', '/app/prod/flags']);
    expect(second.Parameters?.map((p) => p.Name)).toEqual(['/app/prod/greeting']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('PutParameter and versions', () => {
  it('a new parameter is version 1; Overwrite makes version 2; name:1 still reads the first value', async () => {
    const created = await ssm.send(new PutParameterCommand({ Name: '/app/dev/limit', Value: '10', Type: 'String' }));
    now += 1000;
    const overwritten = await ssm.send(new PutParameterCommand({ Name: '/app/dev/limit', Value: '20', Overwrite: true }));

    expect([created.Version, overwritten.Version]).toEqual([1, 2]);
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/dev/limit' }))).Parameter).toMatchObject({ Value: '20', Version: 2, Type: 'String' });
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/dev/limit:1' }))).Parameter).toMatchObject({ Value: '10', Version: 1, Selector: ':1' });
  });

  it('a SecureString is ciphertext unless read WithDecryption', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/dev/password', Value: 's3cret', Type: 'SecureString' }));

    const plain = await ssm.send(new GetParameterCommand({ Name: '/app/dev/password' }));
    const decrypted = await ssm.send(new GetParameterCommand({ Name: '/app/dev/password', WithDecryption: true }));

    expect(plain.Parameter?.Value).not.toBe('s3cret');
    expect(decrypted.Parameter).toMatchObject({ Type: 'SecureString', Value: 's3cret' });
  });

  it('DeleteParameter, then GetParameter: ParameterNotFound; DeleteParameters names what was not there', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/dev/temp', Value: 'x', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/app/dev/temp' }));

    expect(await refusal(ssm.send(new GetParameterCommand({ Name: '/app/dev/temp' })))).toEqual({ name: 'ParameterNotFound', status: 400 });
    expect(await ssm.send(new DeleteParametersCommand({ Names: ['/app/dev/limit', '/app/dev/never'] }))).toMatchObject({ DeletedParameters: ['/app/dev/limit'], InvalidParameters: ['/app/dev/never'] });
  });

  it('DescribeParameters lists metadata, no values', async () => {
    const out = await ssm.send(new DescribeParametersCommand({}));

    expect(out.Parameters?.find((p) => p.Name === '/app/prod/greeting')).toMatchObject({ Type: 'String', Version: 1, Description: 'shown to users' });
    expect(out.Parameters?.every((p) => !('Value' in p))).toBe(true);
  });
});

describe('versions and pages at the limits', () => {
  it('a version the parameter lacks: ParameterVersionNotFound (GetParameter), an invalid name among others (GetParameters)', async () => {
    expect(await refusal(ssm.send(new GetParameterCommand({ Name: '/app/prod/greeting:9' })))).toEqual({ name: 'ParameterVersionNotFound', status: 400 });
    expect((await ssm.send(new GetParametersCommand({ Names: ['/app/prod/greeting:9', '/app/prod/greeting'] }))).InvalidParameters).toEqual(['/app/prod/greeting:9']);
  });

  it('the 100 most recent versions are kept: version 1 of a parameter overwritten 100 times is gone', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/dev/counter', Value: '0', Type: 'String' }));
    for (let i = 1; i <= 100; i++) await ssm.send(new PutParameterCommand({ Name: '/app/dev/counter', Value: String(i), Overwrite: true }));

    expect((await ssm.send(new GetParameterCommand({ Name: '/app/dev/counter' }))).Parameter).toMatchObject({ Version: 101, Value: '100' });
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/dev/counter:2' }))).Parameter?.Value).toBe('1');
    expect(await refusal(ssm.send(new GetParameterCommand({ Name: '/app/dev/counter:1' })))).toEqual({ name: 'ParameterVersionNotFound', status: 400 });
  });

  it('DescribeParameters in pages of MaxResults (at most 50), NextToken to the end', async () => {
    const first = await ssm.send(new DescribeParametersCommand({ MaxResults: 2 }));
    const rest = await ssm.send(new DescribeParametersCommand({ MaxResults: 50, NextToken: first.NextToken }));
    const all = await ssm.send(new DescribeParametersCommand({}));

    expect(first.Parameters).toHaveLength(2);
    expect([...first.Parameters!, ...rest.Parameters!].map((p) => p.Name)).toEqual(all.Parameters?.map((p) => p.Name));
    expect(await refusal(ssm.send(new DescribeParametersCommand({ MaxResults: 51 })))).toEqual({ name: 'ValidationException', status: 400 });
  });
});

describe('refusals change nothing', () => {
  it.each([
    { given: 'a number as Name', input: { Name: 5 } },
    { given: 'a string as Overwrite', input: { Name: '/x', Value: 'v', Type: 'String', Overwrite: 'true' } },
  ])('$given: SerializationException (a member of the wrong JSON type)', async ({ input }) => {
    const res = await signedJson('AmazonSSM.PutParameter', input);

    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('SerializationException');
  });

  it.each([
    { given: 'an existing name without Overwrite', input: { Name: '/app/prod/greeting', Value: 'changed', Type: 'String' as const }, want: 'ParameterAlreadyExists' },
    { given: 'a name starting with aws', input: { Name: '/aws/mine', Value: 'x', Type: 'String' as const }, want: 'ValidationException' },
    { given: 'a hierarchy not starting with /', input: { Name: 'a/b', Value: 'x', Type: 'String' as const }, want: 'ValidationException' },
    { given: 'a value over 4 KB', input: { Name: '/big', Value: 'x'.repeat(4097), Type: 'String' as const }, want: 'ValidationException' },
    { given: 'a new parameter without Type', input: { Name: '/no-type', Value: 'x' }, want: 'ValidationException' },
  ])('PutParameter with $given: $want', async ({ input, want }) => {
    expect(await refusal(ssm.send(new PutParameterCommand(input)))).toEqual({ name: want, status: 400 });
    expect((await ssm.send(new GetParametersCommand({ Names: [input.Name] }))).Parameters?.map((p) => p.Value).filter((v) => v !== 'hello')).toEqual([]);
  });

  it('an operation not served (LabelParameterVersion): UnknownOperationException naming it, and a log line', async () => {
    const error = await refusal(ssm.send(new LabelParameterVersionCommand({ Name: '/app/prod/greeting', Labels: ['live'] })));

    expect(error).toEqual({ name: 'UnknownOperationException', status: 400 });
    expect(logged.at(-1)).toMatch(/SSM LabelParameterVersion was called/);
  });
});
