/**
 * JSON for mapping templates with integers beyond 2^53 kept whole: API Gateway reads a payload with a Java JSON
 * library, where `12345678901234567890` is a Long or a BigInteger and `$input.json` writes it back digit for digit,
 * while JSON.parse rounds it (`12345678901234567000`), so an id in the body reached the integration changed. Such
 * integers are read as BigInt; every other value is JSON.parse's.
 */
import { randomUUID } from 'node:crypto';

/** Where a text may hold an integer of 16 digits or more; most payloads have none and go straight to JSON.parse. */
const LONG_DIGITS = /\d{16}/;
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON.parse, with an integer JavaScript cannot hold exactly read as a BigInt. */
export function parseExactJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const marker = `\u0000${randomUUID()}:`;
  let found = false;
  const marked = text.replace(TOKEN, (token) => {
    if (token.startsWith('"') || /[.eE]/.test(token) || Number.isSafeInteger(Number(token))) return token;
    found = true;
    return JSON.stringify(marker + token);
  });
  if (!found) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value));
}

/** JSON.stringify, writing a BigInt as its digits. */
export function stringifyExactJson(value: unknown): string {
  try {
    // Without a replacer, the way almost every value goes: JSON.stringify throws a TypeError on a BigInt.
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  let marker: string | undefined;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    marker ??= `\u0000${randomUUID()}:`;
    return marker + v.toString();
  });
  if (marker === undefined) return text;
  // JSON.stringify writes the marker's NUL as \u0000.
  const written = JSON.stringify(marker).slice(1, -1);
  return text.split(`"${written}`).map((part, i) => (i === 0 ? part : part.replace('"', ''))).join('');
}
