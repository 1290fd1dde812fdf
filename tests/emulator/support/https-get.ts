/** A GET over HTTPS with node:https, trusting `ca` when given (fetch cannot be told to trust one certificate). */
import { request } from 'node:https';

/** Status and body of `url`; rejects with node's TLS error (its `code`) when the handshake fails. */
export function httpsGet(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // node sends the URL's host name as SNI (none for an IP address), as a browser would.
    const req = request(url, { method: 'GET', ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}
