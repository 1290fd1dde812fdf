/** Throttle accuracy: a paced client at twice a key's rate, on the real clock; how many requests a second get through. */
import autocannon from 'autocannon';

export interface AccuracyResult {
  limit: number;
  seconds: number;
  sentRps: number;
  acceptedRps: number;
  throttled: number;
}

/** Sends at 2 x `limit` req/s for `seconds` with the key; 200s are accepted, 429s throttled, anything else an error. */
export async function measureThrottleAccuracy(url: string, apiKey: string, plan: { limit: number; seconds: number }, log: (line: string) => void): Promise<AccuracyResult> {
  log(`throttle accuracy: ${2 * plan.limit} req/s for ${plan.seconds} s at a key limited to ${plan.limit}/s`);
  const result = await autocannon({ url, connections: 10, duration: plan.seconds, overallRate: 2 * plan.limit, headers: { 'x-api-key': apiKey } });
  const count = (status: string) => result.statusCodeStats[status]?.count ?? 0;
  const [accepted, throttled] = [count('200'), count('429')];
  const others = result.requests.total - accepted - throttled;
  if (others > 0 || result.errors > 0) throw new Error(`throttle accuracy: ${others} answers neither 200 nor 429, ${result.errors} connection errors: ${JSON.stringify(result.statusCodeStats)}`);
  return { limit: plan.limit, seconds: result.duration, sentRps: result.requests.total / result.duration, acceptedRps: accepted / result.duration, throttled };
}
