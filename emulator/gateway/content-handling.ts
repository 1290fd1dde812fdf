/**
 * R2.11: payload conversions of the non-proxy integrations (mock, `aws`, `http`), from the API's binaryMediaTypes,
 * the request's Content-Type (request) or first Accept media type (response), and `contentHandling`
 * (CONVERT_TO_TEXT / CONVERT_TO_BINARY) on the integration (request) or on the selected integration response
 * (response), as the two tables of "Content type conversions in API Gateway" give them.
 */
import { GatewayError } from './gateway-responses.js';
import { isBase64 } from './proxy-response.js';
import { selectRequestTemplate } from './integration-response.js';
import { acceptIsBinary, matchesBinaryMediaType, requestMediaType, type RequestState } from './request-state.js';
import type { Json } from './routes.js';

export type ContentHandling = 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY' | undefined;

/** What happens to a payload on its way: kept, base64-encoded into text, or base64-decoded into bytes. */
export type Conversion = 'keep' | 'encode' | 'decode';

/** `contentHandling` as written (case-insensitive); anything else is no conversion. */
export function contentHandlingOf(value: unknown): ContentHandling {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return upper === 'CONVERT_TO_TEXT' || upper === 'CONVERT_TO_BINARY' ? upper : undefined;
}

/**
 * The request table: text data is decoded only by CONVERT_TO_BINARY; binary data (its Content-Type one of the
 * binaryMediaTypes) is encoded only by CONVERT_TO_TEXT.
 */
export function requestConversion(binary: boolean, handling: ContentHandling): Conversion {
  if (binary) return handling === 'CONVERT_TO_TEXT' ? 'encode' : 'keep';
  return handling === 'CONVERT_TO_BINARY' ? 'decode' : 'keep';
}

/**
 * The response table for text integration data: without binaryMediaTypes only CONVERT_TO_BINARY decodes; with them,
 * a binary Accept decodes unless CONVERT_TO_TEXT, a text Accept decodes only with CONVERT_TO_BINARY.
 */
export function textResponseConversion(binaryTypesSet: boolean, acceptBinary: boolean, handling: ContentHandling): Conversion {
  if (handling === 'CONVERT_TO_BINARY') return 'decode';
  if (binaryTypesSet && acceptBinary && handling !== 'CONVERT_TO_TEXT') return 'decode';
  return 'keep';
}

/**
 * The response table for binary integration data (its Content-Type one of the binaryMediaTypes): a binary Accept
 * keeps the bytes unless CONVERT_TO_TEXT, a text Accept base64-encodes them unless CONVERT_TO_BINARY.
 */
export function binaryResponseConversion(acceptBinary: boolean, handling: ContentHandling): 'keep' | 'encode' {
  if (acceptBinary) return handling === 'CONVERT_TO_TEXT' ? 'encode' : 'keep';
  return handling === 'CONVERT_TO_BINARY' ? 'keep' : 'encode';
}

/** Base64 text as bytes; text that is not base64 is the 500 of a failed conversion (R2.11). */
export function base64Bytes(text: string, what: string): Uint8Array<ArrayBuffer> {
  if (!isBase64(text)) throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${what}: contentHandling could not base64-decode ${JSON.stringify(text.slice(0, 60))} (R2.11)` });
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Whether the integration would render a request template for this request (not a passthrough). */
function rendersTemplate(integration: Json, state: RequestState): boolean {
  try {
    return 'template' in selectRequestTemplate(integration, requestMediaType(state.headers));
  } catch {
    // No template and no passthrough: the integration refuses the request itself (415).
    return false;
  }
}

/**
 * The method request as the integration gets it (R2.11 request table): its body converted, nothing else. Binary data
 * (its Content-Type, application/json when absent, among the binaryMediaTypes: every request with `*\/*`) cannot
 * go through a mapping template unless CONVERT_TO_TEXT makes it text: 500, as AWS's "Unable to transform request".
 */
export function convertRequest(integration: Json, state: RequestState, binaryMediaTypes: string[], location: string): RequestState {
  const handling = contentHandlingOf(integration.contentHandling);
  const binary = binaryMediaTypes.length > 0 && matchesBinaryMediaType(requestMediaType(state.headers), binaryMediaTypes);
  if (binary && handling !== 'CONVERT_TO_TEXT' && rendersTemplate(integration, state)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${location}: Unable to transform request: a binary body (Content-Type ${requestMediaType(state.headers)} is a binary media type) goes through a request template only with contentHandling CONVERT_TO_TEXT (R2.11)` });
  }
  if (!binary && handling === 'CONVERT_TO_BINARY' && rendersTemplate(integration, state)) {
    // The body would be bytes by the time the template reads it: AWS answers 500 (LocalStack's AWS-validated S3 test).
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${location}: Unable to transform request: contentHandling CONVERT_TO_BINARY makes the body binary, and a request template cannot render binary data (R2.11)` });
  }
  const conversion = requestConversion(binary, handling);
  if (conversion === 'keep') {
    const text = binary ? state.body : asUtf8Text(state.body);
    return text === state.body ? state : { ...state, body: text };
  }
  const body = conversion === 'encode' ? new TextEncoder().encode(Buffer.from(state.body).toString('base64')) : base64Bytes(new TextDecoder().decode(state.body), location);
  return { ...state, body };
}

/**
 * Text data (no binary media type) is a string to API Gateway: bytes that are no UTF-8 reach the integration with
 * each malformed sequence replaced by U+FFFD (a gzip body of 67 bytes stored as 99, as AWS answered LocalStack's
 * recorded test_apigw_s3_binary_support_request). A byte order mark is kept, as Java's decoder keeps it.
 */
function asUtf8Text(body: RequestState['body']): RequestState['body'] {
  const bytes = new TextEncoder().encode(new TextDecoder('utf-8', { ignoreBOM: true }).decode(body));
  // Valid UTF-8 comes back byte for byte: keep the caller's buffer then.
  return Buffer.from(bytes).equals(body) ? body : bytes;
}

/** The method response body as the client gets it (R2.11 response table, text integration data): text, or decoded bytes. */
export function convertResponseBody(body: string, state: RequestState, binaryMediaTypes: string[], handling: ContentHandling, location: string): string | Uint8Array<ArrayBuffer> {
  const conversion = textResponseConversion(binaryMediaTypes.length > 0, acceptIsBinary(state.headers, binaryMediaTypes), handling);
  return conversion === 'decode' ? base64Bytes(body, location) : body;
}
