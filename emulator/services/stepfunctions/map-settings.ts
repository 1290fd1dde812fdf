/**
 * A Map state's MaxConcurrency and tolerated failures, given as numbers or read from the input by their `…Path`
 * fields (developer guide, "Map state": MaxConcurrencyPath, ToleratedFailureCountPath, ToleratedFailurePercentagePath).
 */
import { type Json, shown, StatesError } from './json.js';
import { readPath, type VariableValues } from './paths.js';

export interface MapSettings {
  /** Iterations at once; 0 for no limit. */
  maxConcurrency: number;
  toleratedCount?: number;
  toleratedPercent?: number;
}

/** A field's number, or its path's value checked as Step Functions checks it (States.Runtime in its words otherwise). */
function numberOf(state: Record<string, Json>, field: string, kind: 'integer' | 'float', input: Json, context: Json, variables: VariableValues | undefined): number | undefined {
  if (typeof state[field] === 'number') return state[field];
  const path = state[`${field}Path`];
  if (typeof path !== 'string') return undefined;
  const value = readPath(path, input, context, `${field}Path`, variables);
  const valid = typeof value === 'number' && (kind === 'float' || Number.isInteger(value));
  if (!valid) throw new StatesError('States.Runtime', `The ${field}Path field refers to value "${shown(value)}" which is not a valid ${kind}: ${path}`);
  return value;
}

/** The Map state's settings for this input. */
export function mapSettings(state: Record<string, Json>, input: Json, context: Json, variables?: VariableValues): MapSettings {
  const maxConcurrency = numberOf(state, 'MaxConcurrency', 'integer', input, context, variables) ?? 0;
  const toleratedCount = numberOf(state, 'ToleratedFailureCount', 'integer', input, context, variables);
  if (toleratedCount !== undefined && toleratedCount < 0) throw new StatesError('States.Runtime', 'ToleratedFailureCount cannot be negative.');
  const toleratedPercent = numberOf(state, 'ToleratedFailurePercentage', 'float', input, context, variables);
  if (toleratedPercent !== undefined && (toleratedPercent < 0 || toleratedPercent > 100)) throw new StatesError('States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
  return { maxConcurrency: maxConcurrency > 0 ? maxConcurrency : 0, ...(toleratedCount !== undefined ? { toleratedCount } : {}), ...(toleratedPercent !== undefined ? { toleratedPercent } : {}) };
}

/**
 * A Distributed Map's ItemBatcher (developer guide, "ItemBatcher (Map)"): the selected items grouped so that each child
 * gets `{"BatchInput": ..., "Items": [...]}`, at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes of input
 * each (their `…Path` forms read from the state's input; 256 KiB, the payload limit, when no byte limit is set).
 */
export function itemBatches(items: Json[], batcher: Record<string, Json>, input: Json, context: Json, batchInput: Json | undefined, variables?: VariableValues): Json[] {
  const maxItems = numberOf(batcher, 'MaxItemsPerBatch', 'integer', input, context, variables);
  const maxBytes = numberOf(batcher, 'MaxInputBytesPerBatch', 'integer', input, context, variables) ?? 262_144;
  if ((maxItems !== undefined && maxItems < 1) || maxBytes < 1) throw new StatesError('States.Runtime', 'MaxItemsPerBatch and MaxInputBytesPerBatch must be positive integers.');
  const batch = (group: Json[]): Json => ({ ...(batchInput !== undefined ? { BatchInput: batchInput } : {}), Items: group });
  const size = (group: Json[]): number => Buffer.byteLength(JSON.stringify(batch(group)));
  const batches: Json[][] = [];
  let current: Json[] = [];
  for (const item of items) {
    const full = (maxItems !== undefined && current.length >= maxItems) || (current.length > 0 && size([...current, item]) > maxBytes);
    if (full) {
      batches.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) batches.push(current);
  return batches.map(batch);
}
