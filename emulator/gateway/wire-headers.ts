/**
 * Response header names as the integration (or the gateway) spelled them: API Gateway keeps the case given,
 * while Fetch `Headers` lower-case every name. The case travels beside the Response, keyed by it.
 */
import type { HeaderList } from './request-state.js';

/** A header value as octets: text beyond Latin-1 travels as its UTF-8 bytes (HTTP field values are bytes; Fetch holds ByteStrings). */
export function headerOctets(value: string): string {
  return /[\u0100-\uffff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
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

const casing = new WeakMap<Response, Map<string, string>>();
/** The body a Response was built from, when it is text or bytes: the server sends it without reading the stream. */
const bodies = new WeakMap<Response, string | Uint8Array>();

/** A Response whose header names go on the wire in the case the CasedHeaders recorded. */
export function casedResponse(body: BodyInit | null, status: number, headers: CasedHeaders): Response {
  const response = new Response(body, { status, headers });
  casing.set(response, new Map(headers.names));
  if (typeof body === 'string' || body instanceof Uint8Array) bodies.set(response, body);
  return response;
}

/** The response body as bytes: the text or bytes it was built from when known and unread, else read from its stream. */
export async function responseBytes(response: Response): Promise<Buffer> {
  const known = response.bodyUsed ? undefined : bodies.get(response);
  if (typeof known === 'string') return Buffer.from(known);
  if (known) return Buffer.from(known.buffer, known.byteOffset, known.byteLength);
  return Buffer.from(await response.arrayBuffer());
}

/** The response's headers as [name, value] pairs for the wire: the recorded case, Set-Cookie values one per line. */
export function wireHeaders(response: Response): HeaderList {
  const known = casing.get(response);
  const list: HeaderList = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') list.push([known?.get(name) ?? name, value]);
  });
  const cookieName = known?.get('set-cookie') ?? 'set-cookie';
  for (const cookie of response.headers.getSetCookie()) list.push([cookieName, cookie]);
  return list;
}
