/** Starts the embedded DynamoDB and Secrets Manager in a worker thread of their own (see thread-entry.ts). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SecretRecord } from '../identity/secret-values.js';
import type { LocalCredentials } from './sigv4.js';
import type { StreamRecord, StreamTable } from './dynamodb-streams/capture.js';

export interface ServicesInit {
  credentials: LocalCredentials;
  /** Persist DynamoDB data here (LevelDB); in memory when absent. */
  dataDir?: string;
  /** The stacks' region: the tables' ARNs are in it (and in the account below). */
  region?: string;
  /** The stacks' account (a CDK stack's own, else the local one). */
  accountId?: string;
  /**
   * The template's secrets. May be a promise: the thread then boots (and starts DynamoDB) while the template is still
   * being read, which is the longest step on the way to the ready line; it is stopped if the promise rejects.
   */
  secrets: SecretRecord[] | Promise<SecretRecord[]>;
}

/** What the thread receives: its secrets once known (the first message), the tables with streams, then the order to close. */
export type ServicesCommand = { type: 'secrets'; secrets: SecretRecord[] } | { type: 'streams'; tables: StreamTable[] } | { type: 'close' };

export type ServicesMessage =
  | { type: 'ready'; dynamoDbEndpoint: string; secretsManagerUrl: string }
  | { type: 'failed'; error: string }
  | { type: 'stream-records'; records: StreamRecord[] }
  | { type: 'closed'; error?: string };

export interface ServicesThread {
  dynamoDbEndpoint: string;
  secretsManagerUrl: string;
  /** From now on, writes to these tables make stream records, handed to `onRecords` on this thread. */
  captureStreams(tables: StreamTable[], onRecords: (records: StreamRecord[]) => void): void;
  close(): Promise<void>;
}

/**
 * A young generation of 4 MB (V8 lets it grow to 16 MB or more): dynalite's garbage is short-lived, one request
 * each, and the larger young generation was 25 MB of the process's memory under load for no measurable speed.
 */
const SERVICES_HEAP = { maxYoungGenerationSizeMb: 4 };

/**
 * The thread's entry: dist/services/thread-entry.js once built (this code is then bundled at the root of dist/), or
 * from sources (tsx, vitest) thread-entry.ts through tsx's loader, registered inside the thread.
 */
function entryWorker(init: Omit<ServicesInit, 'secrets'>): Worker {
  const compiled = new URL('./services/thread-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData: init, resourceLimits: SERVICES_HEAP });
  const source = new URL('./thread-entry.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: init, resourceLimits: SERVICES_HEAP });
}

/** How long close() waits for the thread to close its services before it stops the thread where it is. */
const CLOSE_GRACE_MS = 5_000;

/** Calls `expired` once the grace has run out, unless the canceller it returns is called first. */
export type CloseGrace = (expired: () => void) => () => void;

const closeGraceTimer: CloseGrace = (expired) => {
  const timer = setTimeout(expired, CLOSE_GRACE_MS);
  // The grace never keeps the process alive by itself.
  timer.unref();
  return () => clearTimeout(timer);
};

/** What tests replace: the thread itself, and the grace close() gives it. */
export interface ServicesThreadSeams {
  worker?: (init: Omit<ServicesInit, 'secrets'>) => Worker;
  closeGrace?: CloseGrace;
}

/**
 * Start both services on loopback (free ports) in their own thread; close() asks the thread to close them and, if it
 * has not within CLOSE_GRACE_MS (busy in a long synchronous task), stops it where it is, saying so: Ctrl-C never hangs.
 */
export function startServicesThread(init: ServicesInit, log: (line: string) => void = console.error, seams: ServicesThreadSeams = {}): Promise<ServicesThread> {
  const { secrets, ...boot } = init;
  const worker = (seams.worker ?? entryWorker)(boot);
  const grace = seams.closeGrace ?? closeGraceTimer;
  let closing = false;
  return new Promise((resolve, reject) => {
    Promise.resolve(secrets).then(
      (list) => worker.postMessage({ type: 'secrets', secrets: list } satisfies ServicesCommand),
      (error: unknown) => {
        closing = true;
        void worker.terminate();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
    worker.once('message', (message: ServicesMessage) => {
      if (message.type !== 'ready') {
        void worker.terminate();
        return reject(new Error(`the embedded AWS services failed to start: ${message.type === 'failed' ? message.error : message.type}`));
      }
      let onRecords: (records: StreamRecord[]) => void = () => undefined;
      const closed = new Promise<void>((done) => {
        worker.on('message', (m: ServicesMessage) => {
          if (m.type === 'stream-records') onRecords(m.records);
          else if (m.type === 'closed') done();
        });
        worker.once('exit', () => done());
      });
      const close = (): Promise<void> => {
        closing = true;
        worker.postMessage({ type: 'close' } satisfies ServicesCommand);
        const cancel = grace(() => {
          log(`emulator: the embedded AWS services (DynamoDB, Secrets Manager) did not close within ${CLOSE_GRACE_MS / 1000} s: their thread is stopped where it was (DynamoDB data kept with --data may miss its last writes)`);
          void worker.terminate();
        });
        return closed.then(() => {
          cancel();
          return worker.terminate().then(() => undefined);
        });
      };
      const captureStreams = (tables: StreamTable[], listener: (records: StreamRecord[]) => void): void => {
        onRecords = listener;
        worker.postMessage({ type: 'streams', tables } satisfies ServicesCommand);
      };
      resolve({ dynamoDbEndpoint: message.dynamoDbEndpoint, secretsManagerUrl: message.secretsManagerUrl, captureStreams, close });
    });
    worker.once('error', (error) => {
      reject(error);
      // Never silent: functions calling DynamoDB or Secrets Manager will fail from now on, and this says why.
      if (!closing) log(`emulator: the embedded AWS services (DynamoDB, Secrets Manager) stopped: ${error.stack ?? error.message}`);
    });
  });
}
