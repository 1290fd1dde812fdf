/**
 * AWS::Serverless::StateMachine and AWS::StepFunctions::StateMachine → StateMachineSpec, run by the embedded Step
 * Functions (services/stepfunctions/). The definition comes from Definition, DefinitionString, or a local
 * DefinitionUri file, with DefinitionSubstitutions applied as CloudFormation and SAM apply them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { StateMachineSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `${Name}` placeholders of DefinitionSubstitutions, replaced in every string of the definition (names absent from the map stay). */
export function substitute(value: unknown, substitutions: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => (Object.hasOwn(substitutions, name) ? substitutions[name]! : whole));
  if (Array.isArray(value)) return value.map((v) => substitute(v, substitutions));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, substitutions) as string, substitute(v, substitutions)]));
  return value;
}

/** The definition text or object a resource declares, or why it cannot be read locally. */
function rawDefinition(stack: Stack, id: string, props: Record<string, unknown>, sam: boolean): { definition: unknown } | { unavailable: string } {
  const key = `Resources.${id}.Properties`;
  if (props.Definition !== undefined) return { definition: stack.resolve(props.Definition, `${key}.Definition`) };
  if (!sam && props.DefinitionString !== undefined) {
    const text = stack.resolve(props.DefinitionString, `${key}.DefinitionString`);
    return { definition: text };
  }
  const uri = sam ? props.DefinitionUri : props.DefinitionS3Location;
  const uriKey = sam ? 'DefinitionUri' : 'DefinitionS3Location';
  if (typeof uri === 'string' && !/^s3:\/\//.test(uri)) {
    const file = resolve(dirname(stack.file), uri);
    if (!existsSync(file)) return { unavailable: `its ${uriKey} ${uri} is not a local file` };
    return { definition: readFileSync(file, 'utf8') };
  }
  if (uri !== undefined) return { unavailable: `its definition is on S3 (${uriKey}) and cannot be read locally` };
  return { unavailable: 'it has no Definition, DefinitionString or DefinitionUri' };
}

/** Parses a definition given as JSON or YAML text (SAM's DefinitionUri files are either). */
function parsed(definition: unknown): { definition: Record<string, unknown> } | { unavailable: string } {
  let value = definition;
  if (typeof definition === 'string') {
    try {
      value = parseYaml(definition);
    } catch (error) {
      return { unavailable: `its definition is not JSON or YAML: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  return isRecord(value) ? { definition: value } : { unavailable: 'its definition is not an object' };
}

/**
 * Settings of a state machine the embedded Step Functions does not apply, with why: SAM's Tracing and Logging,
 * CloudFormation's TracingConfiguration and LoggingConfiguration, named only when they would do something on AWS.
 */
function notApplied(stack: Stack, key: string, props: Record<string, unknown>, sam: boolean): string[] {
  const tracing = stack.resolve(props[sam ? 'Tracing' : 'TracingConfiguration'], `${key}.${sam ? 'Tracing' : 'TracingConfiguration'}`);
  const logging = stack.resolve(props[sam ? 'Logging' : 'LoggingConfiguration'], `${key}.${sam ? 'Logging' : 'LoggingConfiguration'}`);
  const notes: string[] = [];
  if (isRecord(tracing) && String(tracing.Enabled) === 'true') notes.push(`${sam ? 'Tracing' : 'TracingConfiguration'}: X-Ray is not emulated: executions and the tasks they call send no segments`);
  // Level defaults to OFF on AWS: a Logging block without a Level sends nothing there either.
  if (isRecord(logging) && logging.Level !== undefined && String(logging.Level).toUpperCase() !== 'OFF') {
    notes.push(`${sam ? 'Logging' : 'LoggingConfiguration'}: no CloudWatch Logs locally: execution history is not sent to the log group (read it with DescribeExecution and GetExecutionHistory)`);
  }
  return notes;
}

/** Every state machine of the stack, its definition parsed and substituted. */
export function loadStateMachines(stack: Stack): StateMachineSpec[] {
  const machines: StateMachineSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    const sam = res.Type === 'AWS::Serverless::StateMachine';
    if (!sam && res.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const key = `Resources.${id}.Properties`;
    const props = res.Properties;
    const type = String(stack.resolve((sam ? props.Type : props.StateMachineType) ?? 'STANDARD', `${key}.Type`)).toUpperCase() === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
    const skipped = notApplied(stack, key, props, sam);
    // SAM publishes version 1 and points the alias at it (AWS::StepFunctions::StateMachineVersion and ...Alias).
    const alias = sam && props.AutoPublishAlias !== undefined ? stack.resolve(props.AutoPublishAlias, `${key}.AutoPublishAlias`) : undefined;
    const base = { logicalId: id, name: stack.physicalName(id), arn: stack.arn(id, 'Arn'), type, ...(skipped.length > 0 ? { notApplied: skipped } : {}), ...(typeof alias === 'string' && alias !== '' ? { aliases: [alias] } : {}) } as const;
    const raw = rawDefinition(stack, id, props, sam);
    if ('unavailable' in raw) {
      machines.push({ ...base, unavailable: raw.unavailable });
      continue;
    }
    const subs = props.DefinitionSubstitutions === undefined ? {} : stack.resolve(props.DefinitionSubstitutions, `${key}.DefinitionSubstitutions`);
    const substitutions = isRecord(subs) ? Object.fromEntries(Object.entries(subs).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) : {};
    // CloudFormation substitutes in the text (a number placeholder may stand unquoted in JSON); SAM in the parsed strings.
    const text = typeof raw.definition === 'string' ? (substitute(raw.definition, substitutions) as string) : raw.definition;
    const result = parsed(text);
    if ('unavailable' in result) machines.push({ ...base, unavailable: result.unavailable });
    else machines.push({ ...base, definition: substitute(result.definition, substitutions) as Record<string, unknown> });
  }
  return machines;
}
