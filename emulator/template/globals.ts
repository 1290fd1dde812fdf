/** SAM's Globals section merge rules (samtranslator/plugins/globals). */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An intrinsic ({"Ref": ...}, {"Fn::...": ...}) is a value, not a map to merge. */
function isIntrinsic(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0] ?? '').startsWith('Fn::'));
}

/**
 * SAM Globals merge: maps merge key by key (resource wins), lists concatenate (globals first),
 * anything else (scalars, intrinsics, mismatched types) takes the resource's value.
 */
export function mergeGlobals(globalValue: unknown, localValue: unknown): unknown {
  if (localValue === undefined) return globalValue;
  if (globalValue === undefined) return localValue;
  if (Array.isArray(globalValue) && Array.isArray(localValue)) return [...globalValue, ...localValue];
  if (isRecord(globalValue) && isRecord(localValue) && !isIntrinsic(globalValue) && !isIntrinsic(localValue)) {
    const out: Record<string, unknown> = { ...globalValue };
    for (const [k, v] of Object.entries(localValue)) out[k] = mergeGlobals(globalValue[k], v);
    return out;
  }
  return localValue;
}

/** Apply Globals.<section> to one resource's Properties. */
export function applyGlobals(globals: unknown, section: string, properties: Record<string, unknown>): Record<string, unknown> {
  const g = isRecord(globals) ? globals[section] : undefined;
  return isRecord(g) ? (mergeGlobals(g, properties) as Record<string, unknown>) : properties;
}
