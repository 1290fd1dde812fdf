/** Throttle accuracy: a paced client at twice a key's rate, on the real clock; how many requests a second get through. */
import http from 'node:http';

export interface AccuracyResult {
  limit: number;
  seconds: number;
  sentRps: number;
  acceptedRps: number;
  throttled: number;
}

/**
 * Sends at 2 x `limit` req/s for `seconds` with the key, evenly spaced; 200s are accepted, 429s throttled, anything
 * else an error. The pacing is ours, not autocannon's: autocannon's `overallRate` releases each second's requests
 * together, and a token bucket with a small burst then admits about `burst` of them a second, which measures the
 * client's bunching rather than the gateway's rate.
 */
export async function measureThrottleAccuracy(url: string, apiKey: string, plan: { limit: number; seconds: number }, log: (line: string) => void): Promise<AccuracyResult> {
  const rate = 2 * plan.limit;
  log(`throttle accuracy: ${rate} req/s, evenly spaced, for ${plan.seconds} s at a key limited to ${plan.limit}/s`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counts = new Map<string, number>();
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const total = rate * plan.seconds;
  try {
    for (let sent = 0; sent < total; ) {
      // Catch up after a late timer instead of drifting below the rate: send every request that is due by now.
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      for (; sent < due; sent += 1) inFlight.push(send(url, apiKey, agent).then((status) => void counts.set(status, (counts.get(status) ?? 0) + 1)));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(inFlight);
    const [accepted, throttled] = [counts.get('200') ?? 0, counts.get('429') ?? 0];
    const others = total - accepted - throttled;
    if (others > 0) throw new Error(`throttle accuracy: ${others} answers neither 200 nor 429: ${JSON.stringify(Object.fromEntries(counts))}`);
    // Rates over the sending window: the last requests are admitted or refused when they arrive, within it.
    return { limit: plan.limit, seconds: Math.round(elapsed * 100) / 100, sentRps: total / elapsed, acceptedRps: accepted / elapsed, throttled };
  } finally {
    agent.destroy();
  }
}

/** One GET with the key; resolves to the status code, or 'error: <code>' when the connection failed. */
function send(url: string, apiKey: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { 'x-api-key': apiKey } }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(`error: ${error.code ?? error.message}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`error: ${error.code ?? error.message}`));
  });
}
