/**
 * A FAKE AWS service (AWS itself cannot run here): a loopback server that records every request with its SigV4
 * verdict against the test credentials and answers what the test set. Requests to a path starting `/hang` get no answer.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../../emulator/services/sigv4.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

export interface ReceivedCall {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body as the bytes received (a binary upload). */
  bytes: Buffer;
  /** Why the signature does not verify, or null. */
  signatureProblem: unknown;
}

export interface FakeReply {
  status: number;
  contentType: string;
  body: string | Uint8Array;
  /** Headers besides Content-Type (an AWS service's x-amzn-RequestId). */
  headers?: Record<string, string>;
}

export interface FakeAwsService {
  url: string;
  received: ReceivedCall[];
  /** What the next request gets; a test may replace it or change its fields. */
  reply: FakeReply;
  /** Forgets the calls and answers the first reply again. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeAwsService(initial: FakeReply): Promise<FakeAwsService> {
  const fake: FakeAwsService = {
    url: '',
    received: [],
    reply: { ...initial },
    reset: () => {
      fake.received.length = 0;
      fake.reply = { ...initial };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const signatureProblem = verifySignature({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body }, TEST_CREDENTIALS) ?? null;
      fake.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body.toString('utf8'), bytes: body, signatureProblem });
      if (req.url?.startsWith('/hang')) return;
      res.writeHead(fake.reply.status, { ...fake.reply.headers, 'content-type': fake.reply.contentType });
      res.end(fake.reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
