/**
 * `sam local start-api | start-lambda | invoke -l/--log-file PATH`: the functions' output (their stdout and stderr,
 * with Lambda's START, END and REPORT lines among it) goes to this file instead of the terminal, as the SAM CLI writes
 * both container streams to it (aws-sam-cli invoke_context.py: `open(log_file, "w")` for its stdout and stderr
 * writers); the gateway's own lines (requests, deliveries, what it refuses) stay on the terminal.
 */
import { constants, openSync } from 'node:fs';
import { UsageError } from './args.js';

/** The option for node:util's parseArgs (SAM's short form is -l). */
export const LOG_FILE_OPTION = { 'log-file': { type: 'string', short: 'l' } } as const;

export const LOG_FILE_USAGE = `  -l, --log-file <file>         the functions' output (stdout, stderr, Lambda's START/END/REPORT lines) goes to
                                this file, emptied first, as sam local writes it; the gateway's own lines stay here`;

/**
 * Opens the log file as the SAM CLI does (created, emptied), appending: the functions' processes and the gateway
 * write to it at once, and each write lands at its end rather than over another's.
 */
export function openLogFile(path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  try {
    return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`--log-file ${path}: cannot be written (${why})`);
  }
}
