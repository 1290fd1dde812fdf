/**
 * The embedded services every function reaches from the start: DynamoDB with the template's tables and Secrets
 * Manager with its secrets, in the services' thread. `start-api` and `invoke` both start them through here.
 */
import type { EmulatorOptions } from './app.js';
import type { LoadedTemplate } from './template/model.js';
import { stacksOf } from './template/nested.js';
import { createTables, type DynamoDbTarget } from './services/dynamodb.js';
import type { LocalCredentials } from './services/sigv4.js';
import { startServicesThread, type ServicesThread } from './services/thread.js';
import type { LocalState } from './identity/local-state.js';
import { secretsFromTemplate } from './identity/secret-values.js';

export interface LocalServices {
  dynamodb: DynamoDbTarget;
  /** Turns on DynamoDB Streams for these tables (the services' thread records their writes). */
  captureStreams?: ServicesThread['captureStreams'];
  /** What every function gets as environment (AWS_ENDPOINT_URL_DYNAMODB, _SECRETS_MANAGER, _SQS). */
  environment: Record<string, string>;
  /** The embedded SQS's URL. */
  sqsUrl?: string;
  /** The embedded EventBridge's URL. */
  eventBridgeUrl?: string;
  /** The embedded SNS's URL. */
  snsUrl?: string;
  /** The embedded S3's URL. */
  s3Url?: string;
  /** The embedded Step Functions' URL. */
  sfnUrl?: string;
  /** The embedded Kinesis' URL. */
  kinesisUrl?: string;
  /** The embedded SSM Parameter Store's URL. */
  ssmUrl?: string;
}

/**
 * DynamoDB with the template's tables and Secrets Manager with its secrets, both in a thread of their own (off the
 * gateway's event loop). The thread's closer is registered as soon as it runs, whatever happens meanwhile.
 */
export async function startServices(
  template: LoadedTemplate | Promise<LoadedTemplate>,
  state: LocalState,
  credentials: LocalCredentials,
  options: Pick<EmulatorOptions, 'dataDir' | 'log' | 'region'> & { accountId?: string },
  closers: (() => Promise<void>)[],
): Promise<LocalServices> {
  const loaded = Promise.resolve(template);
  const secrets = loaded.then((t) => secretsFromTemplate(t, state));
  const services = await startServicesThread({ credentials, secrets, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.region ? { region: options.region } : {}), ...(options.accountId ? { accountId: options.accountId } : {}) }, options.log);
  closers.push(() => services.close());
  const dynamodb: DynamoDbTarget = { endpoint: services.dynamoDbEndpoint, credentials };
  // Every stack's tables, nested ones included (their names carry their stack's name, as CloudFormation gives them).
  await createTables(dynamodb, stacksOf(await loaded).flatMap((s) => s.template.tables));
  return { dynamodb, captureStreams: services.captureStreams, environment: { AWS_ENDPOINT_URL_DYNAMODB: services.dynamoDbEndpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: services.secretsManagerUrl } };
}
