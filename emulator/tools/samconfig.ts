/**
 * The SAM CLI's configuration file, read as `sam local start-api|start-lambda|invoke` read it: `samconfig.toml` (or
 * `.yaml`, `.yml`; TOML first) in the template's folder (`-t`, else the working directory), or `--config-file`; the `[<env>.<command>.parameters]`
 * table over `[<env>.global.parameters]` (`--config-env`, `default` by default), each value a default that the
 * command line replaces. Documented in the SAM Developer Guide, "AWS SAM CLI configuration file".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './args.js';

/** The file's names in the order the SAM CLI prefers them when several are there. */
const DEFAULT_FILES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'];

/** SAM's names for options that are spelled otherwise here. */
const ALIASES: Record<string, string> = { template_file: 'template' };

/** `--config-file` and `--config-env`, as the SAM CLI's local commands take them. */
export const CONFIG_OPTIONS = {
  'config-file': { type: 'string' },
  'config-env': { type: 'string' },
} as const;

export const CONFIG_USAGE = `  --config-file <file>          SAM CLI config file (default: samconfig.toml, .yaml or .yml in the template's
                                folder): its [<env>.<command>.parameters] and [<env>.global.parameters]
                                values are defaults, the command line's options replace them
  --config-env <name>           its environment (default: default)`;

/** --help needs no config file (one that does not parse must not hide the usage). */
export function isHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** What the file adds to a command line, and what to say about it on stderr. */
export interface ConfigDefaults {
  /** Option tokens to place before the command line's own (node:util parseArgs: a later value wins). */
  argv: string[];
  lines: string[];
}

/** The short form of the options the local commands have one for: given so, the file's value is not used either. */
const SHORT_FLAGS: Record<string, string | undefined> = { template: '-t', event: '-e', 'env-vars': '-n', port: '-p', 'debug-port': '-d' };

interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
}

/** The `--config-file` and `--config-env` the command line gives, if any. */
function configArgs(argv: string[]): { file?: string; env?: string; template?: string; given: Set<string> } {
  const given = new Set<string>();
  let file: string | undefined;
  let env: string | undefined;
  let template: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-')) continue;
    // `-tpath/template.yaml`: a short option with its value attached, as the command line's own parser reads it.
    if (/^-t[^-=]/.test(arg)) {
      template = arg.slice(2);
      continue;
    }
    // `-d9229`: a short option with its value attached is that option given.
    if (/^-[A-Za-z][^-=]/.test(arg)) given.add(arg.slice(0, 2));
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    given.add(flag);
    if (flag === '--config-file') file = inline ?? argv[++i];
    else if (flag === '--config-env') env = inline ?? argv[++i];
    else if (flag === '-t' || flag === '--template') template = inline ?? argv[++i];
  }
  return { ...(file !== undefined ? { file } : {}), ...(env !== undefined ? { env } : {}), ...(template !== undefined ? { template } : {}), given };
}

function readDocument(path: string, label: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${label}: ${code === 'EISDIR' ? 'is a folder, not a config file' : `cannot be read (${code ?? (error as Error).message})`}`);
  }
  try {
    const document = path.endsWith('.toml') ? parseToml(text) : parseYaml(text);
    return document && typeof document === 'object' ? (document as Record<string, unknown>) : {};
  } catch (error) {
    throw new UsageError(`${label}: not valid ${path.endsWith('.toml') ? 'TOML' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

const table = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Option tokens for one value, or why it cannot be one. */
function tokensFor(name: string, value: unknown, spec: OptionSpec): string[] | string {
  const values = Array.isArray(value) ? value : [value];
  if (values.length > 1 && !spec.multiple) return 'a list, where one value is expected';
  if (spec.type === 'boolean') {
    if (typeof values[0] !== 'boolean') return 'not true or false';
    return values[0] ? [`--${name}`] : [];
  }
  if (values.some((v) => typeof v === 'object' || v === undefined)) return 'a table, where a value is expected';
  // --name=value: a value that starts with a dash stays a value.
  return values.map((v) => `--${name}=${String(v)}`);
}

/**
 * The defaults `command` (`local_start_api`, `local_start_lambda`, `local_invoke`) takes from the SAM config file,
 * for the options the command line leaves out. A key of the command's own table that names no option here is said on
 * stderr; a global key that names none is skipped, as the SAM CLI skips it for commands without that option.
 */
export function samConfigDefaults(argv: string[], command: string, options: Record<string, OptionSpec>, cwd = process.cwd()): ConfigDefaults {
  const { file, env = 'default', template, given } = configArgs(argv);
  // The SAM CLI looks beside the template given with -t, with no fallback to the working directory (samcli's
  // get_or_default_template_file_name sets samconfig_dir); without -t the template is the working directory's.
  const folder = template === undefined ? cwd : dirname(resolve(cwd, template));
  // A relative --config-file is the template folder's too, as the SAM CLI joins it (aws-sam-cli issues 3594, 7575).
  const path = file !== undefined ? (isAbsolute(file) ? file : join(folder, file)) : DEFAULT_FILES.map((name) => join(folder, name)).find((p) => existsSync(p));
  if (file !== undefined && !existsSync(path!)) throw new UsageError(`--config-file: ${file} does not exist or could not be read`);
  if (path === undefined) return { argv: [], lines: env === 'default' ? [] : [`sam-local-gateway: --config-env ${env} ignored: no samconfig.toml, .yaml or .yml in ${folder}`] };
  const label = relative(cwd, path);
  const environment = readDocument(path, label)[env];
  if (environment === undefined) return { argv: [], lines: [`sam-local-gateway: ${label} has no [${env}] environment: nothing read from it`] };
  const shortOf = (name: string) => SHORT_FLAGS[name];
  const out: string[] = [];
  const applied: string[] = [];
  const overridden: string[] = [];
  const lines: string[] = [];
  for (const section of ['global', command]) {
    const values = table(table(table(environment)[section]).parameters);
    for (const [key, value] of Object.entries(values)) {
      const name = (ALIASES[key] ?? key).replace(/_/g, '-');
      const where = `${label} [${env}.${section}.parameters] ${key}`;
      if (name === 'config-file' || name === 'config-env') continue;
      const spec = options[name];
      if (!spec) {
        if (section === command) lines.push(`sam-local-gateway: ${where} not applied: no --${name} here`);
        continue;
      }
      // The command's table wins over the global one; the command line over both, whole (a --parameter-overrides
      // given replaces the file's, as in the SAM CLI).
      const short = shortOf(name);
      if (section === 'global' && Object.hasOwn(table(table(table(environment)[command]).parameters), key)) continue;
      if (given.has(`--${name}`) || (short && given.has(short))) {
        overridden.push(key);
        continue;
      }
      const tokens = tokensFor(name, value, spec);
      if (typeof tokens === 'string') {
        lines.push(`sam-local-gateway: ${where} not applied: ${tokens}`);
        continue;
      }
      out.push(...tokens);
      applied.push(`${key}=${Array.isArray(value) ? value.join(',') : String(value)}`);
    }
  }
  // Always said, even when the command line gives every value: the file was read, and what of it was not used.
  const notUsed = overridden.length > 0 ? `${applied.length > 0 ? '; ' : ''}${overridden.join(', ')} given on the command line instead` : '';
  if (applied.length > 0 || overridden.length > 0) lines.unshift(`sam-local-gateway: read ${label} [${env}]: ${applied.join(', ')}${notUsed}`);
  return { argv: out, lines };
}
