/**
 * `start-api`: serve a SAM template's REST and HTTP APIs locally, as API Gateway would (`sam local start-api`);
 * `start-lambda`: serve its functions on the Lambda Invoke API (`sam local start-lambda`). Same options, same services.
 */
import { basename } from 'node:path';
import { parseParameterOverrides } from '../template/load.js';
import { batchLine } from '../services/sqs/event-source.js';
import { deliveryLine } from '../services/eventbridge/targets.js';
import { startEmulator, type RunningEmulator } from '../app.js';
import { formatAccessLogLine, formatStartupReport, formatRequestLine } from '../report.js';
import { readEnvVarsFile } from '../lambda/env-vars.js';
import { mergedParameterOverrides, parseOptions, UsageError } from './args.js';
import { ignoredOptionLines, SAM_IGNORED_OPTIONS, SAM_IGNORED_USAGE } from './sam-options.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, isHelp, samConfigDefaults } from './samconfig.js';
import { SSL_OPTIONS, SSL_USAGE, sslFiles } from './ssl-files.js';
import { LOG_FILE_OPTION, LOG_FILE_USAGE, openLogFile } from './log-file.js';
import { DEBUG_OPTIONS, DEBUG_USAGE, debugOptionLines, parseDebug } from './debug-options.js';

const SHARED_USAGE = `  --host <addr>                 bind address (default: 127.0.0.1)
  --parameter-overrides "K=V"   template parameters, as for sam deploy (may be repeated; later values win)
  -n, --env-vars <file.json>    override the functions' declared environment variables, as sam local reads it:
                                {"Parameters": {"NAME": "v"}, "<FunctionLogicalId>": {"NAME": "v"}}
  --warm-containers EAGER|LAZY  EAGER: initialize one environment per function before serving;
                                LAZY (default): on its first request, then kept warm. In every mode a
                                function run from its folder gets a new environment after its code changes
  --import-values "Export=V"    values of other stacks' exports for Fn::ImportValue (same syntax;
                                without one, a placeholder and a startup warning)
  --region <name>               AWS::Region (default: a CDK stack's own, from cdk.out/manifest.json; else us-east-1)
  --data <dir>                  keep DynamoDB data in <dir> across restarts (default: in memory)
  --local-dir <dir>             local API key values, signing keys, secrets (default: $TASK_API_LOCAL_DIR or
                                .local/ next to the template; the token/keys tools read $TASK_API_LOCAL_DIR)
  --watch                       rebuild functions when their sources change
  --no-watch                    do not (the default; it wins over --watch); with --warm-containers, as in the
                                SAM CLI, warm environments also keep the code they loaded after it changes
  --max-concurrency <n>         execution environments per function, a hard cap (default: one per core, and up
                                to 10 for calls that waited 1 s for one)
${DEBUG_USAGE}
  --strict                      refuse to start if anything is not emulated
  --quiet                       no per-request log lines (Lambda's START, END and REPORT lines neither, except
                                in a --log-file), nor the lines saying a function's make or go build started and ended
${LOG_FILE_USAGE}
${CONFIG_USAGE}
  -h, --help
${SAM_IGNORED_USAGE}`;

export const START_API_USAGE = `usage: sam-local-gateway start-api [options]     (npm start -- [options] in the Task API)
  -t, --template <file>         SAM template (default: template.yaml)
  -p, --port <n>                first port (default: $PORT or 3000; 0 = any free port)
${SSL_USAGE}
${SHARED_USAGE}`;

export const START_LAMBDA_USAGE = `usage: sam-local-gateway start-lambda [options]
  Serves the Lambda Invoke API for every function of the template, as sam local start-lambda does:
  aws lambda invoke --endpoint-url http://127.0.0.1:3001 --function-name <LogicalId or FunctionName> out.json
  (any credentials; the template's APIs are not served: start-api serves them)
  -t, --template <file>         SAM template (default: template.yaml)
  -p, --port <n>                port (default: 3001; 0 = any free port)
${SHARED_USAGE}`;

/** What a serving command serves, and its defaults. */
interface ServeCommand {
  usage: string;
  /** Its table in samconfig.toml (`[default.<section>.parameters]`). */
  configSection: string;
  serve: 'apis' | 'lambda';
  /** Its options: start-api's are start-lambda's and --ssl-cert-file/--ssl-key-file, as in the SAM CLI. */
  options: typeof START_API_OPTIONS | typeof SERVE_OPTIONS;
  /** The port when -p is not given (start-api also reads $PORT, as `npm start` does). */
  defaultPort: () => string;
}

const SERVE_OPTIONS = {
  template: { type: 'string', short: 't', default: 'template.yaml' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string', default: '127.0.0.1' },
  'parameter-overrides': { type: 'string', multiple: true },
  'env-vars': { type: 'string', short: 'n' },
  'warm-containers': { type: 'string' },
  'import-values': { type: 'string' },
  region: { type: 'string' },
  data: { type: 'string' },
  'local-dir': { type: 'string' },
  watch: { type: 'boolean', default: false },
  'no-watch': { type: 'boolean', default: false },
  'max-concurrency': { type: 'string' },
  strict: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  ...DEBUG_OPTIONS,
  ...LOG_FILE_OPTION,
  ...CONFIG_OPTIONS,
  help: { type: 'boolean', short: 'h', default: false },
  ...SAM_IGNORED_OPTIONS,
} as const;

const START_API_OPTIONS = { ...SERVE_OPTIONS, ...SSL_OPTIONS } as const;

const START_API: ServeCommand = { usage: START_API_USAGE, configSection: 'local_start_api', serve: 'apis', options: START_API_OPTIONS, defaultPort: () => process.env.PORT ?? '3000' };
const START_LAMBDA: ServeCommand = { usage: START_LAMBDA_USAGE, configSection: 'local_start_lambda', serve: 'lambda', options: SERVE_OPTIONS, defaultPort: () => '3001' };

function parseServe(argv: string[], command: ServeCommand) {
  // samconfig.toml's values first: the command line's own come after and win.
  const config = isHelp(argv) ? { argv: [], lines: [] } : samConfigDefaults(argv, command.configSection, command.options);
  // Typed as start-api's (start-lambda's are a subset, its ssl values then always undefined); parsed with the
  // command's own, so that start-lambda refuses --ssl-cert-file as an unknown option, as sam local start-lambda does.
  const { values, positionals } = parseOptions([...config.argv, ...argv], command.options as typeof START_API_OPTIONS, command.usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`, command.usage);
  const portText = values.port ?? command.defaultPort();
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port number: ${portText}`);
  const concurrencyText = values['max-concurrency'];
  const maxConcurrency = concurrencyText === undefined ? undefined : Number(concurrencyText);
  if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)) {
    throw new UsageError(`--max-concurrency: not a positive whole number: ${concurrencyText}`);
  }
  const warm = values['warm-containers']?.toUpperCase();
  if (warm !== undefined && warm !== 'EAGER' && warm !== 'LAZY') throw new UsageError(`--warm-containers: EAGER or LAZY, not ${values['warm-containers']}`, command.usage);
  const debugRequest = parseDebug(values, command.usage);
  return { ...values, port, maxConcurrency, warmContainers: warm as 'EAGER' | 'LAZY' | undefined, debugRequest, configLines: config.lines };
}

/**
 * Whether edited functions get new environments: SAM's warm containers watch the code unless --no-watch; without them
 * it starts a container per invocation, so --no-watch changes nothing there (aws-sam-cli invoke_context.py warns so).
 */
export function watchesCode(noWatch: boolean, warmContainers: 'EAGER' | 'LAZY' | undefined): boolean {
  return !(noWatch && warmContainers);
}

/** The changed files' names for the reload line, the first three of a burst. */
function changedNames(files: string[]): string {
  const names = files.map((f) => basename(f));
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** Whether a bind address is this machine's alone (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * The stderr warning for a bind address other hosts can reach: the local services are meant for this machine only
 * (the SAM CLI binds where told without a word). Undefined on loopback.
 */
export function networkExposure(host: string, serve: 'apis' | 'lambda'): string | undefined {
  if (isLoopback(host)) return undefined;
  const what =
    serve === 'lambda'
      ? "the Lambda Invoke API: anyone who can reach this machine can invoke the template's functions (any credentials are taken)"
      : "the template's APIs and their /docs pages: anyone who can reach this machine can call them";
  return `sam-local-gateway: warning: --host ${host} is not a loopback address; it exposes ${what}. Use --host 127.0.0.1 to keep them on this machine.`;
}

/** How often the CLI checks that the process that started it (npm, a shell, a supervisor) is still there. */
const PARENT_CHECK_MS = 500;

/** `start-api`: the template's APIs, until SIGINT or SIGTERM (or, under npm, until npm goes away); resolves once serving. */
export function startApi(argv: string[]): Promise<void> {
  return serveUntilStopped(argv, START_API);
}

/** `start-lambda`: the Lambda Invoke API for the template's functions, until stopped; resolves once serving. */
export function startLambda(argv: string[]): Promise<void> {
  return serveUntilStopped(argv, START_LAMBDA);
}

async function serveUntilStopped(argv: string[], command: ServeCommand): Promise<void> {
  const args = parseServe(argv, command);
  if (args.help) {
    console.log(command.usage);
    return;
  }
  for (const line of [...args.configLines, ...ignoredOptionLines(args), ...debugOptionLines(args)]) console.error(line);
  const exposed = networkExposure(args.host, command.serve);
  if (exposed) console.error(exposed);
  // Read and checked before anything starts: a wrong file is a usage error, not a port that fails every handshake.
  const tls = sslFiles(args['ssl-cert-file'], args['ssl-key-file'], command.usage);
  const logFd = openLogFile(args['log-file']);
  const started = performance.now();
  const emulator: RunningEmulator = await startEmulator({
    templatePath: args.template,
    port: args.port,
    host: args.host,
    // Repeatable, so that `npm run start:http -- --parameter-overrides K=V` keeps the script's own ApiType=HTTP.
    parameterOverrides: mergedParameterOverrides(args['parameter-overrides']),
    importValues: args['import-values'] ? parseParameterOverrides(args['import-values'], '--import-values') : undefined,
    region: args.region,
    dataDir: args.data,
    localDir: args['local-dir'],
    strict: args.strict,
    // The SAM CLI's --no-watch (aws-sam-cli PR 8196) turns watching off; here that is the default, and it wins.
    watch: args.watch && !args['no-watch'],
    codeWatch: watchesCode(args['no-watch'], args.warmContainers),
    maxConcurrency: args.maxConcurrency,
    envVars: args['env-vars'] ? readEnvVarsFile(args['env-vars']) : undefined,
    warmContainers: args.warmContainers,
    ...(args.debugRequest ? { debug: args.debugRequest } : {}),
    serve: command.serve,
    ...(tls ? { tls } : {}),
    ...(logFd !== undefined ? { functionLogFd: logFd } : {}),
    onRequest: args.quiet
      ? undefined
      : (entry) => {
          console.log(formatRequestLine(entry));
          if (entry.accessLog) console.log(formatAccessLogLine(entry.accessLog));
        },
    onReload: (id, files) => console.log(files ? `${id}: ${changedNames(files)} changed; new environment from this request` : `rebuilt ${id}; warm environments replaced`),
    // Each batch an SQS event source hands a function, beside the request lines.
    onQueueBatch: args.quiet ? () => undefined : (report) => console.log(batchLine(report)),
    onEventDelivery: args.quiet ? () => undefined : (report) => console.log(deliveryLine(report)),
    // A makefile build's start and end, on stderr with the other notices; --quiet keeps them off the terminal.
    ...(args.quiet ? { onBuildProgress: () => undefined } : {}),
    // --quiet keeps the terminal quiet; a log file still gets Lambda's lines among the functions' own.
    ...(args.quiet && logFd === undefined ? { platformLog: () => undefined } : {}),
  });
  console.log(formatStartupReport(emulator, performance.now() - started));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('error while shutting down:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Only under npm (which sets npm_lifecycle_event): started any other way, the gateway may outlive its parent.
  if (process.env.npm_lifecycle_event) exitWithParent(stop);
}

/**
 * IDEs and supervisors stop `npm start` with SIGTERM to npm, which dies without passing it on: the gateway
 * would keep its port. So it also stops when its parent goes away (it is re-parented: its ppid changes).
 */
function exitWithParent(stop: (why: string) => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) stop(`parent process ${parent} exited`);
  }, PARENT_CHECK_MS);
  timer.unref();
}
