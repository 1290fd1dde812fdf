/** Unit: Lambda's tenant isolation rules (emulator/lambda/tenancy.ts): which invocations Lambda refuses, and the per-tenant pools kept. */
import { describe, expect, it } from 'vitest';
import type { FunctionPool } from '../../../emulator/lambda/pool.js';
import { MAX_TENANT_POOLS, tenancyRefusal, tenantPool } from '../../../emulator/lambda/tenancy.js';

describe('tenancyRefusal', () => {
  it.each([
    { given: 'an isolated function, a tenant', spec: { functionName: 'f', tenantIsolation: true as const }, tenant: 'blue', refused: false },
    { given: 'an isolated function, no tenant', spec: { functionName: 'f', tenantIsolation: true as const }, tenant: undefined, refused: true },
    { given: 'an isolated function, an empty tenant', spec: { functionName: 'f', tenantIsolation: true as const }, tenant: '', refused: true },
    { given: 'another function, no tenant', spec: { functionName: 'f' }, tenant: undefined, refused: false },
    { given: 'another function, a tenant', spec: { functionName: 'f' }, tenant: 'blue', refused: true },
  ])('$given: refused $refused (InvalidParameterValueException)', ({ spec, tenant, refused }) => {
    const outcome = tenancyRefusal(spec, tenant);

    expect(outcome === undefined ? undefined : [outcome.errorType, outcome.refused]).toEqual(refused ? ['InvalidParameterValueException', true] : undefined);
  });
});

describe('tenantPool', () => {
  /** A pool standing in for FunctionPool: only what tenantPool reads and calls. */
  const fakePool = (busy = 0) => {
    const pool = { busy, closed: false, close: async () => void (pool.closed = true) };
    return pool;
  };
  const asPool = (pool: ReturnType<typeof fakePool>) => pool as unknown as FunctionPool;

  it('a tenant keeps its pool; a new tenant gets a new one', () => {
    const tenants = new Map<string, FunctionPool>();
    const made: ReturnType<typeof fakePool>[] = [];
    const make = () => asPool(made[made.push(fakePool()) - 1]!);

    const blue = tenantPool(tenants, 'blue', make);
    const green = tenantPool(tenants, 'green', make);

    expect(tenantPool(tenants, 'blue', make)).toBe(blue);
    expect(green).not.toBe(blue);
    expect(made).toHaveLength(2);
  });

  it(`past ${MAX_TENANT_POOLS} tenants the least recently used idle one loses its environments; a busy one keeps them`, () => {
    const tenants = new Map<string, FunctionPool>();
    const busy = fakePool(1);
    tenantPool(tenants, 'busy', () => asPool(busy));
    const idle = Array.from({ length: MAX_TENANT_POOLS - 1 }, (_, i) => {
      const pool = fakePool();
      tenantPool(tenants, `t${i}`, () => asPool(pool));
      return pool;
    });

    tenantPool(tenants, 'one more', () => asPool(fakePool()));

    expect(busy.closed).toBe(false);
    expect(idle.map((p) => p.closed)).toEqual([true, ...Array<boolean>(MAX_TENANT_POOLS - 2).fill(false)]);
    expect([...tenants.keys()]).not.toContain('t0');
    expect(tenants.size).toBe(MAX_TENANT_POOLS);
  });
});
