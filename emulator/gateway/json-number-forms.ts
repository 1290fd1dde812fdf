/**
 * Numbers a JSON text writes with a fraction or an exponent although their value is whole (`2015.0`, `1e3`). JSON
 * Schema draft 4, which API Gateway's models use, calls an integer "a JSON number without a fraction or exponent
 * part" (its Java validator reads `2015.0` as a decimal): JSON.parse loses that form, so it is found in the text.
 */

const SCALAR = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** JSON Pointers (`/a/0/b`) of such numbers in a text JSON.parse accepted; empty when there are none. */
export function wholeNumbersWrittenAsDecimals(text: string): string[] {
  if (!/\d[.eE]/.test(text)) return [];
  const found: string[] = [];
  let i = 0;
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
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
