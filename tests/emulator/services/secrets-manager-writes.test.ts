// The embedded Secrets Manager's writes, through the real SDK client: an application's README creates a secret after
// the deploy (`aws secretsmanager create-secret`) and its Lambda authorizer reads it with GetSecretValue
// (serverless-patterns apigw-secretsmanager-apikey-cdk); locally that create was refused as not served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startSecretsManager, type SecretsManagerServer } from '../../../emulator/services/secrets-manager.js';
import type { SecretRecord } from '../../../emulator/identity/secret-values.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

const REGION = 'eu-west-1';
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

describe('Secrets Manager CreateSecret, PutSecretValue, DeleteSecret', () => {
  let server: SecretsManagerServer;
  let client: SecretsManagerClient;
  const secrets: SecretRecord[] = [
    { logicalId: 'FromTemplate', name: 'app/template', arn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:app/template-AbCdEf`, secretString: 'v1', source: 'template' },
  ];

  beforeAll(async () => {
    server = await startSecretsManager(secrets, { credentials: TEST_CREDENTIALS, region: REGION, now: () => NOW });
    client = new SecretsManagerClient({
      region: REGION,
      endpoint: server.url,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey, sessionToken: TEST_CREDENTIALS.sessionToken },
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  // The error a call failed with; undefined when it succeeded (so an assertion on it fails).
  const fails = (work: Promise<unknown>): Promise<Error | undefined> => work.then(() => undefined, (e: unknown) => e as Error);

  it('a created secret is read back by name and by ARN, in the stack region', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'api-key-abc123', SecretString: '{"tenantId":"t1"}' }));
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:123456789012:secret:api-key-abc123-[A-Za-z0-9]{6}$`));
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);

    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'api-key-abc123' }));
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byName).toMatchObject({ SecretString: '{"tenantId":"t1"}', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
    expect(byName.CreatedDate?.getTime()).toBe(NOW);
    expect(byArn.SecretString).toBe('{"tenantId":"t1"}');
  });

  it('a second CreateSecret of the same name is ResourceExistsException', async () => {
    await client.send(new CreateSecretCommand({ Name: 'twice', SecretString: 'a' }));
    const error = await fails(client.send(new CreateSecretCommand({ Name: 'twice', SecretString: 'b' })));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error?.message).toBe('The operation failed because the secret twice already exists.');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'twice' }))).SecretString).toBe('a');
  });

  it('a secret created without a value has no AWSCURRENT version until PutSecretValue gives it one', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'empty-first' }));
    expect(created.VersionId).toBeUndefined();
    const error = await fails(client.send(new GetSecretValueCommand({ SecretId: 'empty-first' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error?.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");

    const put = await client.send(new PutSecretValueCommand({ SecretId: 'empty-first', SecretString: 'now' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'empty-first' }))).SecretString).toBe('now');
  });

  it("PutSecretValue replaces a template secret's value, under the version id its token names", async () => {
    const token = 'c0ffee00-0000-4000-8000-000000000001';
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'FromTemplate', SecretString: 'v2', ClientRequestToken: token }));
    const read = await client.send(new GetSecretValueCommand({ SecretId: 'app/template' }));
    expect(put.VersionId).toBe(token);
    expect(read).toMatchObject({ SecretString: 'v2', VersionId: token });
  });

  it('SecretBinary is kept and returned as bytes', async () => {
    await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: new Uint8Array([0, 1, 254, 255]) }));
    const read = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect([...(read.SecretBinary ?? [])]).toEqual([0, 1, 254, 255]);
    expect(read.SecretString).toBeUndefined();
  });

  it.each([
    { given: 'a name with a space', input: { Name: 'has space', SecretString: 'x' }, type: 'ValidationException' },
    { given: 'both SecretString and SecretBinary', input: { Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) }, type: 'InvalidParameterException' },
    { given: 'a ClientRequestToken under 32 characters', input: { Name: 'short-token', SecretString: 'x', ClientRequestToken: 'abc' }, type: 'ValidationException' },
  ])('CreateSecret with $given is refused ($type) and creates nothing', async ({ input, type }) => {
    const error = await fails(client.send(new CreateSecretCommand(input)));
    expect(error?.name).toBe(type);
    expect(secrets.some((s) => s.name === input.Name)).toBe(false);
  });

  it('DeleteSecret marks the secret for deletion after 30 days: reads and a new create of its name are refused', async () => {
    await client.send(new CreateSecretCommand({ Name: 'to-delete', SecretString: 'x' }));
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: 'to-delete' }));
    expect(deleted.DeletionDate?.getTime()).toBe(NOW + 30 * 86_400_000);

    const read = await fails(client.send(new GetSecretValueCommand({ SecretId: 'to-delete' })));
    const again = await fails(client.send(new CreateSecretCommand({ Name: 'to-delete', SecretString: 'y' })));
    expect(read).toBeInstanceOf(InvalidRequestException);
    expect(read?.message).toBe("You can't perform this operation on the secret because it was marked for deletion.");
    expect(again).toBeInstanceOf(InvalidRequestException);
  });

  it('DeleteSecret with ForceDeleteWithoutRecovery removes it at once: the name can be created again', async () => {
    await client.send(new CreateSecretCommand({ Name: 'forced', SecretString: 'old' }));
    await client.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true }));
    expect(await fails(client.send(new GetSecretValueCommand({ SecretId: 'forced' })))).toBeInstanceOf(ResourceNotFoundException);
    await client.send(new CreateSecretCommand({ Name: 'forced', SecretString: 'new' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'forced' }))).SecretString).toBe('new');
  });

  it.each([
    { given: 'a recovery window of 3 days', input: { SecretId: 'app/template', RecoveryWindowInDays: 3 } },
    { given: 'both a recovery window and ForceDeleteWithoutRecovery', input: { SecretId: 'app/template', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true } },
  ])('DeleteSecret with $given is InvalidParameterException and deletes nothing', async ({ input }) => {
    const error = await fails(client.send(new DeleteSecretCommand(input)));
    expect(error?.name).toBe('InvalidParameterException');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'app/template' }))).SecretString).toBeDefined();
  });

  it('PutSecretValue and DeleteSecret of an unknown secret are ResourceNotFoundException', async () => {
    expect(await fails(client.send(new PutSecretValueCommand({ SecretId: 'nope', SecretString: 'x' })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await fails(client.send(new DeleteSecretCommand({ SecretId: 'nope' })))).toBeInstanceOf(ResourceNotFoundException);
  });
});
