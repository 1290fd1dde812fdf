/**
 * The embedded SQS in a running emulator (tests/emulator/fixtures/sqs-app): a REST API's and an HTTP API's SQS
 * integrations send to a queue (R12), a function polls it as Lambda's event source mapping does (partial batch
 * failures, FilterCriteria, redrive to the dead-letter queue) and sends on through the SDK with the queue URL its
 * template gave it. Waits are on the pollers' batch reports and SQS long polls, never on time.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../emulator/app.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';
import type { BatchReport } from '../../../../emulator/services/sqs/event-source.js';
import { formatStartupReport } from '../../../../emulator/report.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/sqs-app/template.yaml', import.meta.url));

const reports = new AwaitedReports<BatchReport>();
const batchWhere = (match: (r: BatchReport) => boolean) => reports.where(match);

let emulator: RunningEmulator;
let queues: QueueReader;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onQueueBatch: reports.add }));
}, 60_000);
afterAll(() => emulator?.close());

const api = (id: string) => emulator.apis.find((a) => a.logicalId === id)!.url.replace(/\/$/, '');
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
/** Messages of a queue, long-polled: answers as soon as one is there. */
const nextMessages = async (queue: string) => (await queues.next(queue)).map((body) => JSON.parse(body) as Record<string, unknown>);

describe('R12 a REST API`s SQS integration, then the function polling the queue', () => {
  it('the client gets SQS`s JSON answer; the function gets the message and sends on to the queue its Ref names', async () => {
    // Act
    const response = await post(`${api('Api')}/jobs`, { kind: 'job', id: 'rest-1' });
    const answer = (await response.json()) as { SendMessageResponse: { SendMessageResult: { MessageId: string } } };
    const messageId = answer.SendMessageResponse.SendMessageResult.MessageId;
    const batch = await batchWhere((r) => r.messageIds.includes(messageId));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(batch).toMatchObject({ source: 'Worker.Jobs', functionLogicalId: 'Worker', outcome: 'ok', received: 1, deleted: 1, retried: 0 });
    expect(await nextMessages('done-jobs')).toEqual([{ kind: 'job', id: 'rest-1', receiveCount: '1', source: 'arn:aws:sqs:us-east-1:123456789012:local-JobsQueue' }]);
  });
});

describe('an HTTP API`s SQS-SendMessage route, a message the function reports failed', () => {
  it('the client gets SQS`s XML; the message is retried, and after maxReceiveCount (2) it is in the dead-letter queue', async () => {
    // Act
    const response = await post(`${api('HttpApi')}/send`, { kind: 'job', id: 'http-1', fail: true });
    const xml = await response.text();
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(xml)?.[1] ?? '';
    const first = await batchWhere((r) => r.messageIds.includes(messageId));
    const second = await batchWhere((r) => r !== first && r.messageIds.includes(messageId));
    const dead = await nextMessages('local-JobsDlq');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect([first, second]).toEqual([expect.objectContaining({ outcome: 'partial', deleted: 0, retried: 1 }), expect.objectContaining({ outcome: 'partial', deleted: 0, retried: 1 })]);
    expect(dead).toEqual([{ kind: 'job', id: 'http-1', fail: true }]);
    expect(reports.all.filter((r) => r.messageIds.includes(messageId))).toHaveLength(2);
  });
});

describe('FilterCriteria', () => {
  it('a message no filter matches is deleted without invoking the function', async () => {
    const response = await post(`${api('Api')}/jobs`, { kind: 'noise', id: 'filtered-1' });
    const { SendMessageResponse } = (await response.json()) as { SendMessageResponse: { SendMessageResult: { MessageId: string } } };

    const batch = await batchWhere((r) => r.messageIds.includes(SendMessageResponse.SendMessageResult.MessageId));

    expect(batch).toMatchObject({ outcome: 'filtered', received: 1, filtered: 1, deleted: 1, retried: 0 });
  });
});

describe('the startup report', () => {
  it('lists every queue and who polls it; a queue SQS refused is said not created, and its event source not polled', () => {
    expect(emulator.queueNotes).toEqual(
      expect.arrayContaining([
        'JobsQueue (local-JobsQueue): polled by Worker',
        'JobsDlq (local-JobsDlq): no event source polls it',
        'OrdersQueue (local-OrdersQueue.fifo): no event source polls it',
        expect.stringMatching(/^UnbuiltWorker\.Orphans: not polled: its function UnbuiltWorker cannot run here \(Resources\.UnbuiltWorker\.Properties\.CodeUri .*not-built.* does not exist/),
        'ElsewhereWorker.Elsewhere: its queue arn:aws:sqs:us-east-1:210987654321:another-accounts-queue is not one of the template\'s: not polled',
        // The fixture's VisibilityTimeout 0 (instant retries) is one Lambda refuses against a 10 s function timeout.
        "Worker.Jobs: Lambda would refuse this event source (CloudFormation fails the stack): the queue's VisibilityTimeout (0 s) is less than the function's Timeout (10 s); polled here anyway",
      ]),
    );
    expect(emulator.queueNotes).toEqual(expect.arrayContaining([expect.stringMatching(/^BadNameQueue \(bad name!\): not created: /), 'ElsewhereWorker.BadName: not polled: its queue BadNameQueue (bad name!) was not created']));
    expect(emulator.queueNotes.filter((n) => n.startsWith('BadNameQueue (bad name!): polled') || n.startsWith('BadNameQueue (bad name!): no event source'))).toEqual([]);
    expect(emulator.services.AWS_ENDPOINT_URL_SQS).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const report = formatStartupReport(emulator, 0);
    expect(report).toMatch(/SQS queues \(embedded SQS; event sources polled as Lambda polls them\):\n( {2}.*\n)* {2}JobsQueue \(local-JobsQueue\): polled by Worker\n/);
    expect(report).toMatch(/EMULATED +AWS::SQS::Queue: JobsQueue, JobsDlq, DoneQueue, OrdersQueue/);
  });
});
