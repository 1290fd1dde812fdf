/** Access log lines (H11.5; REST's AccessLogSetting): a format's `$context` variables replaced, `-` for a missing value. */
import { describe, expect, it } from 'vitest';
import { accessLogLine, accessLogValues, destinationName } from '../../../emulator/gateway/access-log.js';
import { formatAccessLogLine } from '../../../emulator/report.js';

const values = accessLogValues({
  requestId: 'r-1',
  status: 200,
  identity: { sourceIp: '127.0.0.1', caller: null, user: '' },
  authorizer: { claims: { sub: 'user-1', 'cognito:username': 'ann' }, principalId: 'p-1' },
  scopes: ['a', 'b'],
});
const valueOf = (name: string): string | undefined => values.get(name);

describe('accessLogLine', () => {
  it.each([
    { given: 'a plain variable', format: '$context.requestId', want: 'r-1' },
    { given: 'a number', format: 'status=$context.status', want: 'status=200' },
    { given: 'a nested name', format: '$context.identity.sourceIp', want: '127.0.0.1' },
    { given: 'a claim whose name holds a colon', format: '$context.authorizer.claims.cognito:username', want: 'ann' },
    { given: 'a null value', format: '[$context.identity.caller]', want: '[-]' },
    { given: 'an empty value', format: '[$context.identity.user]', want: '[-]' },
    { given: 'a variable the request has no value for', format: '$context.integrationLatency', want: '-' },
    { given: 'a misspelt variable', format: '$context.reqestId', want: '-' },
    { given: 'an object (not a single value)', format: '$context.authorizer.claims', want: '-' },
    { given: 'a list', format: '$context.scopes', want: 'a,b' },
    { given: 'a dash right after a variable', format: '$context.status-$context.requestId', want: '200-r-1' },
    { given: 'text after a known variable', format: '$context.requestId.log', want: 'r-1.log' },
    { given: 'a sentence-ending dot', format: 'done: $context.status.', want: 'done: 200.' },
    { given: 'JSON around the variables', format: '{"id":"$context.requestId","ip":"$context.identity.sourceIp"}', want: '{"id":"r-1","ip":"127.0.0.1"}' },
    { given: 'no variable at all', format: 'static text', want: 'static text' },
    { given: 'a $ that is no variable', format: '$1 $stageVariables.x $context', want: '$1 $stageVariables.x $context' },
  ])('$given: $format gives $want', ({ format, want }) => {
    expect(accessLogLine(format, valueOf)).toBe(want);
  });
});

describe('destinationName', () => {
  it.each([
    { given: 'a log group ARN as GetAtt gives it', arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/app/access:*', want: '/aws/apigateway/app/access' },
    { given: 'a log group ARN without :*', arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:api-logs', want: 'api-logs' },
    { given: 'a Firehose stream', arn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-x', want: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-x' },
  ])('$given: $want', ({ arn, want }) => {
    expect(destinationName(arn)).toBe(want);
  });
});

describe('formatAccessLogLine', () => {
  it('prints the line indented under the request line, named by its log group', () => {
    // Act
    const printed = formatAccessLogLine({ destination: 'api-logs', line: '{"status":"200"}' });

    // Assess
    expect(printed).toBe('  access log api-logs: {"status":"200"}');
  });
});
