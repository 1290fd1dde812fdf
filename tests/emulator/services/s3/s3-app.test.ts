/**
 * The embedded S3 in a running emulator (tests/emulator/fixtures/s3-app): a function writes and presigns through
 * AWS_ENDPOINT_URL_S3; the upload notifies a function (SAM S3 event with a key filter) and, through EventBridge, a
 * rule's queue; a delete notifies a queue; a REST API's S3 integration reads the bucket (R12). Waits are on delivery
 * reports and SQS long polls.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../../../../emulator/app.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/s3-app/template.yaml', import.meta.url));
const reports = new AwaitedReports<DeliveryReport>();
let emulator: RunningEmulator;
let queues: QueueReader;
let s3: S3Client;
let bucket: string;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onEventDelivery: reports.add }));
  s3 = new S3Client({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_S3, credentials: emulator.credentials });
  bucket = /\((local-uploads-[0-9a-f]{12})\)/.exec(emulator.bucketNotes.join('\n'))?.[1] ?? 'not found';
}, 60_000);
afterAll(() => emulator?.close());

const api = () => emulator.apis[0]!.url;
/** The next message's JSON, loosely typed: the assertions say what it must hold. */
interface S3Event {
  Records: { eventName: string; s3: { object: { key: string; size?: number } } }[];
  detail: { object: { key: string } };
}
const nextJson = async (queue: string): Promise<S3Event> => JSON.parse((await queues.next(queue))[0] ?? 'null') as S3Event;

describe('a function using the bucket through AWS_ENDPOINT_URL_S3', () => {
  it('stores an upload; the function of the S3 event and the EventBridge rule`s queue are notified', async () => {
    // Act
    const put = await fetch(`${api()}/files/report.txt`, { method: 'PUT', body: 'quarterly numbers' });
    const toFunction = await reports.where((r) => r.via === 's3' && r.rule === 'OnUpload.Upload');
    const record = await nextJson('local-Seen');
    const busEvent = await nextJson('local-BusSeen');

    // Assess
    expect(put.status).toBe(201);
    expect(await put.json()).toEqual({ key: 'incoming/report.txt', etag: '"3727e672ef6d8f1491e8b5152636ba91"' });
    expect(toFunction.outcome).toBe('ok');
    expect(record.Records).toEqual([
      expect.objectContaining({
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: expect.objectContaining({ bucket: expect.objectContaining({ name: bucket, arn: `arn:aws:s3:::${bucket}` }), object: expect.objectContaining({ key: 'incoming/report.txt', size: 17, eTag: '3727e672ef6d8f1491e8b5152636ba91' }) }),
      }),
    ]);
    expect(busEvent).toMatchObject({ source: 'aws.s3', 'detail-type': 'Object Created', resources: [`arn:aws:s3:::${bucket}`], detail: { bucket: { name: bucket }, object: { key: 'incoming/report.txt', size: 17 }, reason: 'PutObject' } });
  });

  it('an event record`s key is URL-encoded as S3 writes it (a space is +); the EventBridge event`s is not', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/two words+more.txt', Body: 'x' }));

    const record = await nextJson('local-Seen');
    const busEvent = await nextJson('local-BusSeen');

    expect(record.Records[0]?.s3.object.key).toBe('incoming/two+words%2Bmore.txt');
    expect(busEvent.detail.object.key).toBe('incoming/two words+more.txt');
  });

  it('a presigned URL from the function downloads the object', async () => {
    const { url } = (await (await fetch(`${api()}/files/report.txt`)).json()) as { url: string };

    const download = await fetch(url);

    expect(url.startsWith(emulator.services.AWS_ENDPOINT_URL_S3!)).toBe(true);
    expect(await download.text()).toBe('quarterly numbers');
  });

  it('a key outside the S3 event`s filter does not invoke its function; a delete notifies the queue', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/photo.png', Body: 'png' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'incoming/photo.png' }));

    const deleted = await nextJson('local-Deleted');

    expect(deleted.Records[0]).toMatchObject({ eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'incoming/photo.png' } } });
    expect(deleted.Records[0]?.s3.object.size).toBeUndefined();
    const busEvent = await nextJson('local-BusSeen');

    expect(busEvent.detail.object.key).toBe('incoming/photo.png');
    expect(reports.all.filter((r) => r.rule === 'OnUpload.Upload')).toHaveLength(2);
  });
});

describe('a topic notification', () => {
  it('publishes S3`s event with the Subject S3 gives it, to the topic`s subscribers', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'exports/q1.csv', Body: 'a,b' }));

    const envelope = JSON.parse((await queues.next('local-CsvSeen'))[0] ?? 'null') as { Subject: string; Message: string };

    expect(envelope.Subject).toBe('Amazon S3 Notification');
    expect((JSON.parse(envelope.Message) as S3Event).Records[0]).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'exports/q1.csv', size: 3 } } });
  });
});

describe('R12 a REST API`s S3 integration', () => {
  it('reads the object from the embedded S3; a missing key maps to the 404 response', async () => {
    const found = await fetch(`${api()}/objects/report.txt`);
    const missing = await fetch(`${api()}/objects/none.txt`);

    expect(found.status).toBe(200);
    expect(await found.text()).toBe('quarterly numbers');
    expect(missing.status).toBe(404);
  });
});

describe('the startup report', () => {
  it('lists the bucket and what it notifies', () => {
    expect(emulator.bucketNotes).toEqual([
      `Uploads (${bucket}): notifies local-Deleted (queue, s3:ObjectRemoved:*), local-Csv (topic, s3:ObjectCreated:* suffix .csv), OnUpload (function, s3:ObjectCreated:* prefix incoming/ suffix .txt), the default event bus (aws.s3 Object Created / Object Deleted)`,
      'Uploads: VersioningConfiguration: versioning is not emulated: no version ids, a delete removes the object (no delete marker, ObjectRemoved:Delete)',
    ]);
    expect(emulator.eventNotes).toEqual(['CreatedRule (bus default): delivers to local-BusSeen (queue)']);
  });
});
