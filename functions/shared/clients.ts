/** AWS SDK clients, created once per execution environment and traced. Endpoints come from the standard AWS_ENDPOINT_URL_* variables. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability.js';

export const dynamoClient: DynamoDBClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** Document client: JS arrays become lists (`L`), as the getTask mapping template reads `tags.L`. */
export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});

export const secretsClient: SecretsManagerClient = tracer.captureAWSv3Client(new SecretsManagerClient({}));
