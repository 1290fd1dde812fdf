/**
 * A function's partial batch response (ReportBatchItemFailures), read as Lambda reads it for SQS, Kinesis and DynamoDB
 * Streams sources alike.
 */

/**
 * The itemIdentifiers a partial batch response names ([] is a complete success), or 'all' when the response is no
 * valid one (a complete failure). Lambda's "empty EventResponse" is null, {}, an empty list or an empty string: AWS
 * answered LocalStack's recorded test_kinesis_report_batch_item_success_scenarios (empty_list_success,
 * empty_string_success) and test_dynamodb_report_batch_item_success_scenarios (empty_list_success) with one invocation
 * and no retry.
 */
export function reportedItemIdentifiers(payload: unknown): unknown[] | 'all' {
  if (payload === null || payload === undefined || payload === '' || (Array.isArray(payload) && payload.length === 0)) return [];
  // Any other response that is no object (a text, a number, a non-empty list) is no valid EventResponse: Lambda
  // counts "an invalid JSON response" as a complete failure.
  if (typeof payload !== 'object' || Array.isArray(payload)) return 'all';
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) return 'all';
  return failures.map((failure) => (typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined));
}
