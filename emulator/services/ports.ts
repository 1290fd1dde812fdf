/** Free loopback ports, for endpoints whose URL must be known before they listen. */
import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 now, from the kernel's ephemeral range: the embedded SQS's URL goes into queue URLs
 * (Ref, QueueUrl) while the template is read, before its thread listens on it.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
