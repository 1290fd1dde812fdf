/**
 * Idempotent create with Powertools Idempotency: keyed by (caller sub, Idempotency-Key), the
 * body hashed for payload validation, records in the idempotency table (key `id`, TTL `expiration`).
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ConflictError, UnprocessableContentError, ValidationError } from './errors.js';
import type { HeadersOf, RequestBodyOf } from './operation-input.js';
import { header } from './request.js';
import type { Task } from './task-item.js';

type NewTask = RequestBodyOf<'createTask'>;

export interface IdempotentCreateRequest {
  ownerId: string;
  idempotencyKey: string;
  input: NewTask;
}

export type CreateFn = (ownerId: string, input: NewTask) => Promise<Task>;

const KEY = /^[\x21-\x7E]{1,255}$/;

/** The Idempotency-Key header (any case), checked against the contract's pattern; undefined when absent. */
export function idempotencyKeyOf(event: Pick<APIGatewayProxyEvent, 'headers'>): HeadersOf<'createTask'>['Idempotency-Key'] {
  const value = header(event, 'idempotency-key');
  if (value === undefined) return undefined;
  if (!KEY.test(value)) {
    throw new ValidationError('Idempotency-Key: must be 1 to 255 visible ASCII characters', [
      { pointer: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}

/** Translates Powertools' idempotency outcomes into the contract's 409 and 422. */
function translate(error: unknown): unknown {
  const name = error instanceof Error ? error.name : '';
  if (name === 'IdempotencyValidationError') {
    return new UnprocessableContentError('This Idempotency-Key was already used with a different request body.');
  }
  if (name === 'IdempotencyAlreadyInProgressError') {
    return new ConflictError('A request with this Idempotency-Key is still being processed; retry later.');
  }
  return error;
}

/** Wraps `create` so that a retry with the same key returns the first result and creates nothing. */
export function idempotentCreate(
  create: CreateFn,
  tableName: string,
  client: DynamoDBClient,
): (request: IdempotentCreateRequest, context: Context) => Promise<Task> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[ownerId, idempotencyKey]',
    payloadValidationJmesPath: 'input',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: 24 * 60 * 60,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  const run = makeIdempotent((request: IdempotentCreateRequest) => create(request.ownerId, request.input), { persistenceStore, config });
  return async (request, context) => {
    // The in-progress lock expires with this invocation's remaining time.
    config.registerLambdaContext(context);
    try {
      return await run(request);
    } catch (error) {
      throw translate(error);
    }
  };
}
