/**
 * The SDK clients take their per-attempt bound from the configuration read at load (config.ts sdkRequestTimeoutMs):
 * each variant loads clients.ts afresh with its environment, then reads the bound back from the request handler
 * after one call (the handler resolves its options on its first request; port 1 refuses at once).
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

async function loadClients(env: Record<string, string | undefined>) {
  // Prepare: a fresh module with this environment; both endpoints refuse at once.
  vi.resetModules();
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', POWERTOOLS_TRACE_ENABLED: 'false' });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:1';
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = 'http://127.0.0.1:1';
  delete process.env.SDK_REQUEST_TIMEOUT_MS;
  Object.assign(process.env, env);
  return import('../../../functions/shared/clients.js');
}

interface Configurable {
  httpHandlerConfigs(): { requestTimeout?: number; connectionTimeout?: number };
}

describe.each([
  { given: 'no SDK_REQUEST_TIMEOUT_MS', env: {}, want: 2_000 },
  { given: 'SDK_REQUEST_TIMEOUT_MS=7500', env: { SDK_REQUEST_TIMEOUT_MS: '7500' }, want: 7_500 },
])('clients with $given', ({ env, want }) => {
  it(`bound each DynamoDB and Secrets Manager attempt at ${want} ms (connecting at 1 s)`, async () => {
    const { dynamoClient, secretsClient } = await loadClients(env);

    // Act: one call each (refused), which resolves the handlers' options.
    await expect(dynamoClient.send(new ListTablesCommand({}))).rejects.toThrow();
    await expect(secretsClient.send(new ListSecretsCommand({}))).rejects.toThrow();

    // Assess
    for (const client of [dynamoClient, secretsClient]) {
      const options = (client.config.requestHandler as unknown as Configurable).httpHandlerConfigs();
      expect(options).toMatchObject({ requestTimeout: want, connectionTimeout: 1_000 });
    }
    dynamoClient.destroy();
    secretsClient.destroy();
  });
});

it('a bound that is no whole number of milliseconds fails the load naming the variable', async () => {
  await expect(loadClients({ SDK_REQUEST_TIMEOUT_MS: 'soon' })).rejects.toThrow(/SDK_REQUEST_TIMEOUT_MS/);
});
