/**
 * One API that cannot be read (a document or setting API Gateway or CloudFormation would refuse) costs that API, not
 * the template: it is reported NOT EMULATED with why (so `--strict` refuses it), and the template's other APIs are
 * served. A template left with no API at all is still an error that lists these reasons.
 */
import { TemplateError } from './model.js';

/** Where refused APIs are recorded: the reason (a NOT EMULATED line) and the API's logical id. */
export interface ApiRefusals {
  notEmulated: string[];
  refused: Set<string>;
}

/** `build()`, or undefined with the TemplateError it threw recorded in `refusals`. */
export function apiOrReported<T>(id: string, refusals: ApiRefusals, build: () => T | undefined): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    refusals.notEmulated.push(`${error.message}; API ${id} is not served`);
    refusals.refused.add(id);
    return undefined;
  }
}
