/** A loopback HTTP endpoint for the HTTP integration tests: what it received, read whole, as the test's own record. */
import type { IncomingMessage } from 'node:http';

/** One request as the endpoint saw it; headers as node's rawHeaders (name, value, name, value...). */
export interface Seen {
  method: string;
  url: string;
  headers: string[];
  body: string;
}

/** Reads the request's body to its end, then hands over what was received. */
export function whenReceived(req: IncomingMessage, then: (seen: Seen) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => then({ method: req.method ?? '', url: req.url ?? '', headers: req.rawHeaders, body: Buffer.concat(chunks).toString() }));
}

/** rawHeaders as [name, value] pairs. */
export const headerPairs = (raw: string[]): [string, string][] => Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i]!, raw[2 * i + 1]!]);
