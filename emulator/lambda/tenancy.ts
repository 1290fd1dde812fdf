/**
 * Lambda's tenant isolation mode (TenancyConfig PER_TENANT, Lambda Developer Guide "Tenant isolation"): an invocation
 * names its tenant (Invoke's X-Amz-Tenant-Id), runs only in environments of that tenant, and the function reads the
 * tenant from its context.
 */
import type { FunctionSpec } from '../template/model.js';
import type { FunctionPool } from './pool.js';
import type { InvokeFunctionError } from './types.js';

/**
 * Tenants whose environments are kept at once per function; past it the least recently used tenant with no
 * invocation under way loses its environments (its next invocation is a cold start, as after Lambda reclaims them).
 * Each environment is a process here, where Lambda keeps up to 2,500 per 1,000 of concurrency.
 */
export const MAX_TENANT_POOLS = 8;

/**
 * Lambda refuses (InvalidParameterValueException) a tenant-isolated function's invocation without a tenant id, and any
 * other function's invocation with one (Lambda Developer Guide, "Troubleshooting tenant isolation"). Undefined when
 * the invocation fits the function. The messages are the emulator's own words: Lambda's are not documented.
 */
export function tenancyRefusal(spec: Pick<FunctionSpec, 'functionName' | 'tenantIsolation'>, tenantId: string | undefined): InvokeFunctionError | undefined {
  let errorMessage: string | undefined;
  if (spec.tenantIsolation && (tenantId === undefined || tenantId === '')) {
    errorMessage = `Function ${spec.functionName} has tenant isolation mode PER_TENANT: every invocation must name a tenant (X-Amz-Tenant-Id)`;
  } else if (!spec.tenantIsolation && tenantId !== undefined) {
    errorMessage = `Function ${spec.functionName} has no tenant isolation: an invocation naming a tenant (X-Amz-Tenant-Id ${JSON.stringify(tenantId)}) is refused`;
  }
  if (errorMessage === undefined) return undefined;
  return { kind: 'function-error', errorType: 'InvalidParameterValueException', errorMessage, stackTrace: [], cold: false, durationMs: 0, refused: true };
}

/**
 * The pool of one tenant's environments, made at its first invocation (Lambda assigns a new tenant new environments);
 * most recently used last, so that the tenants past MAX_TENANT_POOLS that lose theirs are the least recently used idle ones.
 */
export function tenantPool(tenants: Map<string, FunctionPool>, tenantId: string, make: () => FunctionPool): FunctionPool {
  const pool = tenants.get(tenantId) ?? make();
  tenants.delete(tenantId);
  tenants.set(tenantId, pool);
  for (const [id, other] of tenants) {
    if (tenants.size <= MAX_TENANT_POOLS) break;
    if (other === pool || other.busy > 0) continue;
    tenants.delete(id);
    void other.close();
  }
  return pool;
}

/**
 * A tenant's turn with the function under a debugger (--debug-port): one inspector port serves one process, so the
 * tenants' invocations run one at a time and the other tenants' environments have ended before this one's starts
 * (beside them its inspector could not bind the port, and it would run with no debugger and no time limit).
 * Resolves with the turn's end, to call once the invocation is over.
 */
export async function debuggedTenantTurn(state: { debugTurn?: Promise<void>; tenants?: Map<string, FunctionPool> }, tenantId: string): Promise<() => void> {
  const previous = state.debugTurn ?? Promise.resolve();
  let end = (): void => undefined;
  const turn = new Promise<void>((resolve) => (end = resolve));
  state.debugTurn = previous.then(() => turn);
  await previous;
  const others = [...(state.tenants ?? [])].filter(([id]) => id !== tenantId);
  for (const [id] of others) state.tenants!.delete(id);
  await Promise.all(others.map(([, pool]) => pool.close()));
  return end;
}

/** The start-up report's line for each tenant-isolated function: what runs it, and what Lambda refuses. */
export function tenancyNotes(functions: Iterable<Pick<FunctionSpec, 'logicalId' | 'tenantIsolation'>>): string[] {
  return [...functions].flatMap((fn) =>
    fn.tenantIsolation
      ? [`${fn.logicalId}: TenancyConfig PER_TENANT: each tenant gets environments of its own and its id in the context; an invocation must name it (a REST integration's requestParameters integration.request.header.X-Amz-Tenant-Id, Invoke's X-Amz-Tenant-Id), else Lambda refuses it (InvalidParameterValueException; 500 on an API route, so on every HTTP API route)`]
      : [],
  );
}
