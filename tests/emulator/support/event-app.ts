/**
 * A running emulator over a fixture whose functions and services talk to its queues, quiet but for the reports the
 * test waits on, with a reader of those queues (SQS long polls: they answer as soon as a message is there).
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../emulator/app.js';

export interface QueueReader {
  /** The bodies of up to 10 messages of the queue (by name), waiting up to 20 s for the first. */
  next(queue: string): Promise<string[]>;
}

export async function startEventApp(templatePath: string, reports: Pick<EmulatorOptions, 'onQueueBatch' | 'onEventDelivery' | 'onStreamBatch' | 'onExecution'>): Promise<{ emulator: RunningEmulator; queues: QueueReader }> {
  const emulator = await startEmulator({ templatePath, port: 0, log: () => undefined, onRequest: () => undefined, ...reports });
  const endpoint = emulator.services.AWS_ENDPOINT_URL_SQS!;
  const sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: emulator.credentials });
  return {
    emulator,
    queues: {
      async next(queue) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint}/123456789012/${queue}`, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
        return (Messages ?? []).map((m) => m.Body ?? '');
      },
    },
  };
}
