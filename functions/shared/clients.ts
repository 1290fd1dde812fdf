/** AWS SDK clients, created once per execution environment and traced. Endpoints come from the standard AWS_ENDPOINT_URL_* variables. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkRequestTimeoutMs } from './config.js';
import { tracer } from './observability.js';

/**
 * Bounded waits: the SDK's defaults wait forever on a DynamoDB that accepts a connection and never answers, so Lambda
 * would end the invocation at its Timeout (10 s) and the client would get API Gateway's bare 502, not our problem.
 * Two attempts of at most 1 s to connect and 2 s each until the response's head (an error with throwOnRequestTimeout,
 * where the handler's default only logs a warning) fail a stalled call in about 4 s, leaving time for the handler to
 * answer its 500 problem (and for createTask to release its idempotency lock). requestTimeout runs from the request's
 * start (connecting included) and stops at the response's head (@smithy/node-http-handler clears it then): it is no
 * idle timer, and a body that stalls after its head is not bounded by it. DynamoDB's head carries the body's length
 * and x-amz-crc32, so it comes once a page is read whole: 2 s also bounds the server's own time for a 1 MB page.
 * SDK_REQUEST_TIMEOUT_MS replaces the 2 s (config.ts); raised, the handler's own 500 may no longer come before Lambda's
 * Timeout.
 */
const CLIENT_LIMITS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: sdkRequestTimeoutMs(), throwOnRequestTimeout: true },
} as const;

export const dynamoClient: DynamoDBClient = tracer.captureAWSv3Client(new DynamoDBClient({ ...CLIENT_LIMITS }));

/** Document client: JS arrays become lists (`L`), as the getTask mapping template reads `tags.L`. */
export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});

/**
 * The same bounds for Secrets Manager, read on a cold start and every five minutes by listTasks, listUserTasks and the
 * admin authorizer: unbounded, a stalled endpoint held the request until Lambda's Timeout (a bare 502, or on the HTTP
 * API a 500 `{"message":"Internal Server Error"}`), not the operation's 500 problem.
 */
export const secretsClient: SecretsManagerClient = tracer.captureAWSv3Client(new SecretsManagerClient({ ...CLIENT_LIMITS }));
