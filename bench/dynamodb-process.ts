/**
 * The baseline's DynamoDB: the same guarded dynalite the gateway embeds, in a process of its own. Prints its
 * endpoint as one JSON line, then serves until its stdin closes (the bench ended, however it ended).
 * Credentials come from the environment (AWS_ACCESS_KEY_ID...), as the baseline's handler signs with them.
 */
import { startDynamoDb } from '../emulator/services/dynamodb.js';

const credentials = {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
};
const server = await startDynamoDb({ credentials });
console.log(JSON.stringify({ endpoint: server.endpoint }));
process.stdin.resume();
process.stdin.on('close', () => void server.close().finally(() => process.exit(0)));
