/**
 * The workflow's variables (developer guide, "Passing data between states with variables"), one store for JSONPath and
 * JSONata states alike. A state's `Assign` is evaluated against the values the variables had when the state was
 * entered, and all of it takes effect at once when the state ends (its own paths, Output and Assign never see it).
 * The states of a machine's `States` share one scope; each Parallel branch and inline Map iteration runs in a scope of
 * its own that starts with the outer values (read-only: what it assigns stays in it), and a Distributed Map's child
 * workflows see no outer variable at all. A state assigns at most 256 KiB of values.
 */
import { StatesError, type Json } from './json.js';

/** The bytes a state's Assign may hold, its values serialized (the guide: "up to 256 KiB per state"). */
export const MAX_ASSIGN_BYTES = 262_144;

/** The states that take an Assign (the guide's "States that support variables"). */
export const ASSIGNING_STATES = new Set(['Pass', 'Task', 'Map', 'Parallel', 'Choice', 'Wait']);

/** A variable name: a Unicode identifier (ID_Start, then ID_Continue characters), `$states` being reserved. */
const NAME = /^[\p{ID_Start}_][\p{ID_Continue}\u200c\u200d]*$/u;
const MAX_NAME_LENGTH = 80;

/** Why a name cannot be a variable's, or undefined when it can. */
export function variableNameProblem(name: string): string | undefined {
  if (name === 'states') return 'states is reserved ($states is the JSONata states` own)';
  if (!NAME.test(name)) return `${JSON.stringify(name)} is not a variable name (a letter or _, then letters, digits or _)`;
  if (name.length > MAX_NAME_LENGTH) return `a variable name is at most ${MAX_NAME_LENGTH} characters`;
  return undefined;
}

/** The names an Assign field assigns (a JSONPath one's `name.$` keys are `name`). */
export function assignedNames(assign: Json | undefined): string[] {
  if (typeof assign !== 'object' || assign === null || Array.isArray(assign)) return [];
  return Object.keys(assign).map((key) => (key.endsWith('.$') ? key.slice(0, -2) : key));
}

/** One scope's variables: a map of name to value, with what the state that just ended assigned. */
export class Variables extends Map<string, Json> {
  private assigned: Record<string, Json> | undefined;

  /** A Parallel branch's or an inline Map iteration's scope: the outer values, to read; what it assigns stays its own. */
  inner(): Variables {
    return new Variables(this);
  }

  /** A state's Assign, evaluated: checked (the reserved name, the size), then set all at once. */
  assign(values: Record<string, Json>): void {
    if (Object.hasOwn(values, 'states')) throw new StatesError('States.Runtime', 'The variable name states is reserved ($states)');
    const bytes = Object.values(values).reduce<number>((sum, value) => sum + Buffer.byteLength(JSON.stringify(value) ?? 'null'), 0);
    if (bytes > MAX_ASSIGN_BYTES) throw new StatesError('States.DataLimitExceeded', `The Assign field assigns ${bytes} bytes of variables, over the ${MAX_ASSIGN_BYTES} bytes a state may assign`);
    for (const [name, value] of Object.entries(values)) this.set(name, value);
    this.assigned = { ...this.assigned, ...values };
  }

  /** What was assigned since the last call (a StateExited event's assignedVariables), then forgotten. */
  takeAssigned(): Record<string, Json> | undefined {
    const assigned = this.assigned;
    this.assigned = undefined;
    return assigned;
  }
}
