/** Regular expressions as API Gateway (Java) evaluates them. */
import { templateRegex, type TemplateRegex } from '../gateway/template-regex.js';
import { TemplateError } from '../template/model.js';

/**
 * Compile a Java regex for `Pattern.matches` semantics: the whole input must match (R7.7).
 * [AMBIGUOUS] R7.7/14.3: full match, not find — `Bearer .*` must cover the whole token, `^x-[a-z]+` must too.
 */
export function compileFullMatch(expression: string, file: string, key: string): TemplateRegex {
  try {
    return templateRegex(expression, 'full');
  } catch (error) {
    throw new TemplateError(file, key, `not a regular expression the emulator can run: ${(error as Error).message}`);
  }
}
