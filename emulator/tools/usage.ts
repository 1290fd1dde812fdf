/**
 * `sam-local-gateway usage [-t template.yaml --start-date YYYY-MM-DD --end-date YYYY-MM-DD --usage-plan id]`:
 * the usage-plan usage the local gateway counted, per key and day, shaped like `aws apigateway get-usage`.
 * Defaults: from the first day of the current month to today (UTC).
 */
import { ApiKeyRegistry } from '../identity/api-keys.js';
import { LocalState, localDirFor } from '../identity/local-state.js';
import { parseDay, stacksUsageReport } from '../limits/usage-report.js';
import { readUsage } from '../limits/usage.js';
import { loadTemplate } from '../template/load.js';
import { stacksOf } from '../template/nested.js';
import { overridesArg, parseCommand, templateArg, UsageError } from './args.js';

export const USAGE_USAGE = `usage: sam-local-gateway usage [-t, --template template.yaml] [--start-date YYYY-MM-DD] [--end-date YYYY-MM-DD]
                               [--usage-plan <id or logical id>] [--parameter-overrides "K=V ..."]     (npm run --silent usage -- ... in the Task API)`;

/** Usage per key and day, shaped like API Gateway's GetUsage (R6.14). */
export async function usageCommand(argv: string[]): Promise<string> {
  const args = parseCommand(argv, ['template', 'start-date', 'end-date', 'usage-plan', 'parameter-overrides'], [], USAGE_USAGE);
  if (!args) return USAGE_USAGE;
  const templatePath = templateArg(args);
  const today = new Date();
  const monthStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
  const dayOf = (option: 'start-date' | 'end-date', fallback: number) => {
    const value = args[option];
    if (typeof value !== 'string') return fallback;
    try {
      return parseDay(value, `--${option}`);
    } catch (error) {
      throw new UsageError((error as Error).message, USAGE_USAGE);
    }
  };
  const start = dayOf('start-date', monthStart);
  const end = dayOf('end-date', Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const template = await loadTemplate(templatePath, overridesArg(args));
  const state = new LocalState(localDirFor(templatePath));
  // Every stack's plans, a nested stack's named by its path (Child/UsagePlan), as the start report lists them.
  const registries = stacksOf(template).map(({ path, template: stack }) => ({ stack: path, registry: ApiKeyRegistry.fromTemplate(stack, state) }));
  const plan = typeof args['usage-plan'] === 'string' ? args['usage-plan'] : undefined;
  return JSON.stringify(stacksUsageReport(registries, readUsage(state), start, end, plan), null, 2);
}
