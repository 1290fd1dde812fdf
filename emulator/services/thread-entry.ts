/**
 * The embedded services' own thread: DynamoDB (dynalite) and Secrets Manager serve from here, off the gateway's
 * event loop, so that the gateway and its database use two cores as a deployed API and its database would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startDynamoDb } from './dynamodb.js';
import { startSecretsManager } from './secrets-manager.js';
import type { SecretRecord } from '../identity/secret-values.js';
import type { ServicesCommand, ServicesInit, ServicesMessage } from './thread.js';

const init = workerData as Omit<ServicesInit, 'secrets'>;
// A last line: what a request still throws outside any handler (dynalite's store callbacks) is said, and the thread,
// with DynamoDB and Secrets Manager, keeps serving the others.
process.on('uncaughtException', (error) => console.error('emulator: the embedded DynamoDB failed a request:', error));
const post = (message: ServicesMessage): void => parentPort?.postMessage(message);
// The first command is always the secrets, sent once the gateway has read the template ('streams' and 'close' come only after 'ready').
const secretsGiven = new Promise<SecretRecord[]>((resolve) => {
  parentPort?.once('message', (command: ServicesCommand) => resolve(command.type === 'secrets' ? command.secrets : []));
});

try {
  // DynamoDB starts at once, while the gateway is still reading the template.
  const dynamo = await startDynamoDb({ credentials: init.credentials, ...(init.dataDir ? { dataDir: init.dataDir } : {}), ...(init.region ? { region: init.region } : {}), ...(init.accountId ? { accountId: init.accountId } : {}) });
  const secrets = await startSecretsManager(await secretsGiven, { credentials: init.credentials, ...(init.region ? { region: init.region } : {}), ...(init.accountId ? { accountId: init.accountId } : {}) });
  parentPort?.on('message', (command: ServicesCommand) => {
    if (command.type === 'streams') return dynamo.captureStreams(command.tables, (records) => post({ type: 'stream-records', records }));
    if (command.type !== 'close') return;
    // Closing dynalite closes its store: persisted data (--data) is flushed before the thread goes.
    Promise.all([secrets.close(), dynamo.close()]).then(
      () => post({ type: 'closed' }),
      (error: unknown) => post({ type: 'closed', error: String(error) }),
    );
  });
  post({ type: 'ready', dynamoDbEndpoint: dynamo.endpoint, secretsManagerUrl: secrets.url });
} catch (error) {
  post({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
