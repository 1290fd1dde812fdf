/** Which of a bucket's notifications a change raises, and the keys S3 writes in its event records. */
import { describe, expect, it } from 'vitest';
import { eventKey, notificationMatches, overlappingNotifications, raisedLocally } from '../../../../emulator/services/s3/notifications.js';
import type { S3Change } from '../../../../emulator/services/s3/operations.js';
import type { BucketNotificationSpec } from '../../../../emulator/template/model.js';

const spec = (events: string[], filter: Pick<BucketNotificationSpec, 'prefix' | 'suffix'> = {}): BucketNotificationSpec => ({ id: 'n', bucket: 'b', events, target: 'arn', ...filter });
const change = (eventName: S3Change['eventName'], key = 'in/a.txt', bucket = 'b'): S3Change => ({ eventName, key, bucket, requestId: 'r' });

describe('notificationMatches', () => {
  it.each([
    { given: spec(['s3:ObjectCreated:*']), change: change('ObjectCreated:Put'), want: true },
    { given: spec(['s3:ObjectCreated:*']), change: change('ObjectCreated:Copy'), want: true },
    { given: spec(['s3:ObjectCreated:Put']), change: change('ObjectCreated:Copy'), want: false },
    { given: spec(['s3:ObjectCreated:*']), change: change('ObjectRemoved:Delete'), want: false },
    { given: spec(['s3:ObjectRemoved:*']), change: change('ObjectRemoved:Delete'), want: true },
    { given: spec(['s3:ObjectRemoved:DeleteMarkerCreated']), change: change('ObjectRemoved:Delete'), want: false },
    { given: spec(['s3:ObjectCreated:*'], { prefix: 'in/' }), change: change('ObjectCreated:Put', 'out/a.txt'), want: false },
    { given: spec(['s3:ObjectCreated:*'], { prefix: 'in/', suffix: '.txt' }), change: change('ObjectCreated:Put'), want: true },
    { given: spec(['s3:ObjectCreated:*'], { suffix: '.TXT' }), change: change('ObjectCreated:Put'), want: false },
    { given: spec(['s3:ObjectCreated:*']), change: change('ObjectCreated:Put', 'in/a.txt', 'other'), want: false },
  ])('$given.events $given.prefix $given.suffix on $change.eventName $change.bucket/$change.key: $want', ({ given, change: c, want }) => {
    expect(notificationMatches(given, c)).toBe(want);
  });
});

describe('eventKey', () => {
  it.each([
    ['photos/2026/a b.jpg', 'photos/2026/a+b.jpg'],
    ['a+b.txt', 'a%2Bb.txt'],
    ['(1)!~*.txt', '%281%29%21%7E*.txt'],
    ['caf\u00e9.txt', 'caf%C3%A9.txt'],
    ['x=y&z.txt', 'x%3Dy%26z.txt'],
  ])('%j is written %j (decodeURIComponent after + to space gives it back)', (key, want) => {
    expect(eventKey(key)).toBe(want);
    expect(decodeURIComponent(want.replace(/\+/g, ' '))).toBe(key);
  });
});

describe('overlappingNotifications', () => {
  it.each([
    { given: [spec(['s3:ObjectCreated:*'], { prefix: 'ov/' }), spec(['s3:ObjectCreated:Put'], { prefix: 'ov/' })], want: 1 },
    { given: [spec(['s3:ObjectCreated:*'], { prefix: 'a/' }), spec(['s3:ObjectCreated:*'], { prefix: 'b/' })], want: 0 },
    { given: [spec(['s3:ObjectCreated:*'], { prefix: 'a/' }), spec(['s3:ObjectCreated:*'], { prefix: 'a/b/' })], want: 1 },
    { given: [spec(['s3:ObjectCreated:*'], { suffix: '.jpg' }), spec(['s3:ObjectCreated:*'], { suffix: '.png' })], want: 0 },
    { given: [spec(['s3:ObjectCreated:Put']), spec(['s3:ObjectCreated:Copy'])], want: 0 },
    { given: [spec(['s3:ObjectCreated:*']), spec(['s3:ObjectRemoved:*'])], want: 0 },
    { given: [spec(['s3:ObjectCreated:*']), { ...spec(['s3:ObjectCreated:*']), bucket: 'other' }], want: 0 },
  ])('$given.0.events $given.0.prefix $given.0.suffix / $given.1.events $given.1.prefix $given.1.suffix: $want', ({ given, want }) => {
    expect(overlappingNotifications(given)).toHaveLength(want);
  });
});

describe('raisedLocally: the event types the local S3 raises (the startup report names the others as never sent)', () => {
  it.each([
    { given: 's3:ObjectCreated:*', want: true },
    { given: 's3:ObjectCreated:Put', want: true },
    { given: 's3:ObjectCreated:Copy', want: true },
    { given: 's3:ObjectCreated:CompleteMultipartUpload', want: true },
    { given: 's3:ObjectRemoved:*', want: true },
    { given: 's3:ObjectRemoved:Delete', want: true },
    { given: 's3:ObjectCreated:Post', want: true },
    { given: 's3:ObjectRemoved:DeleteMarkerCreated', want: false },
    { given: 's3:ObjectRestore:*', want: false },
    { given: 's3:ObjectTagging:*', want: false },
  ])('$given: $want', ({ given, want }) => {
    expect(raisedLocally(given)).toBe(want);
  });
});
