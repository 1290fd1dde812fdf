/** The responses an HTTP API answers itself (H10): fixed JSON bodies, no customisation (H10.9). */
import { Reply } from '../reply.js';

/** H10.1-H10.7: status → body message. */
const MESSAGES: Record<number, string> = {
  // [AMBIGUOUS] H4.3: a path that does not percent-decode (AWS refuses it; its body is not recorded).
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  // A function URL's function failed (not an HTTP API status).
  502: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A request API Gateway answers itself; `log` says why, for the emulator's console only; `message` replaces the status's own (IAM refusals). */
export class HttpGatewayError extends Error {
  constructor(
    readonly status: keyof typeof MESSAGES,
    readonly log?: string,
    readonly headers: Record<string, string> = {},
    message: string = MESSAGES[status]!,
  ) {
    super(message);
    this.name = 'HttpGatewayError';
  }
}

/** Lambda's refusal of a function URL request, as AWS recorded it in LocalStack's AWS-validated function URL tests. */
const URL_FORBIDDEN = 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html';
/** Lambda's refusal of an invocation over its 6 MB limit (RequestEntityTooLargeException), as function URL callers quote it. */
const URL_TOO_LARGE = 'Request must be smaller than 6291456 bytes for the InvokeFunction operation';
/** Lambda's TooManyRequestsException message (the Invoke API's `message`). */
const URL_THROTTLED = 'Rate Exceeded.';

/**
 * H10.8/H10.9: `{"message":...}` as application/json, with the request id header only (no x-amzn-* headers). A function
 * URL's answers are Lambda's, not API Gateway's (as AWS recorded them): a refusal (403) is `{"Message":"Forbidden. For
 * troubleshooting ..."}` with x-amzn-ErrorType AccessDeniedException; a failed function, the text `Internal Server Error` (502);
 * a throttled function 429 (Lambda Developer Guide, "Throttling function URLs"), its body shaped as the 403's ([AMBIGUOUS]);
 * an event over Lambda's 6 MB limit 413 `{"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction
 * operation"}` with x-amzn-ErrorType RequestEntityTooLargeException, as callers of function URLs quote it.
 */
export function gatewayErrorResponse(error: HttpGatewayError, functionUrl = false): Reply {
  if (functionUrl && error.status === 403) {
    const headers = new Headers({ 'content-type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException', ...error.headers });
    return new Reply(403, headers, JSON.stringify({ Message: error.message === MESSAGES[403] ? URL_FORBIDDEN : error.message }));
  }
  if (functionUrl && error.status === 429) {
    const headers = new Headers({ 'content-type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException', ...error.headers });
    return new Reply(429, headers, JSON.stringify({ Message: URL_THROTTLED }));
  }
  if (functionUrl && error.status === 413) {
    const headers = new Headers({ 'content-type': 'application/json', 'x-amzn-ErrorType': 'RequestEntityTooLargeException', ...error.headers });
    return new Reply(413, headers, JSON.stringify({ Message: URL_TOO_LARGE }));
  }
  if (functionUrl && error.status === 502) return new Reply(502, new Headers({ 'content-type': 'text/plain', ...error.headers }), MESSAGES[502]!);
  const headers = new Headers({ 'content-type': 'application/json', ...error.headers });
  // H7.6: the JWT authorizer's 401 (the one answer with a challenge) has no Content-Type, as AWS's captured answer shows
  // (DG http-api-troubleshooting-jwt: Date, Content-Length, Connection, www-authenticate, apigw-requestid).
  if (error.headers['www-authenticate'] !== undefined) headers.delete('content-type');
  return new Reply(error.status, headers, JSON.stringify({ message: error.message }));
}
