/** The responses an HTTP API answers itself (H10): fixed JSON bodies, no customisation (H10.9). */
import { Reply } from '../reply.js';

/** H10.1-H10.7: status → body message. */
const MESSAGES: Record<number, string> = {
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

/**
 * H10.8/H10.9: `{"message":...}` as application/json, with the request id header only (no x-amzn-* headers). A function
 * URL's refusal (403) is Lambda's, not API Gateway's: `{"Message":"Forbidden"}` with x-amzn-ErrorType AccessDeniedException.
 */
export function gatewayErrorResponse(error: HttpGatewayError, functionUrl = false): Reply {
  if (functionUrl && error.status === 403) {
    const headers = new Headers({ 'content-type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException', ...error.headers });
    return new Reply(403, headers, JSON.stringify({ Message: error.message }));
  }
  const headers = new Headers({ 'content-type': 'application/json', ...error.headers });
  return new Reply(error.status, headers, JSON.stringify({ message: error.message }));
}
