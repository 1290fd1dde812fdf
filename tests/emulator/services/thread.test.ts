/** The embedded services run in a thread of their own: off the gateway's event loop, with their data kept on close. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { signRequest } from '../../../emulator/services/sigv4.js';
import { startServicesThread } from '../../../emulator/services/thread.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

const SECRET = { logicalId: 'S', name: 'thread/secret', arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:thread/secret-AbCdEf', secretString: 'value', source: 'template' } as const;

/** A signed POST made by another process, as a function's environment makes it: its answer's status and body. */
function callFromAnotherProcess(url: string, target: string, service: string, body: string): { status: number; body: string } {
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: new URL(url), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body, region: 'us-east-1', service });
  const script = `const [url, headers, body] = JSON.parse(process.argv[1]);
fetch(url, { method: 'POST', headers, body }).then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })));`;
  // execFileSync blocks this thread's event loop until the other process has its answer.
  const out = execFileSync(process.execPath, ['-e', script, JSON.stringify([url, headers, body])], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as { status: number; body: string };
}

describe('embedded services thread', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { service: 'DynamoDB', target: 'DynamoDB_20120810.ListTables', signingName: 'dynamodb', body: '{}', want: /"TableNames":\[\]/ },
    { service: 'Secrets Manager', target: 'secretsmanager.GetSecretValue', signingName: 'secretsmanager', body: '{"SecretId":"thread/secret"}', want: /"SecretString":"value"/ },
  ])('$service answers while the event loop that started it is blocked (it does not share it)', async ({ service, target, signingName, body, want }) => {
    const thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [SECRET] });
    try {
      const url = service === 'DynamoDB' ? thread.dynamoDbEndpoint : thread.secretsManagerUrl;

      const answer = callFromAnotherProcess(url, target, signingName, body);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(want);
    } finally {
      await thread.close();
    }
  });

  it('close() stops both endpoints', async () => {
    const thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [SECRET] });

    await thread.close();

    await expect(fetch(thread.dynamoDbEndpoint, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(thread.secretsManagerUrl, { method: 'POST' })).rejects.toThrow();
  });

  it('keeps tables across a restart with a data folder: close() flushes the store before the thread ends', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'services-thread-'));
    dirs.push(dataDir);
    const first = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [], dataDir });
    const create = new DynamoDBClient({ endpoint: first.dynamoDbEndpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    await create.send(new CreateTableCommand({ TableName: 'kept', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
    create.destroy();
    await first.close();

    const second = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [], dataDir });
    const list = new DynamoDBClient({ endpoint: second.dynamoDbEndpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const { TableNames } = await list.send(new ListTablesCommand({}));
    list.destroy();
    await second.close();

    expect(TableNames).toEqual(['kept']);
  });

  it('boots before its secrets are known (the template is still being read) and serves them once given', async () => {
    let give!: (secrets: (typeof SECRET)[]) => void;
    const secrets = new Promise<(typeof SECRET)[]>((resolve) => (give = resolve));
    const starting = startServicesThread({ credentials: TEST_CREDENTIALS, secrets });

    give([SECRET]);
    const thread = await starting;
    try {
      const answer = callFromAnotherProcess(thread.secretsManagerUrl, 'secretsmanager.GetSecretValue', 'secretsmanager', '{"SecretId":"thread/secret"}');

      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/"SecretString":"value"/);
    } finally {
      await thread.close();
    }
  });

  it('stops, and fails with the same error, when its secrets cannot be known (the template did not load)', async () => {
    const broken = new Error('template.yaml: not valid YAML');

    const starting = startServicesThread({ credentials: TEST_CREDENTIALS, secrets: Promise.reject(broken) });

    await expect(starting).rejects.toBe(broken);
  });
});
