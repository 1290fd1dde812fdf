/**
 * Access logging (REST: a stage's `AccessLogSetting`; HTTP APIs: `AccessLogSettings`, H11.5). AWS writes one line per
 * request to the stage's CloudWatch Logs group: the setting's `Format` with each `$context` variable replaced by its
 * value. Locally the line goes to the gateway's request log, named by that group.
 */
import type { AccessLogSpec } from '../template/model.js';
import type { SupportItem } from './types.js';

export type { AccessLogSpec };

/** What the request log prints after a request when its stage logs access: the log group and the formatted line. */
export interface AccessLogLine {
  destination: string;
  line: string;
}

/**
 * A `$context` variable in a format: dot-separated names (`identity.sourceIp`, `authorizer.claims.cognito:username`);
 * a `-` ends it (`$context.status-$context.requestId`), as no variable name holds one.
 */
const VARIABLE = /\$context\.([A-Za-z0-9_:]+(?:\.[A-Za-z0-9_:]+)*)/g;

/**
 * The access log line API Gateway writes for a format: each `$context.<name>` replaced by the value `valueOf` gives,
 * `-` for a variable without one (absent, null, empty or not a single value), as access logs show missing values.
 * Names are matched longest first: `$context.authorizer.claims.sub` is the claim, and `$context.requestId.log` the
 * request id followed by the text `.log`.
 */
export function accessLogLine(format: string, valueOf: (name: string) => string | undefined): string {
  return format.replace(VARIABLE, (_whole, name: string) => {
    for (let candidate = name; ; ) {
      const value = valueOf(candidate);
      if (value !== undefined) return value === '' ? '-' + name.slice(candidate.length) : value + name.slice(candidate.length);
      const dot = candidate.lastIndexOf('.');
      // No known variable is a prefix: the whole name has no value (a typo shows as `-`, as on AWS).
      if (dot < 0) return '-';
      candidate = candidate.slice(0, dot);
    }
  });
}

/** The `$context` values of a request as access-log names: nested objects flattened with dots, scalars as text. */
export function accessLogValues(context: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, name: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) walk(inner, name ? `${name}.${key}` : key);
      return;
    }
    out.set(name, Array.isArray(value) ? value.join(',') : String(value));
  };
  walk(context, '');
  return out;
}

/**
 * Variables AWS fills in that the local gateway never does (they print `-`): the authentication and authorization
 * steps' figures, and the custom domain's base path.
 */
const NEVER_FILLED = /^(?:authenticate\.|authorize\.|authorizer\.(?:status|latency|error|requestId|integrationStatus|integrationLatency)$|customDomain\.)/;
/** Filled for some integrations only: Lambda's request id (an AWS service's own is not read here). */
const LAMBDA_ONLY = 'integration.requestId';

/** The variables of a format that always print `-` here, for the startup report (never silent). */
export function unfilledVariables(format: string): string[] {
  return [...new Set([...format.matchAll(VARIABLE)].map((m) => m[1]!).filter((name) => NEVER_FILLED.test(name)))];
}

/** The startup report's line on a stage's access log variables that print `-` here where AWS fills them, if any. */
export function unfilledVariablesItem(spec: AccessLogSpec, location: string): SupportItem[] {
  const unfilled = unfilledVariables(spec.format);
  const partly = [...spec.format.matchAll(VARIABLE)].some((m) => m[1] === LAMBDA_ONLY);
  if (unfilled.length === 0 && !partly) return [];
  const never = unfilled.length > 0 ? [`printed - in every line, not filled in locally: ${unfilled.map((n) => `$context.${n}`).join(', ')}`] : [];
  const some = partly ? [`$context.${LAMBDA_ONLY} is filled for Lambda integrations only (- for the others)`] : [];
  return [{ subject: 'access log variables', location, status: 'ignored', detail: [...never, ...some].join('; ') }];
}

/** A stage's access log line for one request, named by its destination: what REST and HTTP API pipelines log. */
export function accessLogEntry(spec: AccessLogSpec, valueOf: (name: string) => string | undefined): AccessLogLine {
  return { destination: destinationName(spec.destinationArn), line: accessLogLine(spec.format, valueOf) };
}

/** The name a destination is shown by: a log group's name (`arn:aws:logs:...:log-group:<name>[:*]`), else the ARN. */
export function destinationName(arn: string): string {
  return /:log-group:([^:]+)/.exec(arn)?.[1] ?? arn;
}
