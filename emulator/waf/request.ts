/** What AWS WAF inspects of a request (W5.6) and the text transformations it applies first (W5.7). */
import type { HeaderList } from '../gateway/request-state.js';

export interface WafRequest {
  method: string;
  /** The URI path as sent (with the stage), e.g. "/v1/tasks". */
  uriPath: string;
  /** The query string as sent, without "?" (still URL-encoded). */
  queryString: string;
  query: [string, string][];
  headers: HeaderList;
  body: Uint8Array;
  sourceIp: string;
}

/** W4.1: how much of the body an API Gateway association forwards to WAF (AssociationConfig KB_16..KB_64). */
export type BodyLimit = number;

/**
 * The texts one FieldToMatch gives in this request (the statement matches when one of them does: each query argument,
 * each header key or value...), or undefined when the component is absent; `oversize` when it was cut at a limit.
 */
export interface FieldValue {
  texts: string[];
  oversize: boolean;
}

/** FieldToMatch components the emulator reads (W5.6); others are reported as not emulated. */
export const SUPPORTED_FIELDS = ['UriPath', 'QueryString', 'SingleQueryArgument', 'AllQueryArguments', 'SingleHeader', 'Headers', 'Cookies', 'Method', 'Body'];

/** W4.3: the host forwards at most 200 headers (or cookies) and 8 KB of them to WAF. */
const MAX_ITEMS = 200;
const MAX_BYTES = 8192;

/**
 * W4.3 [AMBIGUOUS]: what the host forwards of a list of (key, value) items whose `size` each counts against the 8 KB:
 * the items in order until the 200th or until the 8 KB run out; the item that crosses 8 KB is cut there (its key
 * whole, or it is left out). `oversize` when anything was left out or cut.
 */
function forwarded(items: [string, string][], size: (key: string, value: string, index: number) => number): { items: [string, string][]; oversize: boolean } {
  const out: [string, string][] = [];
  let used = 0;
  for (const [index, [key, value]] of items.entries()) {
    if (out.length === MAX_ITEMS) return { items: out, oversize: true };
    const bytes = size(key, value, index);
    if (used + bytes > MAX_BYTES) {
      const room = MAX_BYTES - used - (bytes - value.length);
      if (room > 0) out.push([key, value.slice(0, room)]);
      return { items: out, oversize: true };
    }
    used += bytes;
    out.push([key, value]);
  }
  return { items: out, oversize: false };
}

/** W4.3: the request's headers as forwarded for `Headers` inspection; each counts as its `Name: value` line with CRLF. */
export function forwardedHeaders(headers: HeaderList): { items: [string, string][]; oversize: boolean } {
  return forwarded(headers, (name, value) => name.length + value.length + 4);
}

/** W4.3: the request's cookies as forwarded for `Cookies` inspection; they count as the `a=1; b=2` text they make. */
export function forwardedCookies(headers: HeaderList): { items: [string, string][]; oversize: boolean } {
  const pairs = headers
    .filter(([n]) => n.toLowerCase() === 'cookie')
    .flatMap(([, v]) => v.split(';'))
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .map((c): [string, string] => (c.includes('=') ? [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] : [c, '']));
  return forwarded(pairs, (name, value, index) => (index > 0 ? 2 : 0) + name.length + 1 + value.length);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Headers / Cookies: the keys and/or values (MatchScope) of the items MatchPattern selects (All, Included..., Excluded...). */
function mapTexts(spec: Record<string, unknown>, items: [string, string][], included: string, excluded: string, sameName: (a: string, b: string) => boolean): string[] {
  const pattern = isMap(spec.MatchPattern) ? spec.MatchPattern : {};
  const names = (list: unknown) => (Array.isArray(list) ? list.map(String) : []);
  const selected = items.filter(([key]) => {
    if (pattern[included] !== undefined) return names(pattern[included]).some((n) => sameName(n, key));
    if (pattern[excluded] !== undefined) return !names(pattern[excluded]).some((n) => sameName(n, key));
    return true;
  });
  const scope = String(spec.MatchScope ?? 'ALL');
  return selected.flatMap(([key, value]) => (scope === 'KEY' ? [key] : scope === 'VALUE' ? [value] : [key, value]));
}

const caseless = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The FieldToMatch's texts in this request. */
export function fieldValue(field: Record<string, unknown>, req: WafRequest, bodyLimit: BodyLimit): FieldValue | undefined {
  const [kind, raw] = Object.entries(field)[0] ?? [];
  const spec = isMap(raw) ? raw : {};
  const name = typeof spec.Name === 'string' ? spec.Name : '';
  switch (kind) {
    case 'UriPath':
      return { texts: [req.uriPath], oversize: false };
    case 'QueryString':
      return { texts: [req.queryString], oversize: false };
    case 'SingleQueryArgument': {
      const found = req.query.find(([k]) => caseless(k, name));
      return found ? { texts: [found[1]], oversize: false } : undefined;
    }
    // W5.6: "a match if either the value of UserName or SalesRegion match", each value on its own.
    case 'AllQueryArguments':
      return { texts: req.query.map(([, v]) => v), oversize: false };
    // W4.3: a single header is inspected whole, without the 200-header / 8 KB limits.
    case 'SingleHeader': {
      const found = req.headers.filter(([n]) => caseless(n, name)).at(-1);
      return found ? { texts: [found[1]], oversize: false } : undefined;
    }
    case 'Headers': {
      const sent = forwardedHeaders(req.headers);
      return { texts: mapTexts(spec, sent.items, 'IncludedHeaders', 'ExcludedHeaders', caseless), oversize: sent.oversize };
    }
    case 'Cookies': {
      const sent = forwardedCookies(req.headers);
      return { texts: mapTexts(spec, sent.items, 'IncludedCookies', 'ExcludedCookies', (a, b) => a === b), oversize: sent.oversize };
    }
    case 'Method':
      return { texts: [req.method], oversize: false };
    case 'Body': {
      const oversize = req.body.byteLength > bodyLimit;
      return { texts: [Buffer.from(req.body.subarray(0, bodyLimit)).toString('latin1')], oversize };
    }
    default:
      return undefined;
  }
}

const TRANSFORMS: Record<string, (s: string) => string> = {
  NONE: (s) => s,
  LOWERCASE: (s) => s.toLowerCase(),
  URL_DECODE: urlDecode,
  URL_DECODE_UNI: urlDecode,
  COMPRESS_WHITE_SPACE: (s) => s.replace(/[\f\t\n\r\v\u00a0 ]+/g, ' '),
  HTML_ENTITY_DECODE: (s) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&nbsp;/g, '\u00a0')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))),
  CMD_LINE: (s) =>
    s
      .replace(/[\\"'^]/g, '')
      .replace(/ +(?=[/(])/g, '')
      .replace(/[,;]/g, ' ')
      .replace(/\s+/g, ' ')
      .toLowerCase(),
  BASE64_DECODE: (s) => Buffer.from(s, 'base64').toString('latin1'),
};

/** Transformation types the emulator applies; others are reported as not emulated. */
export const SUPPORTED_TRANSFORMS = Object.keys(TRANSFORMS);

function urlDecode(s: string): string {
  return s.replace(/\+/g, ' ').replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** W5.7: transformations in ascending Priority. */
export function transform(text: string, transformations: unknown): string {
  const list = Array.isArray(transformations) ? [...transformations] : [];
  list.sort((a, b) => Number((a as { Priority?: unknown }).Priority ?? 0) - Number((b as { Priority?: unknown }).Priority ?? 0));
  return list.reduce<string>((value, t) => (TRANSFORMS[String((t as { Type?: unknown }).Type)] ?? TRANSFORMS.NONE!)(value), text);
}
