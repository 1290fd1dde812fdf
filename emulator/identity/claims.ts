/** How API Gateway renders Cognito token claims into `requestContext.authorizer.claims` (R1.32, R7.24). */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Claims API Gateway renders as Java `Date.toString()` in UTC rather than as epoch seconds. */
const DATE_CLAIMS = new Set(['exp', 'iat']);

/** Epoch seconds as Java's `Date.toString()` in UTC: "Fri Jul 29 18:52:53 UTC 2016". */
export function javaUtcDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

/**
 * Every claim as a string (R1.32): numbers and booleans via their text ("true", "1469814773"), exp/iat as dates.
 * [AMBIGUOUS] R1.32 arrays (e.g. cognito:groups) are joined with "," ("admin,users"), which is what REST-API
 * consumers split on (aws/chalice#783); nested objects, which Cognito does not issue, become JSON text.
 */
export function renderClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && DATE_CLAIMS.has(name)) out[name] = javaUtcDate(value);
    else if (Array.isArray(value)) out[name] = value.map(String).join(',');
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}
