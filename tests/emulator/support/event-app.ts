/**
 * A running emulator over a fixture whose functions and services talk to its queues, quiet but for the reports the
 * test waits on, with a reader of those queues (SQS long polls: they answer as soon as a message is there).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../emulator/app.js';

export interface QueueReader {
  /** The bodies of up to 10 messages of the queue (by name), waiting up to 20 s for the first. */
  next(queue: string): Promise<string[]>;
}

export async function startEventApp(templatePath: string, reports: Pick<EmulatorOptions, 'onQueueBatch' | 'onEventDelivery' | 'onStreamBatch' | 'onExecution'>): Promise<{ emulator: RunningEmulator; queues: QueueReader }> {
  const emulator = await startEmulator({ templatePath, port: 0, log: () => undefined, onRequest: () => undefined, ...reports });
  return { emulator, queues: queueReader(emulator) };
}

/** A reader of a running emulator's queues on its embedded SQS. */
export function queueReader(emulator: RunningEmulator): QueueReader {
  const endpoint = emulator.services.AWS_ENDPOINT_URL_SQS!;
  const sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: emulator.credentials });
  return {
    async next(queue) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint}/123456789012/${queue}`, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
      return (Messages ?? []).map((m) => m.Body ?? '');
    },
  };
}

/**
 * A throwaway project for a whole test file (its files written under a temporary folder, `setup` for what is no
 * file, a symlink say), its emulator started before the tests and closed, the folder removed, after them, `reports`
 * given the emulator's reports. The returned function gives the running emulator once beforeAll has run.
 */
export function eventAppForSuite(prefix: string, files: Record<string, string>, setup: (root: string) => void = () => undefined, reports: Parameters<typeof startEventApp>[1] = {}): () => RunningEmulator {
  const root = mkdtempSync(join(tmpdir(), prefix));
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    setup(root);
    ({ emulator } = await startEventApp(join(root, 'template.yaml'), reports));
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(root, { recursive: true, force: true });
  });
  return () => {
    if (!emulator) throw new Error('eventAppForSuite: used before its beforeAll ran');
    return emulator;
  };
}
