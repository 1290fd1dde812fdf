/**
 * An Amazon States Language definition checked as CreateStateMachine checks it (what AWS refuses with
 * InvalidDefinition), and what of it the local interpreter does not run: JSONata, distributed Map's readers and
 * writers, Activities, service integrations it does not serve.
 */
import type { Json } from './json.js';
import { choiceRuleProblems } from './choice.js';
import { taskResourceSupport } from './task-resources.js';
import { itemReaderGap } from './item-reader.js';
import { ASSIGNING_STATES, assignedNames, variableNameProblem } from './variables.js';

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const STATE_TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

export interface DefinitionReport {
  /** What CreateStateMachine would refuse (the stack would fail to deploy). */
  problems: string[];
  /** What the definition uses and the local interpreter does not run (an execution reaching it fails). */
  notEmulated: string[];
}

/** The states of a Map state's processor: ItemProcessor, or the older Iterator. */
export function mapProcessor(state: Record<string, Json>): Record<string, Json> | undefined {
  const processor = state.ItemProcessor ?? state.Iterator;
  return isRecord(processor) ? processor : undefined;
}

/** Checks a definition (its nested Parallel branches and Map processors included). */
export function checkDefinition(definition: Record<string, unknown>): DefinitionReport {
  const report: DefinitionReport = { problems: [], notEmulated: [] };
  checkMachine(definition as Record<string, Json>, '', report, definition.QueryLanguage === 'JSONata', new Set());
  return report;
}

/** Where a state's Assign fields are: its own, a Choice's rules', its Catchers'. */
function assignFields(state: Record<string, Json>, where: string): { field: Json; at: string }[] {
  const fields: { field: Json | undefined; at: string }[] = [{ field: state.Assign, at: `${where}.Assign` }];
  for (const [i, rule] of (Array.isArray(state.Choices) ? state.Choices : []).entries()) if (isRecord(rule)) fields.push({ field: rule.Assign, at: `${where}.Choices[${i}].Assign` });
  for (const [i, c] of (Array.isArray(state.Catch) ? state.Catch : []).entries()) if (isRecord(c)) fields.push({ field: c.Assign, at: `${where}.Catch[${i}].Assign` });
  return fields.filter((f): f is { field: Json; at: string } => f.field !== undefined);
}

/**
 * `jsonata`: the machine's query language (a state's own QueryLanguage wins for that state). `outer`: the variables
 * the scopes around this one assign (developer guide, "Passing data between states with variables": a variable a
 * Parallel branch or Map iteration assigns cannot have the name of one an outer scope assigns).
 */
function checkMachine(machine: Record<string, Json>, at: string, report: DefinitionReport, jsonata: boolean, outer: ReadonlySet<string>): void {
  const states = machine.States;
  if (!isRecord(states) || Object.keys(states).length === 0) {
    report.problems.push(`${at}States: is required and must name at least one state`);
    return;
  }
  const scope = new Set(outer);
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    for (const { field, at: where } of assignFields(state, `${at}States.${name}`)) {
      if (!isRecord(field)) {
        report.problems.push(`${where}: must be an object`);
        continue;
      }
      for (const variable of assignedNames(field)) {
        const problem = variableNameProblem(variable);
        if (problem) report.problems.push(`${where}: ${problem}`);
        else if (outer.has(variable)) report.problems.push(`${where}: ${variable} is assigned in an outer scope too, which a Parallel branch or Map iteration cannot assign`);
        scope.add(variable);
      }
    }
  }
  if (typeof machine.StartAt !== 'string') report.problems.push(`${at}StartAt: is required`);
  else if (!Object.hasOwn(states, machine.StartAt)) report.problems.push(`${at}StartAt: names ${JSON.stringify(machine.StartAt)}, which is not a state`);
  for (const [name, state] of Object.entries(states)) {
    const where = `${at}States.${name}`;
    if (name.length > 80) report.problems.push(`${where}: a state name is at most 80 characters`);
    if (!isRecord(state)) {
      report.problems.push(`${where}: must be an object`);
      continue;
    }
    checkState(state, states, where, report, state.QueryLanguage === undefined ? jsonata : state.QueryLanguage === 'JSONata', scope);
  }
}

function checkNext(target: Json | undefined, states: Record<string, Json>, where: string, report: DefinitionReport): void {
  if (typeof target !== 'string') report.problems.push(`${where}: must name a state`);
  else if (!Object.hasOwn(states, target)) report.problems.push(`${where}: names ${JSON.stringify(target)}, which is not a state`);
}

/** The spec's rule for Retriers and Catchers: States.ALL alone in its ErrorEquals, and in the last one. */
function checkErrorEquals(handlers: Json, where: string, report: DefinitionReport): void {
  const list = Array.isArray(handlers) ? handlers : [];
  for (const [i, handler] of list.entries()) {
    const names = isRecord(handler) && Array.isArray(handler.ErrorEquals) ? handler.ErrorEquals : undefined;
    if (!names || names.length === 0) {
      report.problems.push(`${where}[${i}].ErrorEquals: is required and must name at least one error`);
      continue;
    }
    if (names.includes('States.ALL') && (names.length > 1 || i !== list.length - 1)) report.problems.push(`${where}[${i}].ErrorEquals: States.ALL must appear alone, in the last one`);
  }
}

/** `scope`: the variables this state's machine and the scopes around it assign. */
function checkState(state: Record<string, Json>, states: Record<string, Json>, where: string, report: DefinitionReport, jsonata: boolean, scope: ReadonlySet<string>): void {
  const type = state.Type;
  if (typeof type !== 'string' || !STATE_TYPES.has(type)) {
    report.problems.push(`${where}.Type: ${JSON.stringify(type)} is not a state type (${[...STATE_TYPES].join(', ')})`);
    return;
  }
  if (state.Assign !== undefined && !ASSIGNING_STATES.has(type)) report.problems.push(`${where}.Assign: only ${[...ASSIGNING_STATES].join(', ')} states may have one`);
  const terminal = type === 'Succeed' || type === 'Fail' || type === 'Choice';
  if (!terminal) {
    if (state.End === true && state.Next !== undefined) report.problems.push(`${where}: has both Next and End`);
    else if (state.End !== true) checkNext(state.Next, states, `${where}.Next`, report);
  }
  for (const [i, c] of (Array.isArray(state.Catch) ? state.Catch : []).entries()) {
    if (isRecord(c)) checkNext(c.Next, states, `${where}.Catch[${i}].Next`, report);
  }
  const handles = type === 'Task' || type === 'Parallel' || type === 'Map';
  for (const field of ['Retry', 'Catch']) {
    if (state[field] === undefined) continue;
    if (!handles) report.problems.push(`${where}.${field}: only Task, Parallel and Map states may have one`);
    else checkErrorEquals(state[field], `${where}.${field}`, report);
  }
  if (state.TimeoutSeconds !== undefined && state.TimeoutSecondsPath !== undefined) report.problems.push(`${where}: TimeoutSeconds and TimeoutSecondsPath are exclusive`);
  if (state.HeartbeatSeconds !== undefined && state.HeartbeatSecondsPath !== undefined) report.problems.push(`${where}: HeartbeatSeconds and HeartbeatSecondsPath are exclusive`);
  if (typeof state.HeartbeatSeconds === 'number' && typeof state.TimeoutSeconds === 'number' && state.HeartbeatSeconds >= state.TimeoutSeconds) {
    report.problems.push(`${where}.HeartbeatSeconds: must be smaller than TimeoutSeconds`);
  }
  if (type === 'Choice') {
    const choices = Array.isArray(state.Choices) ? state.Choices : [];
    if (choices.length === 0) report.problems.push(`${where}.Choices: at least one rule is required`);
    for (const [i, rule] of choices.entries()) {
      if (!isRecord(rule)) continue;
      checkNext(rule.Next, states, `${where}.Choices[${i}].Next`, report);
      // A JSONata rule is one Condition expression (`{% ... %}`), not JSONPath's Variable and operator.
      if (jsonata) {
        if (typeof rule.Condition !== 'string') report.problems.push(`${where}.Choices[${i}]: a JSONata rule needs a Condition`);
        continue;
      }
      const { Next: _next, Comment: _comment, ...condition } = rule;
      for (const problem of choiceRuleProblems(condition)) report.problems.push(`${where}.Choices[${i}]: ${problem}`);
    }
    if (state.Default !== undefined) checkNext(state.Default, states, `${where}.Default`, report);
  }
  if (type === 'Parallel') {
    const branches = Array.isArray(state.Branches) ? state.Branches : [];
    if (branches.length === 0) report.problems.push(`${where}.Branches: at least one branch is required`);
    for (const [i, branch] of branches.entries()) if (isRecord(branch)) checkMachine(branch, `${where}.Branches[${i}].`, report, jsonata, scope);
  }
  if (type === 'Map') {
    const processor = mapProcessor(state);
    if (!processor) report.problems.push(`${where}: ItemProcessor (or Iterator) is required`);
    else checkMachine(processor, `${where}.ItemProcessor.`, report, jsonata, scope);
    const readerGap = state.ItemReader === undefined ? undefined : itemReaderGap(state.ItemReader);
    if (readerGap) report.notEmulated.push(`${where}.ItemReader: ${readerGap}`);
    if (state.ResultWriter !== undefined) report.notEmulated.push(`${where}.ResultWriter: a distributed Map's results are not written to S3 locally (they are its output)`);
  }
  if (type === 'Task') {
    if (typeof state.Resource !== 'string') report.problems.push(`${where}.Resource: is required`);
    else {
      const support = taskResourceSupport(state.Resource);
      if (support) report.notEmulated.push(`${where}.Resource ${state.Resource}: ${support}`);
    }
  }
  if (type === 'Wait') {
    const ways = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((k) => state[k] !== undefined);
    if (ways.length !== 1) report.problems.push(`${where}: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath is required`);
  }
  if (type === 'Fail') {
    if (state.Error !== undefined && state.ErrorPath !== undefined) report.problems.push(`${where}: Error and ErrorPath are exclusive`);
    if (state.Cause !== undefined && state.CausePath !== undefined) report.problems.push(`${where}: Cause and CausePath are exclusive`);
  }
}
