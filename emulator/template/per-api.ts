/**
 * One API that cannot be read (a document or setting API Gateway or CloudFormation would refuse) costs that API, not
 * the template: it is reported NOT EMULATED with why (so `--strict` refuses it), and the template's other APIs are
 * served. A template left with no API at all is still an error that lists these reasons.
 */
import { TemplateError, type LoadedTemplate } from './model.js';
import { checkIntegrationUris } from './uris.js';

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

/**
 * A Lambda integration or authorizer URI that names no function API Gateway could invoke makes API Gateway refuse to
 * create that API (its import fails): the API is reported NOT EMULATED with every such URI, the template's other
 * APIs served. Returns the refused APIs' logical ids.
 */
export function refuseApisWithUnknownFunctions(template: LoadedTemplate, otherStacks: LoadedTemplate[]): Set<string> {
  const errors = checkIntegrationUris(template, otherStacks);
  const refused = new Set(errors.map((e) => e.apiLogicalId));
  if (refused.size === 0) return refused;
  template.apis = template.apis.filter((api) => !refused.has(api.logicalId));
  template.httpApis = template.httpApis.filter((api) => !refused.has(api.logicalId));
  template.notEmulated = [...(template.notEmulated ?? []), ...errors.map((e) => `${e.message}; API ${e.apiLogicalId} is not served`)];
  return refused;
}
