/**
 * The embedded SNS endpoint (the query protocol SNS's SDKs speak: `Action=Publish&TopicArn=...`, maps flattened as
 * `MessageAttributes.entry.1.Name`, lists as `PublishBatchRequestEntries.member.1.Id`), answered in XML, or in JSON
 * when the request accepts it (API Gateway's `sns:action/Publish` integrations). Functions reach it through
 * AWS_ENDPOINT_URL_SNS; only requests signed with the local credentials are served (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listenDual } from '../h2c.js';
import { guardedHandler, type ReadFailure } from '../request-body.js';
import { queryRefusal, type QueryRefusal, type Refusal } from '../guard.js';
import { formNode, MAX_NAME_PARTS, plainTree, setOwn } from '../form-tree.js';
import type { LocalCredentials } from '../sigv4.js';
import { publishBytes, SnsError, type SnsTopics } from './topics.js';

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

export interface SnsServer {
  url: string;
  close(): Promise<void>;
}

export async function startSns(topics: SnsTopics, options: { credentials: LocalCredentials; port?: number }): Promise<SnsServer> {
  const server = await listenDual(guardedHandler('SNS', (req, res, body) => answer(req, res, body, topics), { guard: { credentials: options.credentials }, contentType: 'text/xml', answerRefusal: refusalAnswer }), options.port);
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

/** `MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.StringValue=b` → `{MessageAttributes: {a: {StringValue: 'b'}}}`. */
export function snsInput(params: URLSearchParams): Record<string, unknown> {
  const tree = formNode();
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    let node = tree;
    const parts = key.split('.');
    if (parts.length > MAX_NAME_PARTS) throw new SnsError('InvalidParameter', `Invalid parameter: ${key.slice(0, 64)}... has ${parts.length} dot-separated parts; no SNS parameter has more than ${MAX_NAME_PARTS}`);
    parts.forEach((part, i) => {
      if (typeof node[part] === 'string' && i < parts.length - 1) throw new SnsError('InvalidParameter', `Invalid parameter: ${parts.slice(0, i + 1).join('.')} is given both as a value and as a structure`);
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= formNode()) as Record<string, unknown>;
    });
  }
  return normalized(plainTree(tree)) as Record<string, unknown>;
}

function normalized(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const numbered = (inner: Record<string, unknown>) => Object.entries(inner).filter(([k]) => /^\d+$/.test(k)).sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => normalized(v));
  if (typeof record.entry === 'object' && record.entry !== null) {
    const map: Record<string, unknown> = {};
    for (const item of numbered(record.entry as Record<string, unknown>) as Record<string, unknown>[]) {
      const name = item.Name ?? item.key;
      if (typeof name === 'string') setOwn(map, name, item.Value ?? item.value);
    }
    return map;
  }
  if (typeof record.member === 'object' && record.member !== null) return numbered(record.member as Record<string, unknown>);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, normalized(v)]));
}

type Result = Record<string, unknown>;

function run(topics: SnsTopics, action: string, input: Record<string, unknown>): Result | undefined {
  switch (action) {
    case 'Publish':
      return topics.publish(input);
    case 'PublishBatch':
      return publishBatch(topics, input);
    case 'ListTopics':
      return { Topics: topics.list().map((t) => ({ TopicArn: t.arn })) };
    case 'GetTopicAttributes': {
      const topic = topics.list().find((t) => t.arn === input.TopicArn);
      if (!topic) throw new SnsError('NotFound', 'Topic does not exist', 404);
      return { Attributes: { TopicArn: topic.arn, DisplayName: '', ...(topic.fifo ? { FifoTopic: 'true' } : {}) } };
    }
    default:
      throw new SnsError('InvalidAction', `The action ${action} is not valid for this web service (the local emulator's SNS serves Publish, PublishBatch, ListTopics, GetTopicAttributes).`);
  }
}

const MAX_BATCH_BYTES = 256 * 1024;

/**
 * PublishBatch as SNS checks it: the batch's ids and size, then every entry as a Publish, any refusal refusing the
 * whole batch (SNS answers an entry's invalid parameter as the request's error, not as a Failed entry).
 */
function publishBatch(topics: SnsTopics, input: Record<string, unknown>): Result {
  const entries = Array.isArray(input.PublishBatchRequestEntries) ? (input.PublishBatchRequestEntries as Record<string, unknown>[]) : [];
  topics.topic(input.TopicArn);
  if (entries.length === 0) throw new SnsError('EmptyBatchRequest', "The batch request doesn't contain any entries");
  if (entries.length > 10) throw new SnsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  for (const { Id: id } of entries) {
    const text = typeof id === 'string' ? id : '';
    if (text.length > 80) throw new SnsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request is too long: ${text}`);
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new SnsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request contains an impermissible character: ${text}`);
  }
  if (new Set(entries.map((e) => e.Id)).size !== entries.length) throw new SnsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  const checked = entries.map((entry, i) => topics.check({ ...entry, TopicArn: input.TopicArn }, `publishBatchRequestEntries.${i + 1}.member.messageAttributes`));
  if (checked.reduce((sum, c) => sum + publishBytes(c.message, c.attributes), 0) > MAX_BATCH_BYTES) throw new SnsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
  return { Successful: checked.map((c, i) => ({ Id: entries[i]?.Id, ...topics.publishChecked(c) })), Failed: [] };
}

function answer(req: IncomingMessage, res: ServerResponse, body: string, topics: SnsTopics): void {
  const requestId = randomUUID();
  const json = acceptsJson(req);
  let action = '';
  try {
    // `//` (API Gateway's `sns:path//`, which posts the form to SNS's root) is a path, not a protocol-relative URL.
    const params = new URLSearchParams(new URL((req.url ?? '/').replace(/^\/+/, '/'), 'http://local').search);
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    action = params.get('Action') ?? '';
    if (!action) throw new SnsError('MissingAction', 'Missing Action');
    const result = run(topics, action, snsInput(params));
    if (json) return send(res, 200, 'application/json', JSON.stringify({ [`${action}Response`]: { [`${action}Result`]: action === 'Publish' ? { MessageId: result?.MessageId, SequenceNumber: result?.SequenceNumber ?? null } : result, ResponseMetadata: { RequestId: requestId } } }), requestId);
    send(res, 200, 'text/xml', `<?xml version="1.0"?><${action}Response xmlns="${NAMESPACE}"><${action}Result>${xml(action, result ?? {})}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`, requestId);
  } catch (error) {
    if (!(error instanceof SnsError)) throw error;
    sendError(res, json, { status: error.status, code: error.code, message: error.message }, requestId);
  }
}

/** An error as SNS writes it: `<ErrorResponse>` XML, or its JSON form when the caller accepts JSON. */
function sendError(res: ServerResponse, json: boolean, error: QueryRefusal, requestId: string): void {
  if (json) return send(res, error.status, 'application/json', JSON.stringify({ Error: { Code: error.code, Message: error.message, Type: 'Sender' }, RequestId: requestId }), requestId);
  send(res, error.status, 'text/xml', `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${escape(error.code)}</Code><Message>${escape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`, requestId);
}

/** A request the guard refuses (unsigned, badly signed, from a web page) in SNS's own error form, not AWS JSON. */
function refusalAnswer(req: IncomingMessage, res: ServerResponse, refused: Refusal | ReadFailure): void {
  sendError(res, acceptsJson(req), queryRefusal(refused), randomUUID());
}

function acceptsJson(req: IncomingMessage): boolean {
  return String(req.headers.accept ?? '').toLowerCase().includes('application/json');
}

/** A result's members as SNS's XML writes them: lists as `<member>`, maps as `<entry><key/><value/></entry>`. */
function xml(action: string, value: Result): string {
  let out = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    if (Array.isArray(member)) out += `<${key}>${member.map((m) => `<member>${typeof m === 'object' && m !== null ? xml(action, m as Result) : escape(String(m))}</member>`).join('')}</${key}>`;
    else if (typeof member === 'object') out += `<${key}>${Object.entries(member as Result).map(([k, v]) => `<entry><key>${escape(k)}</key><value>${escape(String(v))}</value></entry>`).join('')}</${key}>`;
    else out += `<${key}>${escape(String(member))}</${key}>`;
  }
  return out;
}

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
const escape = (text: string): string => text.replace(/[<>&'"]/g, (c) => ENTITIES[c] as string);

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': requestId });
  res.end(body);
}
