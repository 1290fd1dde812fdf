/**
 * Regular expressions a template gives, matched against what a client sends: an authorizer's
 * identityValidationExpression (Java's `Pattern.matches`, R7.7), a model's `pattern` (R5, gateway/java-regex.ts) and a
 * WAF regex (W rules). JavaScript's engine
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
 * Java syntax the engines do not read as Java does, rewritten for one of them: `\p{Alpha}` and the like as plain ranges
 * (`[A-Za-z]` outside a class, `A-Za-z` inside one, `\P{...}` negated), possessive quantifiers (`a++`, `a*+`,
 * `a{2}+`) and atomic groups (`(?>...)`) as greedy ones: [AMBIGUOUS] neither engine has them, and they differ only where
 * giving back would let a match succeed (Java's `a*+a` matches nothing). For JavaScript also `\Q...\E` (quoted),
 * `\A`, `\z`, `\Z` (input boundaries) and a `]` first in a class (a literal); RE2 reads those itself. A class inside a
 * class (Java's union, `&&` its intersection) has no counterpart in either: an error.
 */
function javaSyntax(source: string, engine: 'javascript' | 're2'): string {
  const js = engine === 'javascript';
  let out = '';
  let inClass = false;
  // Whether the last thing written is a quantifier: a `+` right after one makes it possessive.
  let quantified = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      const posix = /^\\([pP])\{(?:Is)?(\w+)\}/.exec(source.slice(i));
      const ranges = posix ? POSIX[posix[2]!] : undefined;
      if (posix && ranges === undefined) {
        // A Unicode class (\p{L}, \p{Lu}, \p{IsLatin}, \p{IsAlphabetic}): JavaScript's property escape (Unicode mode), RE2's name.
        out += js ? unicodeProperty(posix[1]!, posix[2]!) : `\\${posix[1]}{${posix[2]}}`;
        i += posix[0].length - 1;
      } else if (posix && ranges !== undefined) {
        if (posix[1] === 'P' && inClass) throw new Error(`a negated class \\P{${posix[2]}} inside brackets has no counterpart here`);
        out += inClass ? ranges : `[${posix[1] === 'P' ? '^' : ''}${ranges}]`;
        i += posix[0].length - 1;
      } else if (js && next === 'Q') {
        const close = source.indexOf('\\E', i + 2);
        out += source.slice(i + 2, close < 0 ? source.length : close).replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = close < 0 ? source.length : close + 1;
      } else if (js && !inClass && (next === 'A' || next === 'z' || next === 'Z')) {
        out += next === 'A' ? '(?<![\\s\\S])' : next === 'z' ? '(?![\\s\\S])' : '(?=\\n?(?![\\s\\S]))';
        i += 1;
      } else if (!js && !inClass && next === 'Z') {
        out += '(?:\\n?\\z)';
        i += 1;
      } else if (!js && next === 'u' && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 2, i + 6))) {
        // Java's (and JavaScript's) \uXXXX is \x{XXXX} to RE2, which has no \u: the Task API's own TitleInput pattern
        // was NOT EMULATED, its blank titles let through to the handler.
        out += `\\x{${source.slice(i + 2, i + 6)}}`;
        i += 5;
      } else if (js && /^\\x\{[0-9A-Fa-f]{1,6}\}/.test(source.slice(i))) {
        // Java's \x{h...h} is JavaScript's \u{h...h} (Unicode mode); RE2 reads it as Java does.
        const close = source.indexOf('}', i);
        out += `\\u{${source.slice(i + 3, close)}}`;
        i = close;
      } else if (next === 'e' || (js && next === 'a')) {
        // Java's escape (\e, U+001B) and bell (\a, U+0007): an error or a plain letter to JavaScript, \e unknown to RE2.
        out += next === 'e' ? '\\x1B' : '\\x07';
        i += 1;
      } else {
        out += source.slice(i, i + 2);
        i += 1;
      }
      quantified = false;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new Error('a class inside a class (union or intersection) has no counterpart here');
      if (c === '&' && source[i + 1] === '&') throw new Error('a class intersection (&&) has no counterpart here');
      inClass = c !== ']';
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      // A `]` first in a class is a literal in Java (JavaScript would read an empty class).
      if (js && source[i + 1] === ']') {
        out += '\\]';
        i += 1;
      }
      quantified = false;
      continue;
    }
    if (c === '+' && quantified) {
      quantified = false;
      continue;
    }
    if (c === '(' && source.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      quantified = false;
      continue;
    }
    const counted = c === '{' ? /^\{\d+(,\d*)?\}/.exec(source.slice(i))?.[0] : undefined;
    if (counted) {
      out += counted;
      i += counted.length - 1;
      quantified = true;
      continue;
    }
    quantified = c === '*' || c === '+' || c === '?';
    out += c;
  }
  return out;
}

/** Java's `\p{Name}` (Is-prefix dropped) as JavaScript's property escape: a category or binary property, else a script. */
function unicodeProperty(kind: string, name: string): string {
  for (const candidate of [`\\${kind}{${name}}`, `\\${kind}{Script=${name}}`]) {
    try {
      new RegExp(candidate, 'u');
      return candidate;
    } catch {
      // Not this reading of the name.
    }
  }
  throw new Error(`the class \\${kind}{${name}} has no JavaScript counterpart`);
}

/** What a pattern repeats: its unbounded repetitions (`*`, `+`, `{n,}`), and whether a group is repeated (`(a+)+`, `(a+){1,30}`). */
function repetitionsOf(source: string): { unbounded: number; ofGroup: boolean } {
  let unbounded = 0;
  let ofGroup = false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else {
      const counted = c === '{' ? /^\{\d+,(\d*)\}/.exec(source.slice(i)) : null;
      const open = c === '*' || c === '+' || counted?.[1] === '';
      if (open) unbounded += 1;
      // A group repeated a bounded number of times backtracks as one repeated without bound.
      if ((open || counted) && source[i - 1] === ')' && source[i - 2] !== '\\') ofGroup = true;
    }
  }
  return { unbounded, ofGroup };
}

/**
 * Whether JavaScript's engine runs the pattern in linear time, as far as a quick reading tells: at most one unbounded
 * repetition, and no repeated group (`(a|aa)+`, `(a+)+`, `(a+){1,30}` backtrack exponentially). The rest goes to RE2.
 */
function linearOnJavaScript(source: string): boolean {
  const { unbounded, ofGroup } = repetitionsOf(source);
  return !ofGroup && unbounded <= 1;
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
 * In Unicode mode when the pattern allows it, as Java matches code points (`.` is one emoji); else without it, whose
 * Annex B syntax reads Java's `[\w-_]` and `\-` as Java does.
 */
function unicodeWhenReadable(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, `${flags}u`);
  } catch (error) {
    // A Unicode property escape means nothing outside Unicode mode (it would read as the letters p{...}).
    if (/\\[pP]\{/.test(pattern.replace(/\\\\/g, ''))) throw error;
    return new RegExp(pattern, flags);
  }
}

/**
 * A template's pattern as API Gateway (Java) or WAF would match it, safe to run on a client's input; throws (the
 * engines' message) when neither engine reads it.
 */
export function templateRegex(expression: string, mode: 'full' | 'find'): TemplateRegex {
  const source = javaSyntax(expression, 're2');
  // Java syntax with no JavaScript counterpart leaves the pattern to RE2 (whose error is the one given if it fails too).
  let javascript: { source: string; flags: string } | undefined;
  try {
    javascript = javascriptForm(javaSyntax(expression, 'javascript'));
  } catch {
    javascript = undefined;
  }
  const onJavaScript = (form: { source: string; flags: string }): TemplateRegex => {
    const pattern = mode === 'full' ? `^(?:${form.source})$` : form.source;
    const regex = unicodeWhenReadable(pattern, form.flags);
    return { test: (value) => regex.test(value), engine: 'javascript' };
  };
  // A whole-value match with one unbounded repetition, not of a group, is linear on JavaScript's engine, and ~30 times
  // faster there. A search ('find': WAF, model patterns) is not: `a*b` is tried from each position of a client's value.
  const linear = javascript !== undefined && linearOnJavaScript(javascript.source);
  if (javascript && mode === 'full' && linear) {
    try {
      return onJavaScript(javascript);
    } catch {
      // Not readable by JavaScript after all: RE2 may read it.
    }
  }
  let re2: RE2JS;
  try {
    re2 = loadRe2().compile(source);
  } catch (error) {
    // RE2 reads no back-references or lookaround: JavaScript's engine then, but only where it cannot backtrack without
    // bound on a client's value (a whole-value match linear as above, a search with no unbounded repetition);
    // any other such pattern is not run at all (the caller names it), as one could hold every API for minutes.
    if (javascript && (mode === 'full' ? linear : repetitionsOf(javascript.source).unbounded === 0)) return onJavaScript(javascript);
    throw new Error(`${(error as Error).message}; and on JavaScript's engine it could backtrack without bound on a client's value`);
  }
  return { test: (value) => (mode === 'full' ? re2.matches(value) : re2.matcher(value).find()), engine: 're2' };
}
