/**
 * `npm run --silent keys [-- --template template.yaml]`: print JSON mapping each usage plan's logical id to
 * its local API key value (the value to send as X-API-Key), creating local values on first use.
 */
import { pathToFileURL } from 'node:url';
import { loadTemplate } from '../template/load.js';
import { ApiKeyRegistry } from '../identity/api-keys.js';
import { LocalState, localDirFor } from '../identity/local-state.js';
import { parseArgs, runMain } from './args.js';

export const KEYS_USAGE = 'usage: npm run --silent keys [-- --template template.yaml]';

async function main(): Promise<string> {
  const args = parseArgs(process.argv.slice(2), ['template'], []);
  const templatePath = typeof args.template === 'string' ? args.template : 'template.yaml';
  const template = await loadTemplate(templatePath);
  const registry = ApiKeyRegistry.fromTemplate(template, new LocalState(localDirFor(templatePath)));
  return JSON.stringify(registry.keyValuesByPlan(), null, 2);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runMain(main, KEYS_USAGE);
