/** Unit: the building blocks of `aws` integrations (selection, Lambda results, DynamoDB URIs, Java string helpers). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GatewayError } from '../../../emulator/gateway/gateway-responses.js';
import { dynamoDbAction } from '../../../emulator/gateway/integration-dynamodb.js';
import { lambdaEvent, lambdaIntegrationResult } from '../../../emulator/gateway/integration-lambda.js';
import { integrationTimeout } from '../../../emulator/gateway/integration-request.js';
import { assertDeclaredStatus, javaFullMatch, mappingValue, selectIntegrationResponse } from '../../../emulator/gateway/integration-response.js';
import { renderTemplate } from '../../../emulator/gateway/vtl/engine.js';
import { javaReplaceAll } from '../../../emulator/gateway/vtl/util.js';

// The Task API's own selection patterns, read from the contract so that this test follows it.
const CONTRACT = parse(readFileSync(fileURLToPath(new URL('../../../openapi/api.yaml', import.meta.url)), 'utf8')) as {
  paths: Record<string, Record<string, { 'x-amazon-apigateway-integration': { responses: Record<string, { statusCode: string }> } }>>;
};
const TASK_API_RESPONSES = CONTRACT.paths['/tasks/{taskId}']!.put!['x-amazon-apigateway-integration'].responses;

describe('selectIntegrationResponse (R2.6)', () => {
  it.each([
    { given: '', want: '200' },
    { given: '{"type":"x","title":"T","status":400,"detail":"d"}', want: '400' },
    { given: '{"type":"x","title":"T","status":404,"detail":"d"}', want: '404' },
    { given: '{"type":"x","title":"T","status":412,"detail":"d"}', want: '412' },
    { given: '{"type":"x","title":"T","status":500,"detail":"d"}', want: '500' },
    { given: '{"type":"x","title":"T \\"q\\"","status":404,"detail":"d"}', want: '404' },
    { given: '{"type":"x","title":"T","status":400,"detail":"\\"status\\":404,"}', want: '400' },
    { given: 'Task timed out after 3.00 seconds', want: '500' },
    { given: 'Cannot find module x\nRequire stack:\n- /var/task/index.mjs', want: '500' },
  ])('R2.6 the Task API patterns select $want for $given', ({ given, want }) => {
    expect(selectIntegrationResponse({ responses: TASK_API_RESPONSES }, given)?.statusCode).toBe(want);
  });

  it.each([
    { pattern: 'Bad.*', input: 'Bad thing', want: true },
    { pattern: 'Bad', input: 'Bad thing', want: false },
    { pattern: '4\\d{2}', input: '404', want: true },
    { pattern: '4\\d{2}', input: '4040', want: false },
    { pattern: '.*', input: '', want: true },
    { pattern: '.+', input: 'line1\nline2', want: false },
    { pattern: '(\\n|.)+', input: 'line1\nline2', want: true },
  ])('R2.6 Java full match: $pattern ~ $input → $want', ({ pattern, input, want }) => {
    expect(javaFullMatch(pattern, input)).toBe(want);
  });

  it('R2.6 an invalid pattern is a configuration error naming the key', () => {
    expect(() => javaFullMatch('(', 'x')).toThrow(/responses key "\(" is not a valid regular expression/);
  });

  it('R2.6 no match and no default → undefined', () => {
    expect(selectIntegrationResponse({ responses: { 'Bad.*': { statusCode: '400' } } }, '')).toBeUndefined();
  });

  it.each([
    { responses: { '200': {}, '404': {} }, status: '404', ok: true },
    { responses: { '200': {} }, status: '404', ok: false },
    { responses: { default: {} }, status: '200', ok: false },
  ])('R2.6 [AMBIGUOUS] declared method response $status in $responses → ok=$ok', ({ responses, status, ok }) => {
    const check = () => assertDeclaredStatus({ responses }, { statusCode: status }, 'paths./x.get');
    if (ok) expect(check).not.toThrow();
    else expect(check).toThrow(GatewayError);
  });
});

describe('Lambda integration results (R2.1, R2.7)', () => {
  it('R2.1 success: selection value "", body = JSON of the result', () => {
    expect(lambdaIntegrationResult({ kind: 'ok', payload: { a: 1 } }, 'nodejs22.x')).toEqual({ selectionValue: '', body: '{"a":1}', headers: {} });
  });

  it('R2.1 success: the body is the result as the runtime wrote it (Python`s spaced separators), not serialized again', () => {
    expect(lambdaIntegrationResult({ kind: 'ok', payload: { a: 1 }, payloadJson: '{"a": 1}' }, 'python3.12')).toEqual({ selectionValue: '', body: '{"a": 1}', headers: {} });
  });

  it.each([
    // The Python runtime's document, keys in this order, as AWS answered LocalStack's recorded selection-pattern test.
    { runtime: 'python3.12', want: '{"errorMessage":"m","errorType":"T","requestId":"r-1","stackTrace":["s"]}' },
    { runtime: 'python3.9', want: '{"errorMessage":"m","errorType":"T","requestId":"r-1","stackTrace":["s"]}' },
    // The Node.js runtime's: its stack is `trace`.
    { runtime: 'nodejs22.x', want: '{"errorType":"T","errorMessage":"m","trace":["s"]}' },
    { runtime: 'nodejs20.x', want: '{"errorType":"T","errorMessage":"m","trace":["s"]}' },
    // Errors Lambda reports itself carry neither the runtime's stack nor its request id field (AWS recorded).
    { runtime: 'python3.12', errorType: 'Sandbox.Timedout', want: '{"errorType":"Sandbox.Timedout","errorMessage":"m"}' },
    { runtime: 'nodejs22.x', errorType: 'Runtime.ExitError', want: '{"errorType":"Runtime.ExitError","errorMessage":"m"}' },
  ])('R2.7 function error on $runtime ($errorType): the body is the error document, the selection value its errorMessage', ({ runtime, errorType = 'T', want }) => {
    const result = lambdaIntegrationResult({ kind: 'function-error', errorMessage: 'm', errorType, stackTrace: ['s'], requestId: 'r-1' }, runtime);
    expect(result.selectionValue).toBe('m');
    expect(result.body).toBe(want);
  });

  it.each(['python3.12', 'nodejs22.x'])('R2.7 LS-rec test_lambda_too_large_response: a result over 6 MB on %s is Lambda`s document with errorMessage first, as AWS wrote it', (runtime) => {
    const error = { kind: 'function-error' as const, errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', errorType: 'Function.ResponseSizeTooLarge', stackTrace: [], requestId: 'r-1' };

    expect(lambdaIntegrationResult(error, runtime).body).toBe('{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}');
  });

  it.each([
    { given: '', want: {} },
    { given: ' {"a":[1]} ', want: { a: [1] } },
    { given: '"text"', want: 'text' },
  ])('R2.1 lambdaEvent($given)', ({ given, want }) => {
    expect(lambdaEvent(given, 'here')).toEqual(want);
  });

  it('R2.1 [AMBIGUOUS] a non-JSON payload is a configuration error', () => {
    expect(() => lambdaEvent('<a/>', 'paths./x.post')).toThrow(/paths\.\/x\.post: Lambda rejects the integration request/);
  });
});

describe('mappingValue (R2.8, R2.9)', () => {
  const sources = (body: string) => ({ context: { requestId: 'r' }, stageVariables: { color: 'blue' }, integrationHeaders: { 'x-amzn-requestid': 'd-1' }, integrationBody: body });

  it.each([
    { expr: "'static'", want: 'static' },
    { expr: 'context.requestId', want: 'r' },
    { expr: 'stageVariables.color', want: 'blue' },
    { expr: 'integration.response.header.X-Amzn-RequestId', want: 'd-1' },
    { expr: 'integration.response.body', want: '{"errorMessage":"{\\"code\\":\\"E1\\",\\"n\\":{\\"d\\":2}}"}' },
    { expr: 'integration.response.body.errorMessage.code', want: 'E1' },
    { expr: 'integration.response.body.errorMessage.n.d', want: '2' },
    { expr: 'integration.response.body.errorMessage.nothing', want: undefined },
  ])('R2.8 / R2.9 $expr → $want', ({ expr, want }) => {
    expect(mappingValue(expr, sources('{"errorMessage":"{\\"code\\":\\"E1\\",\\"n\\":{\\"d\\":2}}"}'))).toBe(want);
  });
});

describe('misc', () => {
  it.each([
    { uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/GetItem', want: 'GetItem' },
    { uri: 'arn:aws-cn:apigateway:cn-north-1:dynamodb:action/Query', want: 'Query' },
    { uri: 'arn:aws:apigateway:us-east-1:sqs:path/1/q', want: undefined },
    { uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations', want: undefined },
  ])('R12.1 dynamoDbAction($uri) → $want', ({ uri, want }) => {
    expect(dynamoDbAction(uri)).toBe(want);
  });

  it.each([
    { given: {}, want: 29_000 },
    { given: { timeoutInMillis: 200 }, want: 200 },
    { given: { timeoutInMillis: 'x' }, want: 29_000 },
  ])('R1.56 integrationTimeout($given) → $want', ({ given, want }) => {
    expect(integrationTimeout(given)).toBe(want);
  });

  it.each([
    { input: "it\\'s", pattern: "\\\\'", replacement: "'", want: "it's" },
    { input: 'a-b-c', pattern: '-', replacement: '\\$', want: 'a$b$c' },
    { input: 'ab', pattern: '(a)(b)', replacement: '$2$1', want: 'ba' },
  ])('R3.10 Java replaceAll($pattern, $replacement) on $input → $want', ({ input, pattern, replacement, want }) => {
    expect(javaReplaceAll(input, pattern, replacement)).toBe(want);
  });

  it('R3.10 a lone $ in a replacement is an error, as in Java', () => {
    expect(() => javaReplaceAll('a', 'a', '$')).toThrow(/illegal group reference/);
  });

  it('R2.12 $context.requestOverride.* set in a request template are returned as overrides (hyphenated names)', () => {
    const context = { requestOverride: { header: {}, path: {}, querystring: {} }, responseOverride: { header: {} } };
    const out = renderTemplate('#set($context.requestOverride.header.X-Amz-Invocation-Type = "Event")#set($context.requestOverride.querystring.q = "1")x', {
      input: { body: '', params: { path: {}, querystring: {}, header: {} } },
      context,
      stageVariables: null,
    });
    expect(out.overrides.request).toEqual({ header: { 'X-Amz-Invocation-Type': 'Event' }, path: {}, querystring: { q: '1' } });
  });
});
