/** `$util` of API Gateway mapping templates (R3.10-R3.13). */

/** Java StringEscapeUtils.escapeJavaScript: quotes, backslash, slash, control and non-ASCII chars escaped. */
export function escapeJavaScript(input: unknown): string {
  const s = input === undefined || input === null ? '' : String(input);
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    const simple: Record<string, string> = { '"': '\\"', "'": "\\'", '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    if (simple[ch] !== undefined) out += simple[ch];
    else if (code < 0x20 || code > 0x7e) {
      for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

/** java.net.URLEncoder (UTF-8): only A-Z a-z 0-9 . - * _ stay; space becomes "+". */
export function urlEncode(input: unknown): string {
  const s = input === undefined || input === null ? '' : String(input);
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Inverse of urlEncode: "+" is a space (R3.12). */
export function urlDecode(input: unknown): string {
  const s = input === undefined || input === null ? '' : String(input);
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** The `$util` object templates see (R3.10-R3.13). */
export function createUtil(): Record<string, (arg: unknown) => unknown> {
  return {
    escapeJavaScript,
    urlEncode,
    urlDecode,
    parseJson: (s: unknown) => JSON.parse(String(s)),
    base64Encode: (s: unknown) => Buffer.from(s === undefined || s === null ? '' : String(s), 'utf8').toString('base64'),
    base64Decode: (s: unknown) => Buffer.from(s === undefined || s === null ? '' : String(s), 'base64').toString('utf8'),
  };
}
