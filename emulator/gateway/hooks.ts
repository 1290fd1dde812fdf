/**
 * Hooks of the pipeline for stages implemented outside emulator/gateway/ (reference 0.1): the WAF web ACL (W1),
 * request limits (throttling and quotas, section 6) and the stage cache (section 9). Each is optional; without it the pipeline
 * skips that stage.
 */
import type { GatewayError } from './gateway-responses.js';
import type { Reply } from './reply.js';
import type { RequestState } from './request-state.js';
import type { OperationRoute } from './routes.js';
import type { SupportItem } from './types.js';

/** Throttling and quotas, run after the identity stage and before validation (R0.4). */
export interface LimitsHook {
  /** The GatewayError (THROTTLED, QUOTA_EXCEEDED) that refuses the request, or undefined to let it through. */
  admit(state: RequestState, route: OperationRoute, keyRequired: boolean): GatewayError | undefined;
  /** Startup-report items: what is enforced where. */
  support(): SupportItem[];
}

/** The stage cache, consulted after validation (R9.3): a hit skips the integration. */
export interface CacheHook {
  /** A cached answer for this request, or undefined; throws a GatewayError when the request is refused (R9.5). */
  lookup(state: RequestState, route: OperationRoute): Reply | undefined;
  /** Stores the integration's answer when the method is cached; returns the Reply to send. */
  store(state: RequestState, route: OperationRoute, response: Reply): Reply;
  support(): SupportItem[];
}

/** The stage's WAF web ACL, run on every request before routing and identity (W1.4). */
export interface FirewallHook {
  /**
   * WAF_FILTERED when the web ACL blocks the request (W3.1), the Block action's custom response to send as it is
   * (W3.3, R8.10: it bypasses the gateway responses), else undefined.
   */
  inspect(state: RequestState): GatewayError | Reply | undefined;
  support(): SupportItem[];
}
