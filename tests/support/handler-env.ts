/**
 * The environment the handlers run in during tests: dynalite with the template's tables, the
 * local Secrets Manager (emulator/services/secrets-manager.ts) holding the cursor and admin keys,
 * and the variables template.yaml gives the functions. Set BEFORE importing a handler module
 * (handlers read their configuration once, at module load).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { startSecretsManager, type SecretsManagerServer } from '../../emulator/services/secrets-manager.js';
import { credentialVariables } from '../../emulator/services/credentials.js';
import { startDynalite, type LocalDynamo } from './dynalite.js';
import { TEST_CREDENTIALS } from './local-credentials.js';

export const CURSOR_KEY = 'test-cursor-key-0123456789abcdef';
export const ADMIN_KEY = 'test-admin-signing-key-0123456789';
export const ALLOWED_ORIGIN = 'https://app.example.test';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:';

export interface HandlerEnv {
  dynamo: LocalDynamo;
  secrets: SecretsManagerServer;
  close(): Promise<void>;
}

/** Starts both local services and sets process.env for the handlers. */
export async function startHandlerEnv(): Promise<HandlerEnv> {
  const dynamo = await startDynalite();
  const secrets = await startSecretsManager([
    // As the template generates them: SecretStringTemplate '{}' + GenerateStringKey signingKey.
    { logicalId: 'CursorSecret', name: 'task-api/cursor', arn: `${ARN}task-api/cursor-AbCdEf`, secretString: JSON.stringify({ signingKey: CURSOR_KEY }), source: 'template' },
    { logicalId: 'AdminJwtSecret', name: 'task-api/admin-jwt', arn: `${ARN}task-api/admin-jwt-AbCdEf`, secretString: JSON.stringify({ signingKey: ADMIN_KEY }), source: 'template' },
  ], { credentials: TEST_CREDENTIALS });
  Object.assign(process.env, {
    ...credentialVariables(TEST_CREDENTIALS),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    TASKS_TABLE_NAME: dynamo.tasksTable,
    IDEMPOTENCY_TABLE_NAME: dynamo.idempotencyTable,
    CURSOR_SECRET_ID: 'task-api/cursor',
    ADMIN_JWT_SECRET_ID: 'task-api/admin-jwt',
    ALLOWED_ORIGIN,
    POWERTOOLS_SERVICE_NAME: 'task-api-test',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // Never try to send X-Ray segments from a test process.
    POWERTOOLS_TRACE_ENABLED: 'false',
    // dynalite runs in the test's own process: on a loaded machine one call took over the production bound of 2 s and
    // a handler answered its 500 (createTask.test.ts failed so under three other test runs). The stall tests put the
    // production bound back (dynamodb-unresponsive.test.ts, secrets-unresponsive.test.ts).
    SDK_REQUEST_TIMEOUT_MS: '10000',
  });
  return {
    dynamo,
    secrets,
    close: async () => {
      await secrets.close();
      await dynamo.close();
    },
  };
}

/** What a handler test file works with: the environment, the handler and a document client on its tables. */
export interface HandlerUnderTest<H> {
  env: HandlerEnv;
  handler: H;
  db: DynamoDBDocumentClient;
}

/**
 * Starts the environment before the file's tests, then loads the handler module (after the variables are
 * set), and stops everything after them. The returned object fills in during beforeAll.
 */
export function useHandler<H>(load: () => Promise<{ handler: unknown }>): HandlerUnderTest<H> {
  const under = {} as HandlerUnderTest<H>;
  beforeAll(async () => {
    under.env = await startHandlerEnv();
    under.handler = (await load()).handler as H;
    under.db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: under.env.dynamo.endpoint }));
  });
  afterAll(async () => {
    under.db?.destroy();
    await under.env?.close();
  });
  return under;
}
