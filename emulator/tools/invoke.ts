/**
 * `sam-local-gateway invoke [FunctionLogicalId] -e event.json`: as `sam local invoke`, stdout is the function's
 * result as JSON (Lambda's error object when it fails); the function's logs and the gateway's go to stderr.
 */
import { closeSync, readFileSync, writeSync } from 'node:fs';
import { invokeFunction } from '../invoke.js';
import { readEnvVarsFile } from '../lambda/env-vars.js';
import { errorDocument } from '../lambda/error-document.js';
import { TemplateError } from '../template/model.js';
import { mergedParameterOverrides, parseOptions, UsageError } from './args.js';
import { DEBUG_OPTIONS, debugOptionLines, parseDebug } from './debug-options.js';
import { ignoredOptionLines, SAM_IGNORED_OPTIONS, SAM_IGNORED_USAGE } from './sam-options.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, isHelp, samConfigDefaults } from './samconfig.js';
import { LOG_FILE_OPTION, LOG_FILE_USAGE, openLogFile } from './log-file.js';

export const INVOKE_USAGE = `usage: sam-local-gateway invoke [FunctionLogicalId] [options]     (like sam local invoke, no Docker)
  FunctionLogicalId             a nested stack's function by its path: ChildStack/FunctionLogicalId
  -e, --event <file>            the event, JSON ('-' reads stdin; default {}, as sam's)
  --no-event                    no event: {} (sam's deprecated flag, accepted; -e wins when both are given)
  -t, --template <file>         SAM template (default: template.yaml)
  --parameter-overrides "K=V"   template parameters, as for sam deploy (may be repeated; later values win)
  -n, --env-vars <file>         override declared environment variables, as sam local reads it: JSON
                                ({"Parameters": {...}, "<FunctionLogicalId>": {...}}) or a .env file (every function)
  --tenant-id <id>              the tenant of a function with TenancyConfig PER_TENANT (as aws lambda invoke's
                                --tenant-id: Lambda refuses such a function's invocation without one, any other's with one)
  --region <name>               AWS::Region (default: a CDK stack's own, from cdk.out/manifest.json; else us-east-1)
  --local-dir <dir>             local secrets and credentials (default: .local/ next to the template)
  -d, --debug-port <n>          run the function under the Node inspector on 127.0.0.1:<n>, paused until a debugger
                                attaches; no time limit ends it while debugged (as sam local invoke -d)
${LOG_FILE_USAGE}
                                (the result too, as sam local invoke -l writes it: nothing on stdout then)
${CONFIG_USAGE}
  -h, --help
The function's result goes to stdout as JSON; when it fails, its runtime's error document does (Node.js:
{"errorType","errorMessage","trace"}; Python: {"errorMessage","errorType","requestId","stackTrace"}), and the exit
code is 1.
${SAM_IGNORED_USAGE}`;

const INVOKE_OPTIONS = {
  event: { type: 'string', short: 'e' },
  template: { type: 'string', short: 't', default: 'template.yaml' },
  'parameter-overrides': { type: 'string', multiple: true },
  'no-event': { type: 'boolean', default: false },
  'env-vars': { type: 'string', short: 'n' },
  region: { type: 'string' },
  'tenant-id': { type: 'string' },
  'local-dir': { type: 'string' },
  ...DEBUG_OPTIONS,
  ...LOG_FILE_OPTION,
  ...CONFIG_OPTIONS,
  help: { type: 'boolean', short: 'h', default: false },
  ...SAM_IGNORED_OPTIONS,
} as const;

function parse(argv: string[]) {
  // samconfig.toml's [*.local_invoke.parameters] first: the command line's own options come after and win.
  const config = isHelp(argv) ? { argv: [], lines: [] } : samConfigDefaults(argv, 'local_invoke', INVOKE_OPTIONS);
  return { ...parseOptions([...config.argv, ...argv], INVOKE_OPTIONS, INVOKE_USAGE), configLines: config.lines };
}

function readEvent(source: string | undefined): unknown {
  if (source === undefined) return {};
  const label = source === '-' ? 'stdin' : source;
  let text: string;
  try {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (error) {
    throw new TemplateError(label, '(event)', (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateError(label, '(event)', `not valid JSON: ${(error as Error).message}`);
  }
}

/** Invoke the function once; resolves with what to print (nothing when a --log-file took it) and the exit code. */
export async function invokeCommand(argv: string[]): Promise<{ output: string | undefined; exitCode: number }> {
  const { values, positionals, configLines } = parse(argv);
  if (values.help) return { output: INVOKE_USAGE, exitCode: 0 };
  if (positionals.length > 1) throw new UsageError(`one function at a time, not ${positionals.join(' ')}`, INVOKE_USAGE);
  for (const line of [...configLines, ...ignoredOptionLines(values), ...debugOptionLines(values)]) console.error(line);
  // The user's files are read before the log file is emptied: a mistyped -e or -n path leaves the last run's log as it
  // was, as in SAM (click checks -e's path before the command runs; --log-file is opened when the invocation is set up).
  const debug = parseDebug(values, INVOKE_USAGE);
  // `invoke Child/Fn --debug-function Fn` may name it (a logical id only Child has): the template decides (invoke.ts).
  const named = debug?.functionLogicalId;
  if (named !== undefined && positionals[0] !== undefined && named !== positionals[0] && !positionals[0].endsWith(`/${named}`)) {
    throw new UsageError(`--debug-function ${named}: invoke debugs the function it invokes (${positionals[0]})`, INVOKE_USAGE);
  }
  const inputs = { event: readEvent(values.event), envVars: values['env-vars'] ? readEnvVarsFile(values['env-vars']) : undefined, debugPort: debug?.port, debugFunction: debug?.functionLogicalId };
  const logFd = openLogFile(values['log-file']);
  if (logFd === undefined) return invokeOnce(values, positionals[0], inputs);
  try {
    const { output, exitCode } = await invokeOnce(values, positionals[0], inputs, logFd);
    // sam local invoke writes the result with the logs: its stdout writer is the log file's (invoke_context.py).
    writeSync(logFd, `${output}\n`);
    return { output: undefined, exitCode };
  } finally {
    closeSync(logFd);
  }
}

async function invokeOnce(
  values: ReturnType<typeof parse>['values'],
  functionLogicalId: string | undefined,
  inputs: { event: unknown; envVars: ReturnType<typeof readEnvVarsFile> | undefined; debugPort: number | undefined; debugFunction: string | undefined },
  logFd?: number,
): Promise<{ output: string; exitCode: number }> {
  const outcome = await invokeFunction({
    templatePath: values.template,
    functionLogicalId,
    event: inputs.event,
    parameterOverrides: mergedParameterOverrides(values['parameter-overrides']),
    region: values.region,
    envVars: inputs.envVars,
    localDir: values['local-dir'],
    ...(values['tenant-id'] !== undefined ? { tenantId: values['tenant-id'] } : {}),
    ...(inputs.debugPort !== undefined ? { debugPort: inputs.debugPort } : {}),
    ...(inputs.debugFunction !== undefined ? { debugFunction: inputs.debugFunction } : {}),
    ...(logFd !== undefined ? { functionStdout: { fd: logFd } } : {}),
  });
  if (outcome.kind === 'ok') return { output: outcome.payloadJson ?? JSON.stringify(outcome.payload ?? null), exitCode: 0 };
  if (outcome.kind === 'function-error') return { output: JSON.stringify(errorDocument(outcome, outcome.runtime)), exitCode: 1 };
  return { output: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'the invocation did not complete' }), exitCode: 1 };
}
