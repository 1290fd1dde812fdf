/** `$util` of API Gateway mapping templates (R3.10-R3.13). */
import { parseExactJson } from './exact-json.js';
import { renderValue } from './render-value.js';

/** Java's String.valueOf on a template value: a Map is `{a=1}`, a List JSON, null "" (R3.4). */
const text = (input: unknown): string => renderValue(input);

/** Java StringEscapeUtils.escapeJavaScript: quotes, backslash, slash, control chars and chars above U+007F escaped (DEL is not). */
export function escapeJavaScript(input: unknown): string {
  const s = text(input);
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    const simple: Record<string, string> = { '"': '\\"', "'": "\\'", '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    if (simple[ch] !== undefined) out += simple[ch];
    else if (code < 0x20 || code > 0x7f) {
      for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

/** java.net.URLEncoder (UTF-8): only A-Z a-z 0-9 . - * _ stay; space becomes "+". */
export function urlEncode(input: unknown): string {
  const s = text(input);
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Inverse of urlEncode: "+" is a space (R3.12). */
export function urlDecode(input: unknown): string {
  const s = text(input);
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * java.lang.String#replaceAll: the pattern is a Java regex (close enough to a JS one for what templates use) and
 * the replacement follows Matcher#appendReplacement: `\\x` is a literal x, `$n` a group, a lone `$` is an error.
 */
export function javaReplaceAll(input: string, pattern: unknown, replacement: unknown): string {
  return javaRegexReplace(input, pattern, replacement, true);
}

/** java.lang.String#replaceFirst: as replaceAll, first match only. */
export function javaReplaceFirst(input: string, pattern: unknown, replacement: unknown): string {
  return javaRegexReplace(input, pattern, replacement, false);
}

function javaRegexReplace(input: string, pattern: unknown, replacement: unknown, all: boolean): string {
  const src = String(replacement);
  let js = '';
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i] as string;
    if (ch === '\\' && i + 1 < src.length) {
      const next = src[(i += 1)] as string;
      js += next === '$' ? '$$' : next;
    } else if (ch === '$') {
      const group = /^\d+/.exec(src.slice(i + 1))?.[0];
      if (group === undefined) throw new Error(`replaceAll: illegal group reference in replacement "${src}"`);
      js += `$${group}`;
      i += group.length;
    } else js += ch;
  }
  return input.replace(new RegExp(String(pattern), all ? 'g' : ''), js);
}

/** The `$util` object templates see (R3.10-R3.13). */
export function createUtil(): Record<string, (arg: unknown) => unknown> {
  return {
    escapeJavaScript,
    urlEncode,
    urlDecode,
    parseJson: (s: unknown) => parseExactJson(text(s)),
    base64Encode: (s: unknown) => Buffer.from(text(s), 'utf8').toString('base64'),
    base64Decode: (s: unknown) => Buffer.from(text(s), 'base64').toString('utf8'),
  };
}
