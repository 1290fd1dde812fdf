/** The result of an identity check, mapped by the gateway to its gateway responses (section 8). */
import type { SignatureProblem } from '../services/sigv4.js';
import type { IamCaller } from './iam.js';

export type IdentityResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'INVALID_API_KEY'
  | 'DEFAULT_4XX'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'EXPIRED_TOKEN';

export interface IdentityAllowed {
  ok: true;
  /** What goes to `requestContext.authorizer` (and `$context.authorizer`); absent when no authorizer ran. */
  authorizer?: Record<string, unknown>;
  principalId?: string;
  /** The Lambda authorizer's `usageIdentifierKey` (used when the API key source is AUTHORIZER, R6.3). */
  usageIdentifierKey?: string;
  /** Set when the method required an API key and it passed (R1.29 `identity.apiKey` / `identity.apiKeyId`). */
  apiKey?: { value: string; id: string; usagePlanId: string };
  /** Set when the method uses IAM authorization and the signature verified (R1.28 identity fields). */
  iam?: IamCaller;
}

export interface IdentityDenied {
  ok: false;
  responseType: IdentityResponseType;
  /** `$context.error.message`; null for AUTHORIZER_CONFIGURATION_ERROR (its body is `{"message": null}`). */
  message: string | null;
  /** AWS's default body for this outcome, exact (ACCESS_DENIED uses a capital `Message` key, R7.11). */
  defaultBody: string;
  /** The `x-amzn-ErrorType` header AWS sends. */
  errorType: string;
  /** Why, for the emulator's log only (never sent to the client). */
  reason: string;
  /** A status other than the response type's default (DEFAULT_4XX has none). */
  status?: number;
  /** The built-in body template when it is not the response type's own (an IAM ACCESS_DENIED has a lower-case `message`). */
  template?: string;
}

export type IdentityOutcome = IdentityAllowed | IdentityDenied;

/** 401 UNAUTHORIZED `{"message":"Unauthorized"}` (R7.6, R7.7, R7.13, R7.21). */
export function unauthorized(reason: string): IdentityDenied {
  return {
    ok: false,
    responseType: 'UNAUTHORIZED',
    message: 'Unauthorized',
    defaultBody: '{"message":"Unauthorized"}',
    errorType: 'UnauthorizedException',
    reason,
  };
}

/** 403 ACCESS_DENIED with AWS's capital-M `{"Message": ...}` body, explicit or implicit deny (R7.11). */
export function accessDenied(explicit: boolean, reason: string): IdentityDenied {
  // [AMBIGUOUS] R7.11: newer docs append "in an identity-based policy"; we keep the recorded text.
  const message = explicit
    ? 'User is not authorized to access this resource with an explicit deny'
    : 'User is not authorized to access this resource';
  return {
    ok: false,
    responseType: 'ACCESS_DENIED',
    message,
    defaultBody: JSON.stringify({ Message: message }),
    errorType: 'AccessDeniedException',
    reason,
  };
}

/** 500 AUTHORIZER_CONFIGURATION_ERROR `{"message": null}` (R7.14). */
export function authorizerConfigurationError(reason: string): IdentityDenied {
  return {
    ok: false,
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    message: null,
    defaultBody: '{"message": null}',
    errorType: 'AuthorizerConfigurationException',
    reason,
  };
}

/**
 * R7.17: a method ARN over 1 600 bytes on a Lambda-authorized method is a 414. [AMBIGUOUS] AWS documents
 * the status, not the body or type: the emulator answers it as a DEFAULT_4XX (so the document's
 * DEFAULT_4XX shapes it) with the message "Request-URI Too Long".
 */
export function methodArnTooLong(reason: string): IdentityDenied {
  return {
    ok: false,
    responseType: 'DEFAULT_4XX',
    status: 414,
    message: 'Request-URI Too Long',
    defaultBody: '{"message":"Request-URI Too Long"}',
    errorType: '',
    reason,
  };
}

/** 403 INVALID_API_KEY `{"message":"Forbidden"}` (R6.4). */
export function invalidApiKey(reason: string): IdentityDenied {
  return {
    ok: false,
    responseType: 'INVALID_API_KEY',
    message: 'Forbidden',
    defaultBody: '{"message":"Forbidden"}',
    errorType: 'ForbiddenException',
    reason,
  };
}

/** `{"message":...}`: the body of API Gateway's IAM refusals whatever their response type. */
const MESSAGE_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * 403 for an IAM (SigV4) refusal, by AWS's exception (DG:gw-types, KC 403 table): no signature is
 * MISSING_AUTHENTICATION_TOKEN, an unknown key or token ACCESS_DENIED (AccessDeniedException), a signature
 * outside the time window EXPIRED_TOKEN and a wrong one INVALID_SIGNATURE (both InvalidSignatureException).
 * [AMBIGUOUS] a malformed Authorization header (IncompleteSignatureException) is answered as INVALID_SIGNATURE.
 */
export function iamDenied(problem: SignatureProblem): IdentityDenied {
  const responseType: IdentityResponseType =
    problem.type === 'MissingAuthenticationTokenException'
      ? 'MISSING_AUTHENTICATION_TOKEN'
      : problem.type === 'UnrecognizedClientException'
        ? 'ACCESS_DENIED'
        : problem.expired
          ? 'EXPIRED_TOKEN'
          : 'INVALID_SIGNATURE';
  const errorType = problem.type === 'UnrecognizedClientException' ? 'AccessDeniedException' : problem.type;
  return {
    ok: false,
    responseType,
    message: problem.message,
    defaultBody: JSON.stringify({ message: problem.message }),
    errorType,
    reason: `IAM: ${problem.type}: ${problem.message.split('\n')[0]}`,
    template: MESSAGE_TEMPLATE,
  };
}
