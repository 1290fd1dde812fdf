/**
 * `--env-vars env.json`, as `sam local start-api|invoke` read it: `{"Parameters": {...}}` for every function and
 * `{"<LogicalId or FunctionName>": {...}}` for one, the function's own entry winning over Parameters; a file that is
 * not JSON is read as a .env file whose variables go to every function (as `Parameters`, which the SAM CLI does
 * too). As in SAM, only variables the template declares in the function's Environment are overridden; every other
 * entry is reported as ignored, never dropped silently.
 */
import { readFileSync } from 'node:fs';
import type { FunctionSpec } from '../template/model.js';
import { ENVIRONMENT_LIMIT_BYTES, environmentBytesOverLimit } from '../template/functions.js';
import { TemplateError } from '../template/model.js';

export type EnvVarsFile = Record<string, Record<string, string>>;

/** SAM's key for values given to every function. */
const EVERY_FUNCTION = 'Parameters';

/** Unquoted, 'single' (literal) or "double" (backslash escapes n, r, t, ", backslash) .env values; an unquoted value ends at " #". */
function dotenvValue(raw: string): string {
  const quoted = /^(['"])([\s\S]*)\1\s*(?:#.*)?$/.exec(raw);
  if (!quoted) return raw.replace(/\s+#.*$/, '').trim();
  if (quoted[1] === "'") return quoted[2]!;
  return quoted[2]!.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

/** `NAME=value` lines (`export ` allowed, `#` comments, blank lines), as the SAM CLI reads a .env file; none is an error. */
function readDotenv(path: string, text: string): EnvVarsFile {
  const variables: Record<string, string> = {};
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const pair = /^(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!pair) throw new TemplateError(path, `line ${index + 1}`, 'neither JSON nor a .env line (NAME=value)');
    const value = dotenvValue(pair[2]!);
    if (value.includes('\0')) throw new TemplateError(path, `line ${index + 1}`, 'contains a NUL character, which no environment variable can hold');
    variables[pair[1]!] = value;
  }
  if (Object.keys(variables).length === 0) throw new TemplateError(path, '(file)', 'not in valid JSON or .env format (no NAME=value line)');
  return { [EVERY_FUNCTION]: variables };
}

/** Read and check an env-vars file: an object of objects whose values are strings (numbers and booleans as text), or a .env file. */
export function readEnvVarsFile(path: string): EnvVarsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TemplateError(path, '(file)', code === 'ENOENT' ? 'not found' : (error as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Text that opens as JSON is a broken JSON file, not a .env one: say what JSON refused.
    if (!/^\s*[{[]/.test(text)) return readDotenv(path, text);
    throw new TemplateError(path, '(file)', `not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new TemplateError(path, '(file)', 'must be a JSON object of {"FunctionLogicalId" or "Parameters": {"NAME": "value"}}');
  const file: EnvVarsFile = {};
  for (const [target, variables] of Object.entries(parsed)) {
    if (!isObject(variables)) throw new TemplateError(path, target, 'must be an object of variable names to values');
    file[target] = {};
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new TemplateError(path, `${target}.${name}`, 'must be a string, number or boolean');
      // No process can be given a NUL in its environment: refused here rather than failing every invocation.
      if (String(value).includes('\0')) throw new TemplateError(path, `${target}.${name}`, 'contains a NUL character, which no environment variable can hold');
      (file[target] as Record<string, string>)[name] = String(value);
    }
  }
  return file;
}

/**
 * The functions with their declared variables overridden; one note per function whose values changed, and one per entry
 * that changed nothing. `tables` are the local tables' names: a variable that held one and is given a name no local
 * table has is said to fail (sam init's web template asks for env.json's `"SAMPLE_TABLE": "SampleTable"`, a table
 * of DynamoDB Local; the embedded DynamoDB has `local-SampleTable`, and every call answers ResourceNotFoundException).
 */
export function applyEnvVars(functions: ReadonlyMap<string, FunctionSpec>, file: EnvVarsFile, tables: readonly string[] = []): { functions: Map<string, FunctionSpec>; notes: string[] } {
  const notes: string[] = [];
  const out = new Map<string, FunctionSpec>();
  const known = new Set([EVERY_FUNCTION]);
  for (const [id, spec] of functions) {
    known.add(id).add(spec.functionName);
    const given = { ...file[EVERY_FUNCTION], ...(spec.functionName !== id ? file[spec.functionName] : {}), ...file[id] };
    const environment = { ...spec.environment };
    const changed: string[] = [];
    const fromEnvVars: string[] = [];
    for (const [name, value] of Object.entries(given)) {
      if (!Object.hasOwn(environment, name)) continue;
      if (environment[name] !== value) changed.push(name);
      environment[name] = value;
      fromEnvVars.push(name);
    }
    // Said, not only done: a file that swaps a table's name for a deployed one makes every request fail otherwise unexplained.
    if (changed.length > 0) notes.push(`--env-vars: ${id} gets ${changed.join(', ')} from the file, over the template's value${changed.length > 1 ? 's' : ''}`);
    for (const name of changed) {
      const was = spec.environment[name] as string;
      if (tables.includes(was) && !tables.includes(environment[name] as string)) {
        notes.push(`--env-vars: ${id}'s ${name} was the local table ${was}; the file's ${JSON.stringify(environment[name])} names no local table, so its calls with it answer ResourceNotFoundException (leave it out of the file to use the template's table)`);
      }
    }
    const oversized = changed.length > 0 ? environmentBytesOverLimit(environment) : undefined;
    if (oversized) notes.push(`--env-vars: ${id}'s variables take ${oversized} bytes, over the ${ENVIRONMENT_LIMIT_BYTES} Lambda allows for a function's environment: Lambda would refuse them; here they are set as given`);
    out.set(id, fromEnvVars.length > 0 ? { ...spec, environment, fromEnvVars } : { ...spec, environment });
  }
  for (const [target, variables] of Object.entries(file)) {
    if (!known.has(target)) {
      notes.push(`--env-vars ${target}: ignored, no function with this logical id or FunctionName`);
      continue;
    }
    const targets = target === EVERY_FUNCTION ? [...functions.values()] : [...functions.values()].filter((f) => f.logicalId === target || f.functionName === target);
    for (const name of Object.keys(variables)) {
      if (!targets.some((f) => Object.hasOwn(f.environment, name))) notes.push(`--env-vars ${target}.${name}: ignored, not declared in ${target === EVERY_FUNCTION ? 'any function' : 'the function'}'s Environment.Variables (sam local overrides declared variables only)`);
    }
  }
  return { functions: out, notes };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
