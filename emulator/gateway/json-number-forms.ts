/**
 * Numbers a JSON text writes with a fraction or an exponent although their value is whole (`2015.0`, `1e3`). JSON
 * Schema draft 4, which API Gateway's models use, calls an integer "a JSON number without a fraction or exponent
 * part" (its Java validator reads `2015.0` as a decimal): JSON.parse loses that form, so it is found in the text.
 * Mapping templates read JSON as Java does too: parseJsonKeepingNumbers keeps the integers JSON.parse would round.
 */

const SCALAR = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

const skipSpace = (text: string, i: number): number => {
  while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  return i;
};

/** The end of the JSON string starting at `i` (its opening quote). */
const stringEnd = (text: string, i: number): number => {
  i++;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
};

/** JSON Pointers (`/a/0/b`) of such numbers in a text JSON.parse accepted; empty when there are none. */
export function wholeNumbersWrittenAsDecimals(text: string): string[] {
  if (!/\d[.eE]/.test(text)) return [];
  const found: string[] = [];
  let i = 0;
  const space = (): void => {
    i = skipSpace(text, i);
  };
  const string = (): string => {
    const start = i;
    i = stringEnd(text, i);
    return JSON.parse(text.slice(start, i)) as string;
  };
  const escape = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');
  const value = (pointer: string): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      while (text[i] !== '}') {
        const key = string();
        space();
        i++; // ':'
        value(`${pointer}/${escape(key)}`);
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
    } else if (c === '[') {
      i++;
      space();
      for (let index = 0; text[i] !== ']'; index++) {
        value(`${pointer}/${index}`);
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      SCALAR.lastIndex = i;
      const token = SCALAR.exec(text)?.[0] ?? '';
      i += Math.max(token.length, 1);
      if (/[.eE]/.test(token) && /\d/.test(token) && Number.isInteger(Number(token))) found.push(pointer);
    }
  };
  value('');
  return found;
}

/**
 * A JSON decimal out of a double's range (`1e400`), kept as written: JSON.parse makes it Infinity, which JSON.stringify
 * writes `null`. [AMBIGUOUS] Java's parsers read it as a BigDecimal (value kept) or a Double (Infinity); the value is kept.
 */
export class JsonDecimal {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** A number token as API Gateway's Java engine holds it: an integer past 2^53 keeps its digits (long/BigInteger). */
function numberOf(token: string): unknown {
  if (/^-?\d+$/.test(token)) {
    const n = Number(token);
    return Number.isSafeInteger(n) ? n : BigInt(token);
  }
  const n = Number(token);
  return Number.isFinite(n) ? n : new JsonDecimal(token);
}

/**
 * JSON.parse, except that integers past 2^53 become BigInts with their exact digits and decimals beyond a double's
 * range JsonDecimals, as API Gateway's mapping templates (Java) keep 9007199254740993 where JSON.parse reads ...992.
 * A decimal within range is a double, as in Java (1.10 is 1.1). Throws as JSON.parse does on a text that is no JSON.
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  // Only a run of 16 digits or a 3-digit exponent can hold such a number: other texts keep JSON.parse's (fast) answer.
  if (!/\d{16}|[eE][+-]?\d{3}/.test(text)) return plain;
  let i = 0;
  const value = (): unknown => {
    i = skipSpace(text, i);
    const c = text[i];
    if (c === '{' || c === '[') {
      const object = c === '{';
      const node: Record<string, unknown> | unknown[] = object ? {} : [];
      i = skipSpace(text, i + 1);
      while (text[i] !== (object ? '}' : ']')) {
        if (object) {
          const start = i;
          i = stringEnd(text, i);
          const key = JSON.parse(text.slice(start, i)) as string;
          i = skipSpace(text, i) + 1; // ':'
          // defineProperty: a "__proto__" key is an own property, as JSON.parse makes it, not the prototype.
          Object.defineProperty(node, key, { value: value(), writable: true, enumerable: true, configurable: true });
        } else (node as unknown[]).push(value());
        i = skipSpace(text, i);
        if (text[i] === ',') i = skipSpace(text, i + 1);
      }
      i++;
      return node;
    }
    if (c === '"') {
      const start = i;
      i = stringEnd(text, i);
      return JSON.parse(text.slice(start, i)) as string;
    }
    SCALAR.lastIndex = i;
    const token = SCALAR.exec(text)?.[0] ?? '';
    i += token.length;
    return token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : numberOf(token);
  };
  return value();
}

/** JSON.stringify that writes BigInts and JsonDecimals as the numbers they hold (parseJsonKeepingNumbers' inverse). */
export function stringifyJson(value: unknown): string | undefined {
  if (typeof value === 'bigint' || value instanceof JsonDecimal) return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => stringifyJson(v) ?? 'null').join(',')}]`;
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  const members = Object.entries(value).flatMap(([k, v]) => {
    const written = stringifyJson(v);
    return written === undefined ? [] : [`${JSON.stringify(k)}:${written}`];
  });
  return `{${members.join(',')}}`;
}
