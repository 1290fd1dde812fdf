/**
 * Step Functions' AWS SDK integration of S3 (`arn:aws:states:::aws-sdk:s3:<action>`) on the embedded S3: the calls a
 * workflow makes most (PutObject, GetObject, HeadObject, DeleteObject, CopyObject, ListObjectsV2), sent as signed REST
 * requests like any client's (so the bucket's notifications fire), answered in the SDK's PascalCase shape.
 */
import { signRequest, type LocalCredentials } from '../sigv4.js';
import { ServiceCallError, type Json } from './json.js';

const text = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

/** The S3 actions served to workflows. */
export const S3_ACTIONS = ['PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'CopyObject', 'ListObjectsV2'];

/** The first text of an XML element, unescaped (S3's answers are flat enough for this). */
function element(xml: string, name: string): string | undefined {
  const found = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
  return found?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** One call on the embedded S3 at `endpoint`; throws ServiceCallError with S3's error code. */
export async function callS3(endpoint: string, credentials: LocalCredentials, region: string, action: string, input: Record<string, Json>): Promise<Json> {
  const bucket = text(input.Bucket);
  if (!bucket) throw new ServiceCallError('InvalidRequest', 'Bucket is required');
  const key = text(input.Key);
  if (action !== 'ListObjectsV2' && key === undefined) throw new ServiceCallError('InvalidRequest', 'Key is required');
  const url = new URL(`/${encodeURIComponent(bucket)}${key === undefined ? '' : `/${encodeKey(key)}`}`, endpoint);
  const headers: Record<string, string> = {};
  let method = 'GET';
  let body = '';
  switch (action) {
    case 'PutObject':
      method = 'PUT';
      body = input.Body === undefined ? '' : typeof input.Body === 'string' ? input.Body : JSON.stringify(input.Body);
      if (typeof input.ContentType === 'string') headers['content-type'] = input.ContentType;
      break;
    case 'CopyObject':
      method = 'PUT';
      headers['x-amz-copy-source'] = String(input.CopySource ?? '');
      break;
    case 'HeadObject':
      method = 'HEAD';
      break;
    case 'DeleteObject':
      method = 'DELETE';
      break;
    case 'ListObjectsV2':
      url.searchParams.set('list-type', '2');
      for (const [param, field] of [['prefix', 'Prefix'], ['delimiter', 'Delimiter'], ['max-keys', 'MaxKeys'], ['continuation-token', 'ContinuationToken'], ['start-after', 'StartAfter']] as const) {
        const value = text(input[field]);
        if (value !== undefined) url.searchParams.set(param, value);
      }
      break;
    case 'GetObject':
      break;
    default:
      throw new ServiceCallError('UnsupportedOperation', `S3 ${action} is not served to workflows locally (${S3_ACTIONS.join(', ')} are)`);
  }
  const signed = signRequest(credentials, { method, url, headers, body, region, service: 's3' });
  const res = await fetch(url, { method, headers: signed, ...(method === 'PUT' ? { body } : {}) });
  const answer = method === 'HEAD' ? '' : await res.text();
  if (!res.ok) throw new ServiceCallError(element(answer, 'Code') ?? (res.status === 404 ? 'NotFound' : String(res.status)), element(answer, 'Message') ?? res.statusText);
  const meta = (): Record<string, Json> => ({
    ...(res.headers.get('etag') ? { ETag: res.headers.get('etag')! } : {}),
    ...(res.headers.get('last-modified') ? { LastModified: new Date(res.headers.get('last-modified')!).toISOString() } : {}),
    ...(res.headers.get('content-type') ? { ContentType: res.headers.get('content-type')! } : {}),
    ...(res.headers.get('content-length') ? { ContentLength: Number(res.headers.get('content-length')) } : {}),
  });
  switch (action) {
    case 'GetObject':
      return { Body: answer, ...meta(), AcceptRanges: 'bytes', Metadata: {} };
    case 'HeadObject':
      return { ...meta(), AcceptRanges: 'bytes', Metadata: {} };
    case 'PutObject':
      return { ETag: res.headers.get('etag') ?? '' };
    case 'CopyObject':
      return { CopyObjectResult: { ETag: element(answer, 'ETag') ?? '', LastModified: element(answer, 'LastModified') ?? '' } };
    case 'DeleteObject':
      return {};
    default: {
      const contents = [...answer.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, c]) => ({ Key: element(c!, 'Key') ?? '', LastModified: element(c!, 'LastModified') ?? '', ETag: element(c!, 'ETag') ?? '', Size: Number(element(c!, 'Size') ?? 0), StorageClass: element(c!, 'StorageClass') ?? 'STANDARD' }));
      const next = element(answer, 'NextContinuationToken');
      return { Name: bucket, Prefix: element(answer, 'Prefix') ?? '', MaxKeys: Number(element(answer, 'MaxKeys') ?? 1000), KeyCount: contents.length, IsTruncated: element(answer, 'IsTruncated') === 'true', Contents: contents, ...(next ? { NextContinuationToken: next } : {}) };
    }
  }
}
