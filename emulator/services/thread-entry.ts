/**
 * The embedded services' own thread: DynamoDB (dynalite) and Secrets Manager serve from here, off the gateway's
 * event loop, so that the gateway and its database use two cores as a deployed API and its database would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startDynamoDb } from './dynamodb.js';
import { startSecretsManager } from './secrets-manager.js';
import type { ServicesInit, ServicesMessage } from './thread.js';

const init = workerData as ServicesInit;
const post = (message: ServicesMessage): void => parentPort?.postMessage(message);

try {
  const dynamo = await startDynamoDb({ credentials: init.credentials, ...(init.dataDir ? { dataDir: init.dataDir } : {}) });
  const secrets = await startSecretsManager(init.secrets, { credentials: init.credentials });
  parentPort?.once('message', () => {
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
