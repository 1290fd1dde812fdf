/**
 * Regular expressions a template gives, matched against what a client sends: an authorizer's
 * identityValidationExpression (Java's `Pattern.matches`, R7.7) and a WAF regex (W rules). JavaScript's engine
 * backtracks: a pattern that repeats a repetition (`(a+)+`) held the event loop, every API with it, for seconds on a
 * 30-character token, and a match cannot be interrupted. A pattern with more than one unbounded repetition therefore
 * runs on RE2 (re2js, linear time); the others stay on JavaScript's engine, which is linear for them and ~30 times faster.
 * Java syntax JavaScript lacks is read as Java reads it: POSIX classes (`\p{Alpha}`), inline flags (`(?i)`).
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

/** re2js (~16 ms to load) only once a template has a pattern for it: most have none, and the start is timed (issue 13). */
let re2js: typeof RE2JS | undefined;
const loadRe2 = (): typeof RE2JS => (re2js ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JS }).RE2JS);

export interface TemplateRegex {
  /** Whether the whole value matches (`full`) or some part of it does (`find`). */
  test(value: string): boolean;
  /** Which engine runs it, for tests and the report. */
  readonly engine: 'javascript' | 're2';
}

/** Java's POSIX character classes (US-ASCII only, Java's default), as class contents both engines read. */
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'A-Za-z',
  Digit: '0-9',
  Alnum: 'A-Za-z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/**
 * Java syntax neither engine reads: `\p{Alpha}` and the like as plain ranges (`[A-Za-z]` outside a class, `A-Za-z`
 * inside one), and possessive quantifiers (`a++`, `a*+`, `a{2}+`) as greedy ones: [AMBIGUOUS] neither engine has them, and
 * they differ only where giving back would let a match succeed (Java's `a*+a` matches nothing).
 */
function javaSyntax(source: string): string {
  let out = '';
  let inClass = false;
  // Whether the last thing written is a quantifier: a `+` right after one makes it possessive.
  let quantified = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const posix = /^\\p\{(\w+)\}/.exec(source.slice(i))?.[1];
      const ranges = posix === undefined ? undefined : POSIX[posix];
      out += ranges === undefined ? source.slice(i, i + 2) : inClass ? ranges : `[${ranges}]`;
      i += ranges === undefined ? 1 : posix!.length + 3;
      quantified = false;
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '+' && quantified) {
      quantified = false;
      continue;
    }
    const counted = c === '{' ? /^\{\d+(,\d*)?\}/.exec(source.slice(i))?.[0] : undefined;
    if (!inClass && counted) {
      out += counted;
      i += counted.length - 1;
      quantified = true;
      continue;
    }
    quantified = !inClass && (c === '*' || c === '+' || c === '?');
    out += c;
  }
  return out;
}

/**
 * Whether JavaScript's engine runs the pattern in linear time, as far as a quick reading tells: at most one unbounded
 * repetition (`*`, `+`, `{n,}`), and not of a group (`(a|aa)+`, `(a+)+` backtrack exponentially). The rest goes to RE2.
 */
function linearOnJavaScript(source: string): boolean {
  let repetitions = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(source.slice(i)))) {
      repetitions += 1;
      if (source[i - 1] === ')' && source[i - 2] !== '\\') return false;
    }
  }
  return repetitions <= 1;
}

/** A leading `(?i)` as JavaScript's `i` flag; undefined when other inline flags are used (RE2 reads those). */
function javascriptForm(source: string): { source: string; flags: string } | undefined {
  const leading = /^\(\?([imsx]+)\)/.exec(source);
  const rest = leading ? source.slice(leading[0].length) : source;
  if (/\(\?[a-z]*[imsx-][a-z-]*[:)]/.test(rest.replace(/\\./g, ''))) return undefined;
  const flags = leading?.[1] ?? '';
  return flags.includes('x') ? undefined : { source: rest, flags };
}

/**
 * A template's pattern as API Gateway (Java) or WAF would match it, safe to run on a client's input; throws (the
 * engines' message) when neither engine reads it.
 */
export function templateRegex(expression: string, mode: 'full' | 'find'): TemplateRegex {
  const source = javaSyntax(expression);
  const javascript = javascriptForm(source);
  const onJavaScript = (form: { source: string; flags: string }): TemplateRegex => {
    const regex = new RegExp(mode === 'full' ? `^(?:${form.source})$` : form.source, form.flags);
    return { test: (value) => regex.test(value), engine: 'javascript' };
  };
  if (javascript && linearOnJavaScript(javascript.source)) return onJavaScript(javascript);
  let re2: RE2JS;
  try {
    re2 = loadRe2().compile(source);
  } catch (error) {
    // RE2 reads no back-references or lookaround: such a pattern runs on JavaScript's engine, as before.
    if (!javascript) throw error;
    return onJavaScript(javascript);
  }
  return { test: (value) => (mode === 'full' ? re2.matches(value) : re2.matcher(value).find()), engine: 're2' };
}
