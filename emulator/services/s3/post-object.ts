/**
 * S3's browser-based uploads (API Reference "PostObject"; User Guide "Browser-based uploads using POST" and "Creating
 * a POST policy"): a multipart/form-data form whose base64 policy, signed with SigV4 (`X-Amz-Signature`, HMAC-SHA256
 * with the signing key of `X-Amz-Credential`'s scope) or SigV2 (`signature`, HMAC-SHA1), says what the upload may be;
 * the `file` field becomes the object. What `createPresignedPost` (`@aws-sdk/s3-presigned-post`) and boto3's
 * `generate_presigned_post` hand a browser.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingKey, type LocalCredentials } from '../sigv4.js';
import { S3Error } from './errors.js';
import { STORED_HEADERS, type S3Store, type StoredObject } from './store.js';
import { xmlDocument, xmlElement } from './xml.js';

interface Field {
  value: Buffer;
  filename?: string;
  contentType?: string;
}

const malformedPost = (why: string): S3Error => new S3Error('MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data. (${why})`, 400);
const policyFailed = (why: string): S3Error => new S3Error('AccessDenied', `Invalid according to Policy: ${why}`, 403);

/** Whether a request is a form upload (a POST to a bucket with a multipart/form-data body). */
export const isFormUpload = (contentType: string | undefined): boolean => /^multipart\/form-data\s*;/i.test(contentType ?? '');

/** The form's fields by lower-cased name (S3 reads field names case-insensitively), in order, the file last. */
export function parseForm(contentType: string, body: Buffer): Map<string, Field> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw malformedPost('no boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields = new Map<string, Field>();
  let at = body.indexOf(delimiter);
  if (at < 0) throw malformedPost('no part');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') break;
    const headEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, headEnd);
    if (headEnd < 0 || next < 0) throw malformedPost('a part is not closed');
    const head = body.subarray(at, headEnd).toString('utf8');
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw malformedPost('a part has no name');
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const partType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
    // The part's value ends before the CRLF that precedes the next delimiter.
    fields.set(name.toLowerCase(), { value: body.subarray(headEnd + 4, next - 2), ...(filename !== undefined ? { filename } : {}), ...(partType ? { contentType: partType } : {}) });
    at = next;
  }
  return fields;
}

const text = (fields: Map<string, Field>, name: string): string | undefined => fields.get(name)?.value.toString('utf8');
const safeEqual = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The policy's signature, SigV4 or SigV2, checked against the local credentials. */
function verify(fields: Map<string, Field>, policy: string, credentials: LocalCredentials): void {
  const algorithm = text(fields, 'x-amz-algorithm');
  if (algorithm !== undefined) {
    if (algorithm !== 'AWS4-HMAC-SHA256') throw new S3Error('InvalidArgument', 'Only AWS4-HMAC-SHA256 is supported as X-Amz-Algorithm', 400, { ArgumentName: 'x-amz-algorithm', ArgumentValue: algorithm });
    const [accessKey = '', date = '', region = '', service = ''] = (text(fields, 'x-amz-credential') ?? '').split('/');
    if (accessKey !== credentials.accessKeyId) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: accessKey });
    const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, date, region, service)).update(policy).digest('hex');
    if (!safeEqual(text(fields, 'x-amz-signature') ?? '', expected)) throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
    return;
  }
  const accessKey = text(fields, 'awsaccesskeyid');
  if (accessKey === undefined) throw new S3Error('AccessDenied', 'Access Denied', 403);
  if (accessKey !== credentials.accessKeyId) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: accessKey });
  const expected = createHmac('sha1', credentials.secretAccessKey).update(policy).digest('base64');
  if (!safeEqual(text(fields, 'signature') ?? '', expected)) throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
}

/** Fields the policy need not name (User Guide, "Creating a POST policy": the signature's own, the file, x-ignore-*). */
const UNCHECKED = /^(policy|x-amz-signature|signature|awsaccesskeyid|file|x-ignore-.*)$/;

/** The policy's expiration and conditions against the form: AccessDenied naming the first that fails. */
function checkPolicy(policyText: string, fields: Map<string, Field>, bucket: string, key: string, size: number, now: number): void {
  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
  } catch {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.', 400);
  }
  if (typeof policy.expiration !== 'string' || Number.isNaN(Date.parse(policy.expiration))) throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.', 400);
  if (Date.parse(policy.expiration) < now) throw policyFailed('Policy expired.');
  if (!Array.isArray(policy.conditions)) throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Policy missing conditions.', 400);
  const valueOf = (name: string): string => (name === 'bucket' ? bucket : name === 'key' ? key : (text(fields, name) ?? ''));
  const covered = new Set<string>(['bucket']);
  for (const condition of policy.conditions as unknown[]) {
    // As S3 quotes a condition: ["starts-with", "$key", "user/"], an object one as ["eq", "$key", "a.txt"].
    const shown = Array.isArray(condition)
      ? `[${condition.map((c) => JSON.stringify(c)).join(', ')}]`
      : typeof condition === 'object' && condition !== null
        ? `["eq", "$${Object.keys(condition)[0] ?? ''}", ${JSON.stringify(Object.values(condition)[0])}]`
        : JSON.stringify(condition);
    if (Array.isArray(condition) && condition[0] === 'content-length-range') {
      if (size < Number(condition[1]) || size > Number(condition[2])) throw new S3Error(size < Number(condition[1]) ? 'EntityTooSmall' : 'EntityTooLarge', `Your proposed upload ${size < Number(condition[1]) ? 'is smaller than the minimum' : 'exceeds the maximum'} allowed size`, 400, { ProposedSize: String(size) });
      continue;
    }
    const [op, field, expected] = Array.isArray(condition)
      ? [String(condition[0]).toLowerCase(), String(condition[1]).replace(/^\$/, '').toLowerCase(), String(condition[2])]
      : typeof condition === 'object' && condition !== null && Object.keys(condition).length === 1
        ? ['eq', Object.keys(condition)[0]!.toLowerCase(), String(Object.values(condition)[0])]
        : ['invalid', '', ''];
    if (op === 'invalid' || (op !== 'eq' && op !== 'starts-with')) throw new S3Error('InvalidPolicyDocument', `Invalid Policy: Invalid Condition: ${shown}`, 400);
    covered.add(field);
    const actual = valueOf(field);
    // starts-with on a comma-separated field (Content-Type) holds when every value does.
    const holds = op === 'eq' ? actual === expected : actual.split(field === 'content-type' ? ',' : /(?!)/).every((v) => v.trim().startsWith(expected));
    if (!holds) throw policyFailed(`Policy Condition failed: ${shown}`);
  }
  const extra = [...fields.keys()].filter((name) => !UNCHECKED.test(name) && !covered.has(name));
  if (extra.length > 0) throw policyFailed(`Extra input fields: ${extra.join(', ')}`);
}

export interface PostObjectResult {
  object: StoredObject;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** PostObject: the form checked (signature, policy), the file stored under `key` (`${filename}` filled), S3's answer. */
export function postObject(store: S3Store, bucket: string, contentType: string, body: Buffer, credentials: LocalCredentials, host: string): PostObjectResult {
  store.bucket(bucket);
  const fields = parseForm(contentType, body);
  const file = fields.get('file');
  if (!file) throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', 400, { ArgumentName: 'file', ArgumentValue: '0' });
  const policy = text(fields, 'policy');
  if (policy === undefined) throw new S3Error('AccessDenied', 'Access Denied', 403);
  verify(fields, policy, credentials);
  const keyTemplate = text(fields, 'key');
  if (keyTemplate === undefined) throw new S3Error('InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 400, { ArgumentName: 'key', ArgumentValue: '' });
  const key = keyTemplate.replace(/\$\{filename\}/g, file.filename ?? '');
  checkPolicy(policy, fields, bucket, key, file.value.length, store.now());
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = text(fields, name);
    if (value !== undefined) headers[name] = value;
  }
  headers['content-type'] ??= file.contentType ?? 'binary/octet-stream';
  const metadata = Object.fromEntries([...fields.entries()].filter(([n]) => n.startsWith('x-amz-meta-')).map(([n, f]) => [n.slice('x-amz-meta-'.length), f.value.toString('utf8')]));
  const object = store.put(bucket, { key, body: Buffer.from(file.value), headers, metadata });
  const location = `http://${host}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const redirect = text(fields, 'success_action_redirect') ?? text(fields, 'redirect');
  if (redirect !== undefined) {
    const target = new URL(redirect);
    for (const [n, v] of [['bucket', bucket], ['key', key], ['etag', object.etag]] as const) target.searchParams.set(n, v);
    return { object, status: 303, headers: { location: target.href, etag: object.etag }, body: '' };
  }
  const status = Number(text(fields, 'success_action_status') ?? '204');
  if (status === 201) {
    const xml = xmlDocument(`<PostResponse>${xmlElement('Location', location)}${xmlElement('Bucket', bucket)}${xmlElement('Key', key)}${xmlElement('ETag', object.etag)}</PostResponse>`);
    return { object, status: 201, headers: { 'content-type': 'application/xml', location, etag: object.etag }, body: xml };
  }
  return { object, status: status === 200 ? 200 : 204, headers: { location, etag: object.etag }, body: '' };
}
