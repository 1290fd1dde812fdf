/**
 * A local Secrets Manager endpoint (AWS JSON 1.1 protocol) serving GetSecretValue for the template's
 * AWS::SecretsManager::Secret resources, and CreateSecret, PutSecretValue and DeleteSecret
 * (secrets-manager-writes.ts); functions reach it through AWS_ENDPOINT_URL_SECRETS_MANAGER, so the
 * SDK client and Powertools `getSecret` work unchanged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findSecret, type SecretRecord } from '../identity/secret-values.js';
import { ACCOUNT_ID, DEFAULT_REGION } from '../template/account.js';
import { guardedHandler, sendAwsJson } from './request-body.js';
import { SECRET_WRITES, unreadableSecret, writeSecret, type SecretsScope } from './secrets-manager-writes.js';
import type { LocalCredentials } from './sigv4.js';

export interface SecretsManagerServer {
  /** e.g. http://127.0.0.1:41235, the value for AWS_ENDPOINT_URL_SECRETS_MANAGER */
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const NOT_FOUND = { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." };
/** A secret name's characters (Secrets Manager API Reference, CreateSecret Name); an ARN is matched as an ARN. */
const NAME_CHARACTERS = /^[A-Za-z0-9/_+=.@-]+$/;
const INVALID_NAME = { __type: 'ValidationException', message: 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!' };

/**
 * Start the endpoint on 127.0.0.1 (free port unless given); it serves only requests signed with `credentials`. Secrets
 * created through it are in `region` (the stack's) and the local account, and live as long as the endpoint.
 */
export async function startSecretsManager(secrets: SecretRecord[], options: { credentials: LocalCredentials; port?: number; region?: string; accountId?: string; now?: () => number }): Promise<SecretsManagerServer> {
  const scope: SecretsScope = { region: options.region ?? DEFAULT_REGION, accountId: options.accountId ?? ACCOUNT_ID, now: options.now ?? Date.now };
  const createdDate = Math.floor(scope.now() / 1000);
  const guard = { credentials: options.credentials };
  const server = createServer(guardedHandler('Secrets Manager', (req, res, body) => handle(req, res, body, secrets, createdDate, scope), { guard }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, body: string, secrets: SecretRecord[], createdDate: number, scope: SecretsScope): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
  if (op !== 'GetSecretValue' && !SECRET_WRITES.has(op)) {
    const named = target.split('.')[1] ?? target;
    return send(res, 400, { __type: 'InvalidRequestException', message: `secretsmanager.${named || '(no X-Amz-Target)'} is not served by the local emulator (only GetSecretValue, CreateSecret, PutSecretValue and DeleteSecret are)` });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    return send(res, 400, { __type: 'SerializationException', message: 'request body is not JSON' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return send(res, 400, { __type: 'SerializationException', message: 'request body is not a JSON object' });
  }
  const input = parsed as Record<string, unknown>;
  if (op !== 'GetSecretValue') {
    const answer = writeSecret(op, secrets, input, scope);
    return send(res, answer.status, answer.payload);
  }
  if (typeof input.SecretId !== 'string' || input.SecretId === '') {
    return send(res, 400, { __type: 'InvalidParameterException', message: 'SecretId is required' });
  }
  // A name Secrets Manager could never hold is refused as invalid before any lookup, as AWS does.
  if (!input.SecretId.startsWith('arn:') && !NAME_CHARACTERS.test(input.SecretId)) return send(res, 400, INVALID_NAME);
  const secret = findSecret(secrets, input.SecretId);
  if (!secret) return send(res, 400, NOT_FOUND);
  const unreadable = unreadableSecret(secret);
  if (unreadable) return send(res, 400, unreadable);
  // One version only: AWSCURRENT. Asking for another stage or version finds nothing, as on AWS.
  const versionId = secret.versionId ?? `00000000-0000-4000-8000-${Buffer.from(secret.logicalId).toString('hex').padEnd(12, '0').slice(0, 12)}`;
  if (input.VersionId && input.VersionId !== versionId) return send(res, 400, NOT_FOUND);
  if (input.VersionStage && input.VersionStage !== 'AWSCURRENT') {
    if (input.VersionId) return send(res, 400, { __type: 'InvalidRequestException', message: 'You provided a VersionStage that is not associated to the provided VersionId.' });
    return send(res, 400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret value for staging label: ${String(input.VersionStage)}` });
  }
  send(res, 200, {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: versionId,
    ...(secret.secretBinary !== undefined ? { SecretBinary: secret.secretBinary } : { SecretString: secret.secretString }),
    VersionStages: ['AWSCURRENT'],
    CreatedDate: secret.createdDate !== undefined ? secret.createdDate / 1000 : createdDate,
  });
}

const send = (res: ServerResponse, status: number, payload: unknown): void => sendAwsJson(res, status, payload, CONTENT_TYPE);
