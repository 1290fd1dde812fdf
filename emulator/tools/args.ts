/** A tiny `--flag value` / `--switch` parser for the CLI tools; unknown flags are errors, not ignored. */

export class UsageError extends Error {}

/** Parse argv against the known value flags and switches. */
export function parseArgs(argv: string[], valueFlags: string[], switches: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const name = flag.replace(/^--/, '');
    if (switches.includes(name) && inline === undefined) out[name] = true;
    else if (valueFlags.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      out[name] = value;
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return out;
}

/** Run a tool's main: usage and configuration errors go to stderr with exit code 1, never a stack trace on stdout. */
export async function runMain(main: () => Promise<string>, usage: string): Promise<void> {
  try {
    process.stdout.write(`${await main()}\n`);
  } catch (error) {
    const e = error as Error;
    process.stderr.write(`${e.message}\n${error instanceof UsageError ? `\n${usage}\n` : ''}`);
    process.exitCode = 1;
  }
}
