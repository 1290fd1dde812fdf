/**
 * Secrets Manager's writes, on the embedded endpoint: CreateSecret, PutSecretValue and DeleteSecret. An application's
 * README often creates its secrets with `aws secretsmanager create-secret` after the deploy (a tenant's API key read by
 * a Lambda authorizer, serverless-patterns apigw-secretsmanager-apikey-cdk), so a local run needs the same call to
 * work; what it creates lives in memory, until the gateway stops.
 */
import { randomUUID } from 'node:crypto';
import { findSecret, type SecretRecord } from '../identity/secret-values.js';
import { secretArnFor } from '../identity/local-ids.js';

/** The JSON an operation answers with and its HTTP status (Secrets Manager's errors are all 400). */
export interface SecretsAnswer {
  status: number;
  payload: Record<string, unknown>;
}

/** Where the created secrets' ARNs are, and the clock that dates a deletion (injectable for tests). */
export interface SecretsScope {
  region: string;
  accountId: string;
  now: () => number;
}

const NAME_CHARACTERS = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const NOT_FOUND = { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." };
const MARKED = { __type: 'InvalidRequestException', message: "You can't perform this operation on the secret because it was marked for deletion." };
const BOTH_VALUES = { __type: 'InvalidParameterException', message: "You can't specify both a binary secret value and a string secret value in the same secret." };
const DAY_MS = 86_400_000;

const fail = (payload: Record<string, unknown>): SecretsAnswer => ({ status: 400, payload });
const ok = (payload: Record<string, unknown>): SecretsAnswer => ({ status: 200, payload });

/** ClientRequestToken is the new version's id (32-64 characters, as the API reference bounds it), else a new UUID. */
function versionIdOf(input: Record<string, unknown>): string | SecretsAnswer {
  const token = input.ClientRequestToken;
  if (token === undefined) return randomUUID();
  if (typeof token !== 'string' || token.length < 32 || token.length > 64) {
    return fail({ __type: 'ValidationException', message: 'ClientRequestToken must be 32-64 characters long.' });
  }
  return token;
}

/** The value given: SecretString or SecretBinary (base64 in the JSON protocol), never both; neither is a secret with no version yet. */
function valueOf(input: Record<string, unknown>): { secretString?: string; secretBinary?: string } | SecretsAnswer {
  const { SecretString: text, SecretBinary: binary } = input;
  if (text !== undefined && binary !== undefined) return fail(BOTH_VALUES);
  if (text !== undefined && typeof text !== 'string') return fail({ __type: 'SerializationException', message: 'SecretString must be a string' });
  if (binary !== undefined && typeof binary !== 'string') return fail({ __type: 'SerializationException', message: 'SecretBinary must be base64 text' });
  return { ...(text !== undefined ? { secretString: text } : {}), ...(binary !== undefined ? { secretBinary: binary } : {}) };
}

/** The secret a SecretId names (name, ARN, partial ARN), or undefined; an empty id names none. */
const named = (secrets: SecretRecord[], id: unknown): SecretRecord | undefined => (typeof id === 'string' && id !== '' ? findSecret(secrets, id) : undefined);

const isAnswer = (value: unknown): value is SecretsAnswer => typeof value === 'object' && value !== null && 'status' in value && 'payload' in value;

/** CreateSecret: a new secret under its name, with a first AWSCURRENT version when a value is given. */
function createSecret(secrets: SecretRecord[], input: Record<string, unknown>, scope: SecretsScope): SecretsAnswer {
  const name = input.Name;
  if (typeof name !== 'string' || !NAME_CHARACTERS.test(name)) {
    return fail({ __type: 'ValidationException', message: 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!' });
  }
  const existing = secrets.find((s) => s.name === name);
  if (existing?.deletionDate !== undefined) return fail({ __type: 'InvalidRequestException', message: "You can't create this secret because a secret with this name is already scheduled for deletion." });
  if (existing) return fail({ __type: 'ResourceExistsException', message: `The operation failed because the secret ${name} already exists.` });
  const value = valueOf(input);
  if (isAnswer(value)) return value;
  const versionId = versionIdOf(input);
  if (typeof versionId !== 'string') return versionId;
  const hasValue = value.secretString !== undefined || value.secretBinary !== undefined;
  const record: SecretRecord = { logicalId: '', name, arn: secretArnFor(scope.region, scope.accountId, name), secretString: value.secretString ?? '', source: 'created', createdDate: scope.now() };
  if (value.secretBinary !== undefined) record.secretBinary = value.secretBinary;
  if (hasValue) record.versionId = versionId;
  else record.noValue = true;
  secrets.push(record);
  return ok({ ARN: record.arn, Name: name, ...(hasValue ? { VersionId: versionId } : {}) });
}

/** PutSecretValue: a new AWSCURRENT version of a secret (one of the template's too), the previous one no longer served. */
function putSecretValue(secrets: SecretRecord[], input: Record<string, unknown>, scope: SecretsScope): SecretsAnswer {
  const secret = named(secrets, input.SecretId);
  if (!secret) return fail(NOT_FOUND);
  if (secret.deletionDate !== undefined) return fail(MARKED);
  const value = valueOf(input);
  if (isAnswer(value)) return value;
  if (value.secretString === undefined && value.secretBinary === undefined) {
    return fail({ __type: 'InvalidRequestException', message: 'You must provide either SecretString or SecretBinary.' });
  }
  const versionId = versionIdOf(input);
  if (typeof versionId !== 'string') return versionId;
  secret.secretString = value.secretString ?? '';
  if (value.secretBinary !== undefined) secret.secretBinary = value.secretBinary;
  else delete secret.secretBinary;
  delete secret.noValue;
  secret.versionId = versionId;
  secret.createdDate = scope.now();
  return ok({ ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: ['AWSCURRENT'] });
}

/** DeleteSecret: gone at once with ForceDeleteWithoutRecovery, else marked for deletion after its recovery window (7-30 days, 30 by default). */
function deleteSecret(secrets: SecretRecord[], input: Record<string, unknown>, scope: SecretsScope): SecretsAnswer {
  const secret = named(secrets, input.SecretId);
  if (!secret) return fail(NOT_FOUND);
  const force = input.ForceDeleteWithoutRecovery === true;
  const days = input.RecoveryWindowInDays;
  if (force && days !== undefined) {
    return fail({ __type: 'InvalidParameterException', message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays." });
  }
  if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30)) {
    return fail({ __type: 'InvalidParameterException', message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).' });
  }
  const now = scope.now();
  if (force) {
    secrets.splice(secrets.indexOf(secret), 1);
    return ok({ ARN: secret.arn, Name: secret.name, DeletionDate: now / 1000 });
  }
  secret.deletionDate ??= now + (typeof days === 'number' ? days : 30) * DAY_MS;
  return ok({ ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionDate / 1000 });
}

const WRITES: Record<string, (secrets: SecretRecord[], input: Record<string, unknown>, scope: SecretsScope) => SecretsAnswer> = {
  CreateSecret: createSecret,
  PutSecretValue: putSecretValue,
  DeleteSecret: deleteSecret,
};

/** The write operations served, by the X-Amz-Target suffix. */
export const SECRET_WRITES = new Set(Object.keys(WRITES));

/** Run one write operation on the endpoint's secrets (the list is changed in place). */
export function writeSecret(operation: string, secrets: SecretRecord[], input: Record<string, unknown>, scope: SecretsScope): SecretsAnswer {
  return WRITES[operation]!(secrets, input, scope);
}

/** What GetSecretValue answers instead of a value for a secret marked for deletion or created without one, as AWS does. */
export function unreadableSecret(secret: SecretRecord): Record<string, unknown> | undefined {
  if (secret.deletionDate !== undefined) return MARKED;
  if (secret.noValue) return { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" };
  return undefined;
}
