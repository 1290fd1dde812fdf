/**
 * emulator/limits/: what API Gateway enforces around a method besides identity: usage-plan and stage throttling,
 * quotas (section 6), the stage cache (section 9) and, from emulator/waf/, the stage's web ACL (W*), all on one
 * injectable clock.
 */
import type { ApiKeyRegistry } from '../identity/api-keys.js';
import type { IamOptions } from '../identity/iam.js';
import type { LocalState } from '../identity/local-state.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import { StageCache } from './cache.js';
import { systemClock, type Clock } from './clock.js';
import { AccountLimits, StageLimits } from './throttling.js';
import { UsageMeter } from './usage.js';
import { webAclFor, type WebAcl } from '../waf/web-acl.js';

export { ManualClock, systemClock, type Clock } from './clock.js';

/** The limits of one emulator: shared account bucket and usage, and a pair of hooks for each API stage. */
export interface SharedLimits {
  clock: Clock;
  usage: UsageMeter;
  account: AccountLimits;
  /** The pipeline hooks of one API stage: its throttling/quota stage, its cache and its web ACL if associated. */
  forApi(api: ApiSpec, template: LoadedTemplate, registry: ApiKeyRegistry): { limits: StageLimits; cache: StageCache; firewall?: WebAcl };
}

/** Builds the emulator-wide limits over the local folder (usage survives restarts), the given clock and the local credentials; `meter` the usage of every stack's plans. */
export function limitsFor(template: LoadedTemplate, state: LocalState, clock: Clock = systemClock, iam?: IamOptions, meter?: UsageMeter): SharedLimits {
  // One meter per local folder (a nested stack's is the root's): each writes the whole usage store.
  const usage = meter ?? new UsageMeter(state, clock);
  const account = new AccountLimits(clock, usage, template.region);
  return {
    clock,
    usage,
    account,
    forApi: (api, tpl, registry) => {
      const firewall = webAclFor(tpl, api, clock);
      return { limits: new StageLimits(api, tpl, registry, account), cache: new StageCache(api, tpl, clock, iam), ...(firewall ? { firewall } : {}) };
    },
  };
}
