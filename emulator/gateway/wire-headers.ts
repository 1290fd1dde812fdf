/**
 * Response header names as the integration (or the gateway) spelled them: API Gateway keeps the case given,
 * while Fetch `Headers` lower-case every name. CasedHeaders record it; a Response made from a Reply keeps it beside it.
 */
import type { Reply } from './reply.js';
import type { HeaderList } from './request-state.js';

/** A header value as octets: text beyond Latin-1 travels as its UTF-8 bytes (HTTP field values are bytes; Fetch holds ByteStrings). */
export function headerOctets(value: string): string {
  return /[\u0100-\uffff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

/**
 * A function's header text (a JSON string of its result) as the octets sent: every character beyond ASCII as its UTF-8
 * bytes, `é` as C3 A9 as `日` is E6 97 A5 ([AMBIGUOUS], see emulator/README.md). headerOctets alone sent `é` as the one
 * Latin-1 byte E9 unless a character beyond Latin-1 shared the value, so one character went out two ways.
 */
export function textOctets(text: string): string {
  return /[\u0080-\uffff]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Fetch Headers that also remember the case each name was last set with, and accept any Unicode value as UTF-8. */
export interface CasedHeaders extends Headers {
  readonly names: Map<string, string>;
}

let casedClass: (new () => CasedHeaders) | undefined;

/**
 * The class is made on first use: extending the global `Headers` at module load would load Node's fetch
 * implementation (undici, ~40 ms here) on the way to the ready line rather than at the first request.
 */
function casedHeadersClass(): new () => CasedHeaders {
  casedClass ??= class extends Headers implements CasedHeaders {
    readonly names = new Map<string, string>();

    override set(name: string, value: string): void {
      super.set(name, headerOctets(value));
      this.names.set(name.toLowerCase(), name);
    }

    override append(name: string, value: string): void {
      super.append(name, headerOctets(value));
      if (!this.names.has(name.toLowerCase())) this.names.set(name.toLowerCase(), name);
    }

    override delete(name: string): void {
      super.delete(name);
      this.names.delete(name.toLowerCase());
    }
  };
  return casedClass;
}

// Called with `new` as a class would be: a constructor that returns an object yields that object.
export const CasedHeaders = function CasedHeaders(): CasedHeaders {
  return new (casedHeadersClass())();
} as unknown as new () => CasedHeaders;

/** The headers as (name as spelled, value) pairs, for keeping them apart from their Reply (the stage cache). */
export function casedPairs(headers: Headers): [string, string][] {
  const names = namesOf(headers);
  const pairs: [string, string][] = [];
  headers.forEach((value, name) => pairs.push([names?.get(name) ?? name, value]));
  return pairs;
}

/** CasedHeaders holding these pairs, each name spelled as given. */
export function casedHeaders(pairs: Iterable<[string, string]>): CasedHeaders {
  const headers = new CasedHeaders();
  for (const [name, value] of pairs) headers.append(name, value);
  return headers;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The case of the header names of each Response made from a Reply (`fetchResponse`), for `wireHeaders`. */
const casing = new WeakMap<Response, ReadonlyMap<string, string>>();

function namesOf(headers: Headers): ReadonlyMap<string, string> | undefined {
  return (headers as Partial<CasedHeaders>).names;
}

/** A streamed body as the Fetch Response's stream, pulled piece by piece. */
function readable(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The standard Fetch Response for a Reply (what `Gateway.fetch` returns); its header names keep their case for `wireHeaders`. */
export function fetchResponse(reply: Reply): Response {
  // Fetch refuses any body, even an empty one, with these statuses; on the wire they carry none either. Bytes,
  // not text: from text Fetch would add a Content-Type (text/plain;charset=UTF-8) that the wire answer lacks.
  const stream = reply.stream && !NULL_BODY_STATUSES.has(reply.status) ? readable(reply.stream) : undefined;
  const body = stream ?? (NULL_BODY_STATUSES.has(reply.status) || reply.body === null ? null : reply.bytes());
  const response = new Response(body, { status: reply.status, headers: reply.headers });
  const names = namesOf(reply.headers);
  if (names) casing.set(response, new Map(names));
  return response;
}

/** The headers of a Reply (or of a Response made from one) as [name, value] pairs for the wire: the recorded case, Set-Cookie values one per line. */
export function wireHeaders(message: Reply | Response): HeaderList {
  const known = message instanceof Response ? casing.get(message) : namesOf(message.headers);
  const list: HeaderList = [];
  message.headers.forEach((value, name) => {
    if (name !== 'set-cookie') list.push([known?.get(name) ?? name, value]);
  });
  const cookieName = known?.get('set-cookie') ?? 'set-cookie';
  for (const cookie of message.headers.getSetCookie()) list.push([cookieName, cookie]);
  return list;
}
