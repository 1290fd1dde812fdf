/**
 * A loopback HTTP server standing for a third party's endpoint (a webhook, a SaaS API, an OAuth token endpoint) for a
 * whole test file: it records every request, answers as `answer` says, and never answers a path put in `silent`.
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { whenReceived } from './echo-backend.js';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StandInAnswer {
  status: number;
  headers?: OutgoingHttpHeaders | [string, string][];
  body: string;
}

export interface StandIn {
  /** The requests of the current test (cleared before each). */
  requests: Recorded[];
  /** Paths (without the query) that get no answer at all. */
  silent: Set<string>;
  /** `http://127.0.0.1:<port>`, once beforeAll has run. */
  origin(): string;
}

export function standInServer(answer: (path: string, request: Recorded) => StandInAnswer): StandIn {
  let server: Server | undefined;
  let origin: string | undefined;
  const stand: StandIn = {
    requests: [],
    silent: new Set(),
    origin: () => {
      if (origin === undefined) throw new Error('standInServer: used before its beforeAll ran');
      return origin;
    },
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      whenReceived(req, (seen) => {
        const recorded = { ...seen, headers: req.headers };
        stand.requests.push(recorded);
        const path = seen.url.split('?')[0]!;
        if (stand.silent.has(path)) return;
        const { status, headers = {}, body } = answer(path, recorded);
        res.writeHead(status, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  // A silent path's request stays open: closeAllConnections lets close() end.
  afterAll(() => new Promise<void>((resolve) => {
    server?.closeAllConnections();
    server?.close(() => resolve());
  }));
  beforeEach(() => {
    stand.requests.length = 0;
  });
  return stand;
}
