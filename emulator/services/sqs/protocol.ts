/**
 * SQS's two wire protocols, read into one input shape (the JSON protocol's) and written back from one result:
 * - AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.SendMessage`), what current SDKs speak;
 * - the query protocol (`Action=SendMessage&MessageBody=...`, form-encoded, lists flattened as `MessageAttribute.1.Name`),
 *   what API Gateway's SQS integrations and older SDKs send. It answers XML, or JSON when the request accepts
 *   application/json, as API Gateway's integrations do: the JSON then has SQS's Java model's shape
 *   (`{"SendMessageResponse":{"SendMessageResult":{...,"SequenceNumber":null},"ResponseMetadata":{...}}}`, as the
 *   serverless-patterns READMEs show AWS answering).
 */
import { SqsError } from './errors.js';
import { formNode, MAX_NAME_PARTS, plainTree, setOwn } from '../form-tree.js';

export type Protocol = 'json' | 'query' | 'query-json';

export interface SqsCall {
  action: string;
  input: Record<string, unknown>;
  protocol: Protocol;
}

/** Query-protocol list and map parameters: flattened name → the JSON protocol's member. */
const FLATTENED: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  MessageAttribute: 'MessageAttributes',
  MessageAttributes: 'MessageAttributes',
  MessageSystemAttribute: 'MessageSystemAttributes',
  Attribute: 'Attributes',
  Tag: 'tags',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};

const MAPS = new Set(['MessageAttributes', 'MessageSystemAttributes', 'Attributes', 'tags']);

/** The protocol to answer an unreadable request in: JSON with an X-Amz-Target, else the query protocol (JSON if accepted). */
export function protocolOf(headers: Record<string, string | string[] | undefined>): Protocol {
  if (headers['x-amz-target']) return 'json';
  return String(headers.accept ?? '').toLowerCase().includes('application/json') ? 'query-json' : 'query';
}

/** Reads a request: the JSON protocol by its X-Amz-Target, else the query protocol from the form body and the URL's query. */
export function readCall(headers: Record<string, string | string[] | undefined>, url: string, body: string): SqsCall {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const target = header('x-amz-target');
  if (target) {
    const [prefix, action] = target.split('.');
    if (prefix !== 'AmazonSQS' || !action) throw new SqsError('UnknownOperationException', `Operation ${target} is not supported.`);
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new SqsError('SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SqsError('SerializationException', 'The request body is not a JSON object.');
    return { action, input: input as Record<string, unknown>, protocol: 'json' };
  }
  // `//` (API Gateway's `sqs:path//`) is a path, not a protocol-relative URL.
  const parsed = new URL(url.replace(/^\/+/, '/'), 'http://local');
  const params = new URLSearchParams(parsed.search);
  const contentType = header('content-type') ?? '';
  // A query-protocol call's form is its body (API Gateway's path integrations post it there); a GET carries it in the URL.
  if (body !== '' && (contentType === '' || contentType.includes('x-www-form-urlencoded'))) for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  const action = params.get('Action');
  // No X-Amz-Target and no form: SQS reads the request as a JSON-protocol call it cannot name (an API Gateway
  // integration that forgot its form Content-Type gets this 404, AWS re:Post "api-gateway-rest-api-sqs-errors").
  if (!action && body !== '' && !contentType.includes('x-www-form-urlencoded') && contentType !== '') throw new SqsError('UnknownOperationException', '', 404);
  if (!action) throw new SqsError('MissingAction', 'The request must contain the parameter Action.');
  const input = unflatten(params);
  // API Gateway's `path/{account}/{queue}` integrations name the queue in the path.
  if (input.QueueUrl === undefined && /^\/[^/]+\/[^/]+\/?$/.test(parsed.pathname)) input.QueueUrl = parsed.pathname;
  const accept = (header('accept') ?? '').toLowerCase();
  return { action, input, protocol: accept.includes('application/json') ? 'query-json' : 'query' };
}

/** `MessageAttribute.1.Name=a&MessageAttribute.1.Value.StringValue=b` → `{MessageAttributes: {a: {StringValue: 'b'}}}`. */
export function unflatten(params: URLSearchParams): Record<string, unknown> {
  const tree = formNode();
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    if (parts.length > MAX_NAME_PARTS) throw new SqsError('MalformedQueryString', `The parameter name ${key.slice(0, 64)}... has ${parts.length} dot-separated parts; no SQS parameter has more than ${MAX_NAME_PARTS}.`);
    let node = tree;
    parts.forEach((part, i) => {
      const existing = node[part];
      // `MessageAttribute.1=k` beside `MessageAttribute.1.Name=n`: one name both a value and a structure.
      if (i === parts.length - 1 ? typeof existing === 'object' : typeof existing === 'string') {
        throw new SqsError('MalformedQueryString', `The parameter ${parts.slice(0, i + 1).join('.')} is given both as a value and as a structure.`);
      }
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= formNode()) as Record<string, unknown>;
    });
  }
  return normalize(plainTree(tree));
}

function normalize(tree: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    // Own names only: `__proto__` or `constructor` would find Object's members.
    const member = Object.hasOwn(FLATTENED, key) ? FLATTENED[key] : undefined;
    if (!member || typeof value !== 'object' || value === null) {
      // `AttributeName=All` without an index, as SQS's own ReceiveMessage examples write it: a list of one.
      if (member && typeof value === 'string' && !MAPS.has(member)) out[member] = [...((out[member] as string[] | undefined) ?? []), value];
      else setOwn(out, key, value);
      continue;
    }
    // Numbered members in their numeric order (1, 2, ... 10), not as the form listed them.
    const items = Object.entries(value as Record<string, unknown>)
      .filter(([index]) => /^\d+$/.test(index))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
    if (MAPS.has(member)) {
      const map: Record<string, unknown> = { ...(out[member] as Record<string, unknown> | undefined) };
      for (const item of items) {
        const entry = item as { Name?: string; Key?: string; Value?: unknown };
        const name = entry.Name ?? entry.Key;
        if (typeof name === 'string') setOwn(map, name, typeof entry.Value === 'object' && entry.Value !== null ? normalize(entry.Value as Record<string, unknown>) : entry.Value);
      }
      out[member] = map;
    } else out[member] = items.map((item) => (typeof item === 'object' && item !== null ? normalize(item as Record<string, unknown>) : item));
  }
  return out;
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** The JSON members of a result written as the query protocol's XML elements (lists and maps flattened). */
const XML_ELEMENTS: Record<string, string> = {
  Messages: 'Message',
  QueueUrls: 'QueueUrl',
  Failed: 'BatchResultErrorEntry',
};

/** Actions whose XML answer has a result element, empty when there is nothing in it (`<ReceiveMessageResult/>`). */
const HAS_RESULT = new Set(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch', 'GetQueueUrl', 'GetQueueAttributes', 'ListQueues', 'CreateQueue']);

/** A successful call's answer in the call's protocol. */
export function writeResult(call: SqsCall, result: Record<string, unknown>, requestId: string): WireAnswer {
  if (call.protocol === 'json') {
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId }, body: JSON.stringify(result) };
  }
  if (call.protocol === 'query-json') {
    const shaped = javaModel(call.action, result);
    const response: Record<string, unknown> = shaped === undefined ? {} : { [`${call.action}Result`]: shaped };
    response.ResponseMetadata = { RequestId: requestId };
    return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify({ [`${call.action}Response`]: response }) };
  }
  const inner = Object.keys(result).length > 0 ? `<${call.action}Result>${xmlMembers(call.action, result)}</${call.action}Result>` : HAS_RESULT.has(call.action) ? `<${call.action}Result/>` : '';
  const body = `<?xml version="1.0"?><${call.action}Response xmlns="${NAMESPACE}">${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${call.action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** An error's answer in the call's protocol (an unreadable request is answered in the JSON protocol when it named a target). */
export function writeError(protocol: Protocol, error: SqsError, requestId: string): WireAnswer {
  if (protocol === 'json') {
    return {
      status: error.status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amzn-query-error': `${error.queryCode};${error.fault}` },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${error.jsonType}`, message: error.message }),
    };
  }
  if (protocol === 'query-json') {
    return {
      status: error.status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ Error: { Code: error.queryCode, Message: error.queryMessage, Type: error.fault }, RequestId: requestId }),
    };
  }
  if (error.code === 'UnknownOperationException') return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: '<UnknownOperationException/>' };
  const body = `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.queryCode)}</Code><Message>${escapeXml(error.queryMessage)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

function xmlMembers(action: string, value: Record<string, unknown>): string {
  let out = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    if (Array.isArray(member)) {
      const element = key === 'Successful' ? `${action}ResultEntry` : (XML_ELEMENTS[key] ?? key);
      for (const item of member) out += typeof item === 'object' && item !== null ? `<${element}>${xmlMembers(action, item as Record<string, unknown>)}</${element}>` : `<${element}>${escapeXml(String(item))}</${element}>`;
    } else if (typeof member === 'object') {
      // Attributes and MessageAttributes: name/value pairs, flattened.
      const element = key === 'MessageAttributes' ? 'MessageAttribute' : 'Attribute';
      for (const [name, item] of Object.entries(member as Record<string, unknown>)) {
        const inner = typeof item === 'object' && item !== null ? xmlMembers(action, item as Record<string, unknown>) : escapeXml(String(item));
        out += `<${element}><Name>${escapeXml(name)}</Name><Value>${inner}</Value></${element}>`;
      }
    } else out += `<${key}>${escapeXml(String(member))}</${key}>`;
  }
  return out;
}

/** The result as SQS's Java model serializes it for JSON-accepting query calls: every member present, null when absent. */
function javaModel(action: string, result: Record<string, unknown>): Record<string, unknown> | undefined {
  const withNulls = (value: Record<string, unknown>, members: string[]) => Object.fromEntries(members.map((m) => [m, value[m] ?? null]));
  if (action === 'SendMessage') return withNulls(result, ['MD5OfMessageAttributes', 'MD5OfMessageBody', 'MD5OfMessageSystemAttributes', 'MessageId', 'SequenceNumber']);
  if (action === 'ReceiveMessage') {
    const messages = result.Messages as Record<string, unknown>[] | undefined;
    return { messages: messages && messages.length > 0 ? messages.map((m) => withNulls(m, ['Attributes', 'Body', 'MD5OfBody', 'MD5OfMessageAttributes', 'MessageAttributes', 'MessageId', 'ReceiptHandle'])) : null };
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

function escapeXml(text: string): string {
  return text.replace(/[<>&'"\r]/g, (c) => ENTITIES[c] as string);
}
