/** A tiny `--flag value` / `--switch` parser for the CLI tools; unknown flags are errors, not ignored. */
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';
import { parseParameterOverrides } from '../template/parameters.js';

/** A command line the tool cannot act on: reported with the command's usage, exit code 1, never a stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** The SAM CLI's short forms. */
const SHORT_FLAGS: Record<string, string> = { '-t': '--template', '-e': '--event' };

/**
 * The SAM CLI's `--parameter-overrides A=1 B=2`: the option takes the words after it (click's nargs), not only the
 * first. Here the `Key=Value` words that follow it join its value, space-separated, as the quoted form spells them;
 * a word without `=` (an invoke's function id) is left to be what it is.
 */
export function joinOverrideWords(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    out.push(arg);
    const inline = arg.startsWith('--parameter-overrides=');
    if (arg !== '--parameter-overrides' && !inline) continue;
    if (!inline && i + 1 < argv.length) out.push(argv[++i]!);
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-') && argv[i + 1]!.includes('=')) out[out.length - 1] += ` ${argv[++i]!}`;
  }
  return out;
}

/** Parse argv against the known value flags and switches. */
export function parseArgs(words: string[], valueFlags: string[], switches: string[]): Record<string, string | true> {
  const argv = joinOverrideWords(words);
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const given = argv[i] as string;
    const arg = SHORT_FLAGS[given] ?? given;
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

/**
 * Parse a printing command's arguments (its own `--help` included); usage errors carry the command's usage.
 * Returns undefined when --help was asked for.
 */
export function parseCommand(argv: string[], valueFlags: string[], switches: string[], usage: string): Record<string, string | true> | undefined {
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  try {
    return parseArgs(argv, valueFlags, switches);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, usage);
    throw error;
  }
}

/** The template a command acts on: -t/--template, or template.yaml in the working directory (as `sam` reads it). */
export function templateArg(args: Record<string, string | true>): string {
  return typeof args.template === 'string' ? args.template : 'template.yaml';
}

/** `--parameter-overrides "K=V ..."` (SAM's forms) as template load options: the tools see the stack `start-api` serves. */
export function overridesArg(args: Record<string, string | true>): { parameterOverrides?: Record<string, string> } {
  const text = args['parameter-overrides'];
  if (typeof text !== 'string') return {};
  try {
    return { parameterOverrides: parseParameterOverrides(text) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Repeated `--parameter-overrides` merged in order, later values winning (so `npm run x -- --parameter-overrides` adds to the script's own). */
export function mergedParameterOverrides(texts: string[] | undefined): Record<string, string> | undefined {
  try {
    return texts && texts.length > 0 ? Object.assign({}, ...texts.map((text) => parseParameterOverrides(text))) : undefined;
  } catch (error) {
    // Not Key=Value: a usage error, in one line.
    throw new UsageError((error as Error).message);
  }
}

/** node:util's parseArgs (strict, positionals allowed), its errors turned into usage errors showing `usage`. */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, usage: string) {
  try {
    return parseNodeArgs({ args: joinOverrideWords(argv), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
}
