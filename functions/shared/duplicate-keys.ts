/**
 * Duplicate member names in a JSON text. RFC 8259 §4 says names SHOULD be unique and that parsers differ on
 * `{"title":"a","title":"b"}` (JSON.parse keeps the last, others the first or fail): a body whose meaning depends on
 * the parser is refused, naming the member, rather than read one way here and another way by a proxy or a log reader.
 */
import { token } from './validation.js';

type Frame = { kind: 'object'; names: Set<string>; name?: string; expectName: boolean } | { kind: 'array'; index: number };

/**
 * The pointer of the first member whose name its object already has (names compared decoded: `"a"` and `"\u0061"` are
 * one name), or undefined. `text` must be JSON that JSON.parse accepted: this only walks it, without recursion (a body
 * nested 20,000 deep is read like any other) and without building the values.
 */
export function firstDuplicateKey(text: string): string | undefined {
  const stack: Frame[] = [];
  const path = (): (string | number)[] => stack.slice(0, -1).map((frame) => (frame.kind === 'object' ? (frame.name ?? '') : frame.index));
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '{') stack.push({ kind: 'object', names: new Set(), expectName: true });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top) {
      if (top.kind === 'object') top.expectName = true;
      else top.index += 1;
    } else if (c === ':' && top?.kind === 'object') top.expectName = false;
    else if (c === '"') {
      const start = i;
      for (i += 1; text[i] !== '"'; i++) if (text[i] === '\\') i += 1;
      if (top?.kind !== 'object' || !top.expectName) continue;
      const name = JSON.parse(text.slice(start, i + 1)) as string;
      if (top.names.has(name)) return [...path(), name].map((part) => `/${token(String(part))}`).join('');
      top.names.add(name);
      top.name = name;
    }
  }
  return undefined;
}
