/** API Gateway's throttling algorithm (R6.8): a token bucket per limit. */

/** A throttle limit as API Gateway states it: `rate` tokens added a second, `burst` the bucket's capacity. */
export interface ThrottleLimit {
  rate: number;
  burst: number;
}

/**
 * R6.8: the bucket starts full (burst tokens), gains `rate` tokens a second up to `burst`, and each admitted request
 * takes one token; a request that finds less than one token is throttled. Rate 0 and burst 0 throttle everything.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly limit: ThrottleLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Whether a token is available at `now` (refills first; takes nothing). */
  hasToken(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Takes one token; call after hasToken(now) returned true. */
  take(): void {
    this.tokens -= 1;
  }

  private refill(now: number): void {
    // A clock that goes backwards (tests setting an earlier time) adds nothing rather than removing tokens.
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.rate);
  }
}
