import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetSecretValueCommand, ListSecretsCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManager, type SecretsManagerServer } from '../../../emulator/services/secrets-manager.js';
import { generateSecretString, secretsFromTemplate, signingValue, type SecretRecord } from '../../../emulator/identity/secret-values.js';
import { credentialVariables } from '../../../emulator/services/credentials.js';
import { signRequest } from '../../../emulator/services/sigv4.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { ACCOUNT, REGION, TEMPLATE_PATH, identityResources, tempLocalState } from '../identity/support/fixtures.js';

const template = {
  region: REGION,
  accountId: ACCOUNT,
  path: TEMPLATE_PATH,
  identity: identityResources({
    secrets: [
      { logicalId: 'PlainSecret', properties: { Name: 'task-api/plain', SecretString: 'from-the-template' } },
      { logicalId: 'JwtSecret', properties: { GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } } },
      { logicalId: 'DbSecret', properties: { Name: 'task-api/db', GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: 'password', PasswordLength: 20, ExcludeCharacters: '"@/\\' } } },
      // Neither SecretString nor GenerateSecretString: CloudFormation creates an empty secret (alope107/collage-sam).
      { logicalId: 'EmptySecret', properties: { Name: 'task-api/empty' } },
    ],
  }),
};

describe('Secrets Manager values', () => {
  const local = tempLocalState();
  afterAll(() => local.cleanup());

  it('keeps generated values stable across restarts and takes SecretString as is', () => {
    const first = secretsFromTemplate(template, local.state);
    const second = secretsFromTemplate(template, local.state);
    expect(second.map((s) => s.secretString)).toEqual(first.map((s) => s.secretString));
    expect(first[0]).toMatchObject({ name: 'task-api/plain', secretString: 'from-the-template', source: 'template' });
    expect(first[1]!.name).toBe('local-JwtSecret');
    expect(first[1]!.arn).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:local-JwtSecret-[A-Za-z0-9]{6}$/);
  });

  it.each([
    { name: 'PasswordLength + ExcludePunctuation', given: { PasswordLength: 64, ExcludePunctuation: true }, want: /^[A-Za-z0-9]{64}$/ },
    { name: 'default length 32 with punctuation allowed', given: {}, want: /^[\x21-\x7e]{32}$/ },
    { name: 'ExcludeCharacters', given: { PasswordLength: 200, ExcludeCharacters: 'abcABC012' }, want: /^[^abcABC012]{200}$/ },
    { name: 'digits only', given: { PasswordLength: 12, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }, want: /^[0-9]{12}$/ },
  ])('generates per GenerateSecretString: $name', ({ given, want }) => {
    expect(generateSecretString(given)).toMatch(want);
  });

  it('RequireEachIncludedType puts one character of each class in short values', () => {
    for (let i = 0; i < 50; i++) {
      const v = generateSecretString({ PasswordLength: 4 });
      expect([/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].every((r) => r.test(v))).toBe(true);
    }
  });

  it('SecretStringTemplate + GenerateStringKey: the generated value sits in the JSON', () => {
    const db = secretsFromTemplate(template, local.state)[2]!;
    const parsed = JSON.parse(db.secretString) as Record<string, string>;
    expect(parsed.username).toBe('app');
    expect(parsed.password).toMatch(/^[^"@/\\]{20}$/);
    expect(signingValue(db)).toBe(parsed.password);
  });
});

describe('Secrets Manager endpoint (real SDK client, Powertools getSecret)', () => {
  const local = tempLocalState();
  let server: SecretsManagerServer;
  let secrets: SecretRecord[];
  let client: SecretsManagerClient;

  beforeAll(async () => {
    secrets = secretsFromTemplate(template, local.state);
    server = await startSecretsManager(secrets, { credentials: TEST_CREDENTIALS });
    Object.assign(process.env, {
      AWS_REGION: REGION,
      ...credentialVariables(TEST_CREDENTIALS),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
    });
    client = new SecretsManagerClient({});
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    local.cleanup();
  });

  it.each([
    { by: 'name', id: () => 'task-api/plain', want: () => 'from-the-template' },
    { by: 'full ARN', id: () => secrets[1]!.arn, want: () => secrets[1]!.secretString },
    { by: 'partial ARN (no random suffix)', id: () => secrets[1]!.arn.slice(0, -7), want: () => secrets[1]!.secretString },
    { by: 'logical-id-derived name', id: () => 'local-JwtSecret', want: () => secrets[1]!.secretString },
    { by: 'logical id', id: () => 'JwtSecret', want: () => secrets[1]!.secretString },
  ])('GetSecretValue by $by through AWS_ENDPOINT_URL_SECRETS_MANAGER', async ({ id, want }) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: id() }));
    expect(out.SecretString).toBe(want());
    expect(out.VersionStages).toEqual(['AWSCURRENT']);
    expect(out.ARN).toMatch(/^arn:aws:secretsmanager:/);
  });

  it('unknown secret ⇒ ResourceNotFoundException with AWS message', async () => {
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe("Secrets Manager can't find the specified secret.");
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
  });

  it('a template secret with no value (neither SecretString nor GenerateSecretString) answers as an empty one until a value is put', async () => {
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'task-api/empty' })).catch((e: unknown) => e);
    await client.send(new PutSecretValueCommand({ SecretId: 'task-api/empty', SecretString: 'put-later' }));
    const after = await client.send(new GetSecretValueCommand({ SecretId: 'task-api/empty' }));

    expect(before).toBeInstanceOf(ResourceNotFoundException);
    expect((before as Error).message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    expect(after.SecretString).toBe('put-later');
  });

  it.each([
    { given: 'a JSON null body', body: 'null', want: 400, wantType: 'SerializationException' },
    { given: 'a JSON array body', body: '[1]', want: 400, wantType: 'SerializationException' },
    { given: 'a body over 1 MB', body: `{"SecretId":"${'x'.repeat(1_100_000)}"}`, want: 413, wantType: 'RequestEntityTooLargeException' },
  ])('$given is refused with $want and the endpoint keeps serving', async ({ body, want, wantType }) => {
    const url = new URL(server.url);
    const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url, headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' }, body, region: REGION, service: 'secretsmanager' });

    const res = await fetch(url, { method: 'POST', headers, body }).catch((e: unknown) => e);
    const after = await client.send(new GetSecretValueCommand({ SecretId: 'nope' })).catch((e: unknown) => e);

    if (res instanceof Response) expect(((await res.json()) as { __type: string }).__type).toBe(wantType);
    if (res instanceof Response) expect(res.status).toBe(want);
    else expect(want).toBe(413); // the oversized upload may be cut off before its answer is read
    expect(after).toBeInstanceOf(ResourceNotFoundException);
  });

  it('another operation fails clearly, naming it', async () => {
    const error = await client.send(new ListSecretsCommand({})).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/secretsmanager\.ListSecrets is not served by the local emulator/);
  });

  it('Powertools parameters getSecret works unchanged', async () => {
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    expect(await getSecret('task-api/db', { transform: 'json' })).toEqual(JSON.parse(secrets[2]!.secretString));
    expect(await getSecret('task-api/plain')).toBe('from-the-template');
  });
});
