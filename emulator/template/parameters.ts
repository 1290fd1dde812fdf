/** Template Parameters: defaults, overrides (sam --parameter-overrides) and AllowedValues, as CloudFormation applies them. */
import { TemplateError } from './model.js';
import { UNRESOLVED_PREFIX } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parse SAM CLI's `--parameter-overrides` string form: `Key=Value Key2="Value with spaces"`,
 * also the `ParameterKey=K,ParameterValue=V` form SAM accepts.
 */
export function parseParameterOverrides(text: string, flag = '--parameter-overrides'): Record<string, string> {
  const out: Record<string, string> = {};
  const tokens = text.match(/(?:[^\s"']+|"(?:\\.|[^"\\])*"|'[^']*')+/g) ?? [];
  for (const token of tokens) {
    const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/s.exec(token);
    const [k, v] = long ? [long[1], long[2]] : splitOnce(token);
    if (!k || v === undefined) throw new Error(`${flag}: "${token}" is not Key=Value`);
    out[k] = unquote(v);
  }
  return out;
}

function splitOnce(token: string): [string | undefined, string | undefined] {
  const i = token.indexOf('=');
  return i < 0 ? [token, undefined] : [token.slice(0, i), token.slice(i + 1)];
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) {
    return v.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return v;
}

/**
 * Resolve the Parameters section: overrides win over Default; List types become string arrays. `givenBy` names where a
 * nested stack's values come from (its parent's resource Parameters), which CloudFormation holds to the template.
 */
export function resolveParameters(
  section: unknown,
  overrides: Record<string, string>,
  file: string,
  warnings: string[] = [],
  givenBy?: string,
): Record<string, string | string[]> {
  const declared = isRecord(section) ? section : {};
  // SAM CLI, `sam deploy` and `aws cloudformation deploy` drop an override the template does not declare: a
  // samconfig.toml shared by several templates is the usual cause. Said once at start, then ignored. A nested stack's
  // parameters are CreateStack's own, which refuses one its template lacks.
  for (const name of Object.keys(overrides)) {
    if (name in declared) continue;
    warnings.push(
      givenBy === undefined
        ? `Parameters.${name}: --parameter-overrides names a parameter the template does not declare; ignored, as SAM CLI and CloudFormation deploy ignore it`
        : `Parameters.${name}: ${givenBy} names a parameter this template does not declare, so CloudFormation fails the nested stack ("Parameters: [${name}] do not exist in the template"); ignored locally`,
    );
  }
  const out: Record<string, string | string[]> = {};
  for (const [name, decl] of Object.entries(declared)) {
    const d = isRecord(decl) ? decl : {};
    const key = `Parameters.${name}`;
    const type = typeof d.Type === 'string' ? d.Type : 'String';
    // CloudFormation reads an SSM-typed parameter's value from Parameter Store: its Default is the SSM name.
    if (type.startsWith('AWS::SSM::Parameter::Value<') && overrides[name] === undefined) {
      const placeholder = `${UNRESOLVED_PREFIX}SSM${String(d.Default ?? '')}`;
      warnings.push(`${key}: its value is read from SSM Parameter Store in AWS; locally it is "${placeholder}" (give it with --parameter-overrides "${name}=<value>")`);
      out[name] = type.includes('<List<') ? [placeholder] : placeholder;
      continue;
    }
    const given = overrides[name] ?? (d.Default === undefined ? undefined : stringify(d.Default));
    if (given === undefined) {
      out[name] = splitList(placeholderFor(name, d, type, key, warnings, givenBy), type);
      continue;
    }
    const raw = standInChecked(d, type, given, file, key, warnings);
    out[name] = splitList(raw, type);
  }
  return out;
}

/** CloudFormation's checks of a parameter's value: AllowedValues, AllowedPattern and the type's constraints. */
function checkValue(d: Record<string, unknown>, type: string, raw: string, file: string, key: string): void {
  const allowed = Array.isArray(d.AllowedValues) ? d.AllowedValues.map(stringify) : undefined;
  if (allowed && !allowed.includes(raw)) {
    throw new TemplateError(file, key, `value "${raw}" is not one of AllowedValues [${allowed.join(', ')}]`);
  }
  if (d.AllowedPattern !== undefined && !new RegExp(`^(?:${String(d.AllowedPattern)})$`).test(raw)) {
    throw new TemplateError(file, key, `value "${raw}" does not match AllowedPattern ${String(d.AllowedPattern)}`);
  }
  checkConstraints(d, type, raw, file, key);
}

/**
 * The value checked; a stand-in for a value only AWS resolves (a parent stack's SSM-typed parameter handed down)
 * that the checks refuse gives way to the value the parameter takes without it (its Default, else its first
 * AllowedValue), said in the start report: on AWS the resolved value is checked, and locally it is not known.
 */
function standInChecked(d: Record<string, unknown>, type: string, raw: string, file: string, key: string, warnings: string[]): string {
  try {
    checkValue(d, type, raw, file, key);
    return raw;
  } catch (error) {
    if (!raw.startsWith(UNRESOLVED_PREFIX) || !(error instanceof TemplateError)) throw error;
    const allowed = Array.isArray(d.AllowedValues) ? d.AllowedValues.map(stringify) : [];
    const value = d.Default === undefined ? allowed[0] : stringify(d.Default);
    if (value === undefined) throw error;
    checkValue(d, type, value, file, key);
    warnings.push(`${key}: given "${raw}", a value only AWS resolves; locally it is "${value}", its ${d.Default === undefined ? 'first AllowedValue' : 'Default'} (give the value with --parameter-overrides)`);
    return value;
  }
}

const isNumber = (text: string): boolean => text.trim() !== '' && Number.isFinite(Number(text));

/** CloudFormation's checks of a value against its parameter's Type (Number, List<Number>) and Min/Max constraints. */
function checkConstraints(d: Record<string, unknown>, type: string, raw: string, file: string, key: string): void {
  const name = key.slice('Parameters.'.length);
  if (type === 'Number' && !isNumber(raw)) throw new TemplateError(file, key, `Parameter '${name}' must be a number (value "${raw}"), as CloudFormation refuses it`);
  if (type === 'List<Number>' && !raw.split(',').every(isNumber)) throw new TemplateError(file, key, `Parameter '${name}' must be a list of numbers (value "${raw}"), as CloudFormation refuses it`);
  const bound = (prop: string) => (d[prop] === undefined ? undefined : Number(d[prop]));
  const [minValue, maxValue, minLength, maxLength] = ['MinValue', 'MaxValue', 'MinLength', 'MaxLength'].map(bound);
  const broken =
    (type === 'Number' && minValue !== undefined && Number(raw) < minValue ? `is less than MinValue ${minValue}` : undefined) ??
    (type === 'Number' && maxValue !== undefined && Number(raw) > maxValue ? `is greater than MaxValue ${maxValue}` : undefined) ??
    (type === 'String' && minLength !== undefined && raw.length < minLength ? `is shorter than MinLength ${minLength}` : undefined) ??
    (type === 'String' && maxLength !== undefined && raw.length > maxLength ? `is longer than MaxLength ${maxLength}` : undefined);
  if (broken) throw new TemplateError(file, key, `value "${raw}" ${broken}${typeof d.ConstraintDescription === 'string' ? ` (${d.ConstraintDescription})` : ''}`);
}

/** List-typed parameters are string arrays (comma-separated in the override or Default). */
function splitList(raw: string, type: string): string | string[] {
  return type === 'CommaDelimitedList' || type.startsWith('List<') || type.includes('<List<') ? raw.split(',').map((s) => s.trim()) : raw;
}

/**
 * A parameter with no Default and no override: CloudFormation would ask for it, `sam local` starts anyway. The local
 * gateway starts too, with a value that satisfies the declaration (the first AllowedValue, 0 for a Number, else a
 * marked placeholder), and says so once, naming the flag that gives the real value; a nested stack's comes from its
 * parent's resource only (the root's --parameter-overrides are the root's), and CloudFormation fails the stack without it.
 */
function placeholderFor(name: string, d: Record<string, unknown>, type: string, key: string, warnings: string[], givenBy?: string): string {
  const allowed = Array.isArray(d.AllowedValues) ? d.AllowedValues.map(stringify) : [];
  const value = allowed[0] ?? (type === 'Number' || type === 'List<Number>' ? numberWithin(d) : `${UNRESOLVED_PREFIX}Parameter/${name}`);
  warnings.push(
    givenBy === undefined
      ? `${key}: no Default and no --parameter-overrides value; locally it is "${value}" (give it with --parameter-overrides "${name}=<value>")`
      : `${key}: no Default and not given by ${givenBy}, so CloudFormation fails the nested stack ("Parameters: [${name}] must have values"); locally it is "${value}" (give it there: --parameter-overrides sets the root stack's parameters only)`,
  );
  return value;
}

/**
 * 0, or the bound it breaks: a Number parameter with MinValue 128 (a MemorySize) given 0 ran its function with 0 MB,
 * killed at once, where any value CloudFormation takes is at least the bound.
 */
function numberWithin(d: Record<string, unknown>): string {
  const min = d.MinValue === undefined ? NaN : Number(d.MinValue);
  const max = d.MaxValue === undefined ? NaN : Number(d.MaxValue);
  if (Number.isFinite(min) && min > 0) return String(min);
  if (Number.isFinite(max) && max < 0) return String(max);
  return '0';
}

function stringify(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join(',') : String(v);
}
