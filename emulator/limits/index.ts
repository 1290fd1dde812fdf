/**
 * emulator/limits/: what API Gateway enforces around a method besides identity: usage-plan and stage throttling,
 * quotas (section 6) and the stage cache (section 9), all on one injectable clock.
 */
import type { ApiKeyRegistry } from '../identity/api-keys.js';
import type { LocalState } from '../identity/local-state.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import { StageCache } from './cache.js';
import { systemClock, type Clock } from './clock.js';
import { AccountLimits, StageLimits } from './throttling.js';
import { UsageMeter } from './usage.js';

export { ManualClock, systemClock, type Clock } from './clock.js';

/** The limits of one emulator: shared account bucket and usage, and a pair of hooks for each API stage. */
export interface SharedLimits {
  clock: Clock;
  usage: UsageMeter;
  account: AccountLimits;
  /** The pipeline hooks of one API stage: its throttling/quota stage and its cache. */
  forApi(api: ApiSpec, template: LoadedTemplate, registry: ApiKeyRegistry): { limits: StageLimits; cache: StageCache };
}

/** Builds the emulator-wide limits over the local folder (usage survives restarts) and the given clock. */
export function limitsFor(template: LoadedTemplate, state: LocalState, clock: Clock = systemClock): SharedLimits {
  const usage = new UsageMeter(state, clock);
  const account = new AccountLimits(clock, usage, template.region);
  return {
    clock,
    usage,
    account,
    forApi: (api, tpl, registry) => ({ limits: new StageLimits(api, tpl, registry, account), cache: new StageCache(api, tpl, clock) }),
  };
}
