/**
 * The Secrets Manager endpoint (services/secrets-manager.ts) against what AWS answered LocalStack's AWS-validated
 * tests (test_secretsmanager.py, its snapshot): GetSecretValue's refusals as the SDK's client receives them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManager } from '../../../emulator/services/secrets-manager.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { serviceRefusal } from '../../support/service-refusal.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbC123';
const server = await startSecretsManager([{ logicalId: 'Db', name: 'orders/db', arn: ARN, secretString: 'pw', source: 'template' }], { credentials: TEST_CREDENTIALS });
const client = new SecretsManagerClient({ region: 'eu-west-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
afterAll(async () => {
  client.destroy();
  await server.close();
});

const refusal = (input: ConstructorParameters<typeof GetSecretValueCommand>[0]) => serviceRefusal(client.send(new GetSecretValueCommand(input)));

describe('LS-rec test_get_secret_value_errors', () => {
  it('a staging label the secret does not carry: ResourceNotFoundException naming the label', async () => {
    expect(await refusal({ SecretId: ARN, VersionStage: 'AWSPREVIOUS' })).toEqual({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
      status: 400,
    });
  });

  it('the current VersionId with another stage: InvalidRequestException', async () => {
    const { VersionId } = await client.send(new GetSecretValueCommand({ SecretId: 'orders/db' }));
    expect(await refusal({ SecretId: 'orders/db', VersionId, VersionStage: 'AWSPREVIOUS' })).toEqual({
      name: 'InvalidRequestException',
      message: 'You provided a VersionStage that is not associated to the provided VersionId.',
      status: 400,
    });
  });
});

describe('LS-rec test_invalid_secret_name', () => {
  it.each(['Inv Name', ' Inv Name', ' Inv*Name? ', ' Inv *?!]Name\\-'])('GetSecretValue of %j: ValidationException, not ResourceNotFoundException', async (id) => {
    expect(await refusal({ SecretId: id })).toEqual({
      name: 'ValidationException',
      message: 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      status: 400,
    });
  });
});
