/**
 * S3's event notifications (S3 User Guide, "Event message structure" and "Using EventBridge"): which of a bucket's
 * configurations a change matches (event type with its `*`, key prefix and suffix), the event record Lambda, SQS and
 * SNS receive (version 2.1; the key URL-encoded, spaces as `+`), and the `aws.s3` event EventBridge gets.
 */
import type { BucketNotificationSpec } from '../../template/model.js';
import type { S3Change } from './operations.js';

/** `s3:ObjectCreated:*` matches every ObjectCreated change; `s3:ObjectCreated:Put` only PutObject's. */
export function notificationMatches(spec: BucketNotificationSpec, change: S3Change): boolean {
  if (spec.bucket !== change.bucket) return false;
  if (spec.prefix !== undefined && !change.key.startsWith(spec.prefix)) return false;
  if (spec.suffix !== undefined && !change.key.endsWith(spec.suffix)) return false;
  const [category, kind] = change.eventName.split(':') as [string, string];
  return spec.events.some((e) => e === `s3:${category}:*` || e === `s3:${change.eventName}` || (category === 'ObjectRemoved' && e === 's3:ObjectRemoved:Delete' && kind === 'Delete'));
}

/** An event type some local S3 operation raises (Put, Post, Copy, CompleteMultipartUpload, Delete); the others never come. */
export function raisedLocally(eventType: string): boolean {
  return /^s3:(ObjectCreated:(\*|Put|Post|Copy|CompleteMultipartUpload)|ObjectRemoved:(\*|Delete))$/.test(eventType);
}

/**
 * A key as S3 writes it in an event record: form-encoded as Java's URLEncoder does (a space is `+`; `-_.*` stay, `!~'()`
 * do not), its slashes kept, which is why AWS's samples read it back with decodeURIComponent(key.replace(/\+/g, ' ')).
 */
export const eventKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!~'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface ChangeContext {
  region: string;
  accountId: string;
  /** Epoch ms of the change. */
  time: number;
  /** Increasing per bucket, as S3's sequencer orders the events of one key. */
  sequencer: string;
}

/** The `{"Records": [...]}` event of one change for one configuration (Lambda's event, an SQS or SNS message body). */
export function s3EventRecord(spec: BucketNotificationSpec, change: S3Change, ctx: ChangeContext): { Records: Record<string, unknown>[] } {
  const object: Record<string, unknown> = { key: eventKey(change.key) };
  if (change.object) Object.assign(object, { size: change.object.body.length, eTag: change.object.etag.replace(/"/g, '') });
  object.sequencer = ctx.sequencer;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: ctx.region,
        eventTime: new Date(ctx.time).toISOString(),
        eventName: change.eventName,
        userIdentity: { principalId: `AWS:${ctx.accountId}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': change.requestId, 'x-amz-id-2': Buffer.from(`local/${change.requestId}`).toString('base64') },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: spec.id,
          bucket: { name: change.bucket, ownerIdentity: { principalId: ctx.accountId }, arn: `arn:aws:s3:::${change.bucket}` },
          object,
        },
      },
    ],
  };
}

const REASONS: Record<S3Change['eventName'], string> = { 'ObjectCreated:Put': 'PutObject', 'ObjectCreated:Post': 'PostObject', 'ObjectCreated:Copy': 'CopyObject', 'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload', 'ObjectRemoved:Delete': 'DeleteObject' };

/** The EventBridge event of a change, for a bucket with EventBridge notifications on (`source: aws.s3`, detail-type Object Created / Object Deleted). */
export function s3BusEvent(change: S3Change, ctx: ChangeContext): { 'detail-type': string; source: string; resources: string[]; detail: Record<string, unknown> } {
  const created = change.eventName.startsWith('ObjectCreated');
  const object: Record<string, unknown> = { key: change.key };
  if (change.object) Object.assign(object, { size: change.object.body.length, etag: change.object.etag.replace(/"/g, '') });
  object.sequencer = ctx.sequencer;
  return {
    'detail-type': created ? 'Object Created' : 'Object Deleted',
    source: 'aws.s3',
    resources: [`arn:aws:s3:::${change.bucket}`],
    detail: {
      version: '0',
      bucket: { name: change.bucket },
      object,
      'request-id': change.requestId,
      requester: ctx.accountId,
      'source-ip-address': '127.0.0.1',
      reason: REASONS[change.eventName],
      ...(created ? {} : { 'deletion-type': 'Permanently Deleted' }),
    },
  };
}

/** Whether two event types can name the same event (`s3:ObjectCreated:*` and `s3:ObjectCreated:Put` can). */
function eventsOverlap(a: string, b: string): boolean {
  const [ca, ka] = a.replace(/^s3:/, '').split(':');
  const [cb, kb] = b.replace(/^s3:/, '').split(':');
  return ca === cb && (ka === '*' || kb === '*' || ka === kb);
}

/** Two filters a key can pass at once: one prefix starts the other (or either has none), and likewise for suffixes. */
const affixesOverlap = (a: string | undefined, b: string | undefined, at: 'start' | 'end'): boolean =>
  a === undefined || b === undefined || (at === 'start' ? a.startsWith(b) || b.startsWith(a) : a.endsWith(b) || b.endsWith(a));

/**
 * Pairs of a bucket's notifications that S3 refuses to have together ("Configurations overlap. Configurations on the
 * same bucket cannot share a common event type"; S3 User Guide, "Configuring event notifications using object key name
 * filtering"): their event types and key filters can both match one object.
 */
export function overlappingNotifications(specs: BucketNotificationSpec[]): [BucketNotificationSpec, BucketNotificationSpec][] {
  const out: [BucketNotificationSpec, BucketNotificationSpec][] = [];
  specs.forEach((a, i) => {
    for (const b of specs.slice(i + 1)) {
      if (a.bucket !== b.bucket) continue;
      const events = a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)));
      if (events && affixesOverlap(a.prefix, b.prefix, 'start') && affixesOverlap(a.suffix, b.suffix, 'end')) out.push([a, b]);
    }
  });
  return out;
}
