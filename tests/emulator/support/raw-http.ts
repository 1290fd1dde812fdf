/**
 * A raw HTTP/1.1 client over node:net for the hostile wire suites: it sends bytes fetch refuses to send (bad request
 * lines, control characters, conflicting framing, pipelined requests in one write) and reads back every answer the
 * server writes until it closes the connection.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** The status line as sent, e.g. `HTTP/1.1 200 OK`. */
  statusLine: string;
  headers: [string, string][];
  body: Buffer;
}

export interface Exchanged {
  answers: RawAnswer[];
  /** Bytes after the last complete answer (a cut or unparseable answer). */
  rest: Buffer;
  /** How the exchange ended: the server closed the connection, or the deadline passed first (a hang). */
  ended: 'closed' | 'deadline';
}

export const header = (answer: RawAnswer | undefined, name: string): string | undefined =>
  answer?.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** The body of a chunked answer and where it ends, or undefined while it is incomplete. */
function dechunk(bytes: Buffer, from: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(bytes.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) {
      const end = bytes.indexOf('\r\n\r\n', eol);
      return end < 0 ? undefined : { body: Buffer.concat(parts), end: end + 4 };
    }
    if (eol + 2 + size + 2 > bytes.length) return undefined;
    parts.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Splits what came back into answers. `methods` are the methods of the requests sent, in order: the answer to a HEAD
 * has no body whatever its Content-Length says; 1xx answers are interim and take no request's place.
 */
export function parseAnswers(bytes: Buffer, methods: string[] = []): { answers: RawAnswer[]; rest: Buffer } {
  const answers: RawAnswer[] = [];
  let at = 0;
  let final = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = bytes.subarray(at, end).toString('latin1').split('\r\n');
    const statusLine = lines[0] ?? '';
    const match = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
    if (!match) break;
    const status = Number(match[1]);
    const headers = lines.slice(1).map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]);
    const interim = status < 200;
    const bodiless = interim || status === 204 || status === 304 || methods[final]?.toUpperCase() === 'HEAD';
    let body: Buffer = Buffer.alloc(0);
    let next = end + 4;
    if (!bodiless && /chunked/i.test(header({ status, statusLine, headers, body }, 'transfer-encoding') ?? '')) {
      const chunked = dechunk(bytes, next);
      if (!chunked) break;
      ({ body, end: next } = chunked);
    } else if (!bodiless) {
      const length = Number(header({ status, statusLine, headers, body }, 'content-length') ?? 0);
      if (next + length > bytes.length) break;
      body = bytes.subarray(next, next + length);
      next += length;
    }
    answers.push({ status, statusLine, headers, body });
    if (!interim) final += 1;
    at = next;
  }
  return { answers, rest: bytes.subarray(at) };
}

export interface ExchangeOptions {
  /** Methods of the requests in `bytes`, in order (see parseAnswers). */
  methods?: string[];
  /** Half-close the client's side once everything is written. */
  halfClose?: boolean;
  /** How long to wait for the server to close the connection before calling it a hang. */
  deadlineMs?: number;
}

/** Writes the parts one after another on one connection and reads every answer until the server closes it. */
export function exchange(port: number, parts: (string | Buffer)[], options: ExchangeOptions = {}): Promise<Exchanged> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ended: Exchanged['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve({ ...parseAnswers(Buffer.concat(chunks), options.methods), ended });
    };
    const deadline = setTimeout(() => finish('deadline'), options.deadlineMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answers (the server closing while bytes were still coming) ends the exchange as a close does.
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    for (const part of parts) socket.write(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
    if (options.halfClose) socket.end();
  });
}

/** A small seeded generator (mulberry32): the same seed gives the same cases on every run. */
export function seeded(seed: number): { next(): number; pick<T>(items: readonly T[]): T; int(below: number): number } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)] as T };
}

/**
 * A client that sends `head` (with `Expect: 100-continue`) and its body only once `100 Continue` has come, as curl
 * does; resolves with everything the server wrote, once it closes the connection.
 */
export function continueExchange(port: number, head: string, body: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('close', () => resolve(text));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('HTTP/1.1 100 Continue\r\n\r\n') && !socket.writableEnded) socket.end(body);
    });
    socket.write(head);
  });
}
