/**
 * SQS's errors, as its two protocols name them: the JSON protocol's `__type` (com.amazonaws.sqs#QueueDoesNotExist)
 * and the query protocol's code (AWS.SimpleQueueService.NonExistentQueue), which the JSON protocol also sends in
 * its x-amzn-query-error header for SDKs that were written against the query protocol.
 */

/** JSON protocol name → query protocol code, where they differ. */
const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

/** Query code → the JSON protocol's `__type`, where SQS's JSON names the error otherwise (the SDK v3's `error.name`). */
const JSON_TYPES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
};

export class SqsError extends Error {
  constructor(
    /** The JSON protocol's name (without com.amazonaws.sqs#). */
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  /** The query protocol's code for this error. */
  get queryCode(): string {
    return QUERY_CODES[this.code] ?? this.code;
  }

  /** The JSON protocol's `__type` (without com.amazonaws.sqs#). */
  get jsonType(): string {
    return JSON_TYPES[this.code] ?? this.code;
  }

  /** The message in the query protocol, which words an unknown queue as SQS's WSDL-era answer does. */
  get queryMessage(): string {
    return this.code === 'QueueDoesNotExist' ? 'The specified queue does not exist for this wsdl version.' : this.message;
  }

  /** Sender for the client's mistakes, Receiver for the service's own. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const noSuchQueue = (): SqsError => new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const missing = (parameter: string): SqsError => new SqsError('MissingParameter', `The request must contain the parameter ${parameter}.`);

export const invalidValue = (parameter: string, value: unknown, reason: string): SqsError =>
  new SqsError('InvalidParameterValue', `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${parameter} is invalid. Reason: ${reason}`);
