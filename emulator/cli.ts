#!/usr/bin/env node
/** `sam-local-gateway <command>`: the local API Gateway's command line, shaped like `sam local`. */
import { TemplateError } from './template/model.js';
import { StrictModeError } from './app.js';
import { UsageError } from './tools/args.js';
import { startApi, startLambda } from './tools/start-api.js';
import { keysCommand } from './tools/keys.js';
import { tokenCommand } from './tools/token.js';
import { usageCommand } from './tools/usage.js';
import { generateEventCommand } from './tools/generate-event.js';
import { invokeCommand } from './tools/invoke.js';

/** Commands that print one result on stdout and exit; `start-api` serves until stopped. */
const PRINTING: Record<string, (argv: string[]) => Promise<string>> = {
  keys: keysCommand,
  token: tokenCommand,
  usage: usageCommand,
  'generate-event': generateEventCommand,
};

export const CLI_USAGE = `usage: sam-local-gateway <command> [options]     (sam-local-gateway <command> --help for its options)
  start-api   serve the template's REST and HTTP APIs locally, as API Gateway would
  start-lambda serve the template's functions on the Lambda Invoke API (aws lambda invoke --endpoint-url), as sam local start-lambda
  keys        print each usage plan's local API key value (JSON)
  token       print a Cognito token (or an HS256 admin token) the local authorizers accept
  usage       print the usage-plan usage counted locally, as aws apigateway get-usage does
  invoke      invoke one function once with an event (like sam local invoke, no Docker); stdout is its result
  generate-event apigateway <event>   print an API Gateway event (aws-proxy, http-api-proxy, authorizer, ...)
Options before any command are start-api's: sam-local-gateway --template t.yaml = sam-local-gateway start-api --template t.yaml`;

/** A port the gateway cannot listen on is the user's to change: one line saying so, not a stack trace. */
function listenProblem(error: unknown): string | undefined {
  const { code, address, port } = (error ?? {}) as { code?: string; address?: string; port?: number };
  const where = `${address ?? ''}:${port ?? ''}`;
  if (code === 'EADDRINUSE') return `port ${port} on ${address} is in use (another gateway still running?): stop what holds it, or choose another port with --port (0: any free port)`;
  if (code === 'EACCES') return `not allowed to listen on ${where}: choose a port above 1023 with --port`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: --host must be an address of this machine`;
  return undefined;
}

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '--help' || first === '-h') return void console.log(CLI_USAGE);
    return startApi(argv);
  }
  if (first === 'start-api') return startApi(rest);
  if (first === 'start-lambda') return startLambda(rest);
  if (first === 'invoke') {
    const { output, exitCode } = await invokeCommand(rest);
    // Exit once the result is written (a pipe takes 64 KiB at a time: exiting at once cut the rest off); nothing else
    // is owed, the function's environments and the embedded services are closed already.
    if (output === undefined) process.exit(exitCode);
    process.stdout.write(`${output}\n`, () => process.exit(exitCode));
    return;
  }
  const command = PRINTING[first];
  if (!command) throw new UsageError(`unknown command "${first}"`, CLI_USAGE);
  process.stdout.write(`${await command(rest)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof TemplateError || error instanceof StrictModeError || error instanceof UsageError) {
    console.error(`sam-local-gateway: ${error.message}`);
    if (error instanceof UsageError && error.usage) console.error(`\n${error.usage}`);
  } else if (listenProblem(error)) {
    console.error(`sam-local-gateway: ${listenProblem(error)}`);
  } else {
    console.error('sam-local-gateway: failed:', error);
  }
  process.exit(1);
});
