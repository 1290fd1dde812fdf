/** Request handling shared by the embedded AWS service endpoints: bounded bodies, no request can crash the emulator. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** AWS JSON requests to these endpoints are small; anything larger is refused rather than buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** The request body as text, read up to MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Wraps an endpoint's handler: reads the body with a size cap and turns anything the handler
 * throws into an AWS-style error answer, so a malformed request never takes the emulator down.
 */
export function guardedHandler(
  service: string,
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    readBody(req)
      .then((body) => handle(req, res, body))
      .catch((error: unknown) => {
        const tooLarge = error instanceof BodyTooLarge;
        if (!tooLarge) console.error(`emulator: ${service} endpoint could not handle ${req.method} ${req.url}:`, error);
        if (res.headersSent || res.destroyed) return;
        res.writeHead(tooLarge ? 413 : 400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: tooLarge ? 'RequestEntityTooLargeException' : 'SerializationException', message: tooLarge ? 'request body too large' : 'malformed request' }));
      });
  };
}
