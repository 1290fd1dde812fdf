/** The local Node.js against the functions' declared Runtime: said once at start, never once per environment. */
import type { FunctionSpec } from '../template/model.js';

/**
 * One warning line when some function declares a nodejsNN.x (or an old nodejsN.NN, such as nodejs8.10) Runtime whose major differs from the local Node
 * (environments run on the Node that runs the emulator); undefined when every Node.js function matches.
 */
export function nodeVersionWarning(functions: Iterable<FunctionSpec>, localVersion: string = process.version): string | undefined {
  const localMajor = /^v?(\d+)\./.exec(localVersion)?.[1];
  const declared = new Map<string, string[]>();
  for (const fn of functions) {
    const major = /^nodejs(\d+)\.(?:x|\d+)$/.exec(fn.runtime)?.[1];
    if (!major || major === localMajor) continue;
    declared.set(fn.runtime, [...(declared.get(fn.runtime) ?? []), fn.logicalId]);
  }
  if (declared.size === 0) return undefined;
  const runtimes = [...declared.entries()].map(([runtime, ids]) => `${runtime} (${ids.length} function${ids.length === 1 ? '' : 's'})`).join(', ');
  return `WARNING: functions declare ${runtimes} but run on the local Node.js ${localVersion}; behaviour that differs between Node.js versions is not emulated`;
}
