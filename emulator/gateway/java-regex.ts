/**
 * A model's `pattern` (and `patternProperties`) as API Gateway evaluates it: its validator is Java's, so the pattern
 * is a java.util.regex one (R5). JavaScript's RegExp in Unicode mode, Ajv's default, refuses much of what Java takes
 * (`[\w-_]`, `\-`, `\@`, `(?i)`...), which made such a model fail every request with a 500. Here the pattern is read as
 * the template's other Java patterns are (template-regex.ts: Java's syntax, and RE2 for a pattern that could backtrack
 * on a client's value); one neither engine reads is named at start and, at request time, matches everything (as if the
 * model had no pattern).
 */
import { templateRegex } from './template-regex.js';

/** Why a model pattern cannot be evaluated locally, or undefined when it can. */
export function javaPatternProblem(pattern: string): string | undefined {
  try {
    templateRegex(pattern, 'find');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Ajv's regExp engine for draft-4 models: a JSON Schema pattern finds (unanchored), with Java's syntax. */
export const javaRegExp = Object.assign(
  (pattern: string): { test(text: string): boolean; toString(): string } => {
    try {
      const regex = templateRegex(pattern, 'find');
      return { test: (text) => regex.test(text), toString: () => `java:${pattern}` };
    } catch {
      return { test: () => true, toString: () => `unevaluated:${pattern}` };
    }
  },
  { code: 'javaRegExp' },
);
