/**
 * `sam-local-gateway keys [-t template.yaml]`: print JSON mapping each usage plan's logical id (a nested stack's
 * prefixed with its path) to its local API key value (the value to send as X-API-Key), creating local values on first use.
 */
import { loadTemplate } from '../template/load.js';
import { stacksOf } from '../template/nested.js';
import { ApiKeyRegistry } from '../identity/api-keys.js';
import { LocalState, localDirFor } from '../identity/local-state.js';
import { overridesArg, parseCommand, templateArg } from './args.js';

export const KEYS_USAGE = `usage: sam-local-gateway keys [-t, --template template.yaml] [--parameter-overrides "K=V ..."]     (npm run --silent keys in the Task API)
  prints {"<usage plan logical id>": "<local API key value>"} for the template given`;

/** The local value of each API key, by usage plan (what API Gateway's GetApiKey includeValue returns). */
export async function keysCommand(argv: string[]): Promise<string> {
  const args = parseCommand(argv, ['template', 'parameter-overrides'], [], KEYS_USAGE);
  if (!args) return KEYS_USAGE;
  const templatePath = templateArg(args);
  const template = await loadTemplate(templatePath, overridesArg(args));
  const state = new LocalState(localDirFor(templatePath));
  // A nested stack's plans are named by its path (Child/UsagePlan), as the start report lists them.
  const byPlan = stacksOf(template).map(({ path, template: stack }) => ApiKeyRegistry.fromTemplate(stack, state).keyValuesByPlan(path));
  return JSON.stringify(Object.assign({}, ...byPlan), null, 2);
}
