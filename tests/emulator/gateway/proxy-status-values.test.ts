/**
 * R1.41 / R1.42 / H6.5 / H6.9: the statusCode values a Lambda proxy result may carry, on each reader. Recorded against
 * AWS (LocalStack's test_aws_proxy_response_payload_format_validation, REST and HTTP API 1.0/2.0): a numeric string
 * ("201") is that status, a word ("test") is a result API Gateway cannot read, a missing statusCode is 200 on REST
 * and a failure on HTTP API 1.0. The other rows are [AMBIGUOUS] choices (emulator/README.md).
 */
import { describe, expect, it } from 'vitest';
import { parseProxyResponse } from '../../../emulator/gateway/proxy-response.js';
import { responseV1, responseV2 } from '../../../emulator/gateway/http/response.js';

/** The status each reader answers a result with, or 'malformed' (REST 502, HTTP API 500). */
const READERS = {
  rest: (payload: unknown) => {
    const parsed = parseProxyResponse(payload);
    return parsed.ok ? parsed.result.status : 'malformed';
  },
  v1: (payload: unknown) => {
    const result = responseV1(payload);
    return result.ok ? result.response.status : 'malformed';
  },
  v2: (payload: unknown) => {
    const result = responseV2(payload);
    return result.ok ? result.response.status : 'malformed';
  },
};

// JSON.parse is how the gateway reads the payload, so `200.0` is the number a Python function's 200.0 becomes.
const payloadWith = (statusJson: string) => JSON.parse(`{"statusCode": ${statusJson}, "body": "x"}`) as unknown;

const ALL = (payload: unknown) => ({ rest: READERS.rest(payload), v1: READERS.v1(payload), v2: READERS.v2(payload) });
const MALFORMED = { rest: 'malformed', v1: 'malformed', v2: 'malformed' };

describe('statusCode values, per reader', () => {
  it.each(['"201"', '200', '599'])('R1.42 / H6.5 (recorded for "201") statusCode %s is that status everywhere', (status) => {
    const want = Number(JSON.parse(status));
    expect(ALL(payloadWith(status))).toEqual({ rest: want, v1: want, v2: want });
  });

  it('R1.42 [AMBIGUOUS] statusCode 200.0 is the JSON number 200, so 200 everywhere', () => {
    expect(ALL(payloadWith('200.0'))).toEqual({ rest: 200, v1: 200, v2: 200 });
  });

  it('R1.42 / H6.5 recorded: statusCode "test" cannot be read (REST 502, HTTP API 500)', () => {
    expect(ALL(payloadWith('"test"'))).toEqual(MALFORMED);
  });

  it.each(['"abc"', '200.5', '"200.0"', '-200', '"-200"', '0', '99', '600', 'true', '[200]'])('R1.42 [AMBIGUOUS] statusCode %s cannot be read (REST 502, HTTP API 500)', (status) => {
    expect(ALL(payloadWith(status))).toEqual(MALFORMED);
  });

  // null is a missing statusCode on REST (200, R1.41) and HTTP API 1.0 (required, H6.9); on 2.0 the key is there, so
  // the result is structured (no inference, H6.2) and its status is no status.
  it('R1.41 / H6.9 [AMBIGUOUS] statusCode null → REST 200, HTTP API 1.0 and 2.0 cannot read it', () => {
    expect(ALL(payloadWith('null'))).toEqual({ rest: 200, v1: 'malformed', v2: 'malformed' });
  });

  it('R1.41 / H6.9 / H6.2 recorded: no statusCode at all is 200 on REST, a failure on HTTP API 1.0, inferred (200) on 2.0', () => {
    expect(ALL({ headers: { 'test-header': 'value' } })).toEqual({ rest: 200, v1: 'malformed', v2: 200 });
  });
});
