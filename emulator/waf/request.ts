/** What AWS WAF inspects of a request (W5.6) and the text transformations it applies first (W5.7). */
import type { HeaderList } from '../gateway/request-state.js';

export interface WafRequest {
  method: string;
  /** The URI path as sent (with the stage), e.g. "/v1/tasks". */
  uriPath: string;
  /** The raw query string without "?". */
  queryString: string;
  query: [string, string][];
  headers: HeaderList;
  body: Uint8Array;
  sourceIp: string;
}

/** W4.1: how much of the body an API Gateway association forwards to WAF (AssociationConfig KB_16..KB_64). */
export type BodyLimit = number;

/** The value of one FieldToMatch, or undefined when the component is absent; `oversize` when cut at the limit. */
export interface FieldValue {
  text: string;
  oversize: boolean;
}

/** FieldToMatch components the emulator reads (W5.6); others are reported as not emulated. */
export const SUPPORTED_FIELDS = ['UriPath', 'QueryString', 'SingleQueryArgument', 'AllQueryArguments', 'SingleHeader', 'Method', 'Body'];

/** The FieldToMatch's value in this request. */
export function fieldValue(field: Record<string, unknown>, req: WafRequest, bodyLimit: BodyLimit): FieldValue | undefined {
  const [kind, spec] = Object.entries(field)[0] ?? [];
  const name = typeof (spec as Record<string, unknown> | undefined)?.Name === 'string' ? String((spec as Record<string, unknown>).Name) : '';
  switch (kind) {
    case 'UriPath':
      return { text: req.uriPath, oversize: false };
    case 'QueryString':
      return { text: req.queryString, oversize: false };
    case 'SingleQueryArgument': {
      const found = req.query.find(([k]) => k.toLowerCase() === name.toLowerCase());
      return found ? { text: found[1], oversize: false } : undefined;
    }
    case 'AllQueryArguments':
      return { text: req.query.map(([, v]) => v).join(' '), oversize: false };
    case 'SingleHeader': {
      const found = req.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).at(-1);
      return found ? { text: found[1], oversize: false } : undefined;
    }
    case 'Method':
      return { text: req.method, oversize: false };
    case 'Body': {
      const oversize = req.body.byteLength > bodyLimit;
      return { text: Buffer.from(req.body.subarray(0, bodyLimit)).toString('latin1'), oversize };
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
