/** X-Ray trace header handling of API Gateway REST: one trace id per request, the caller's honoured. */
import { randomText } from './random-ids.js';
import { headerValue, type HeaderList } from './request-state.js';

export interface TraceHeader {
  /** `1-<8 hex epoch seconds>-<24 hex>`. */
  root: string;
  parent?: string;
  sampled: string;
  /** The caller sent a well-formed header (its Root is kept). */
  fromCaller: boolean;
  /** API Gateway's own segment id, sent back as the Parent when the caller gave a Root without one. */
  segment?: string;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/i;
const PARENT = /^[0-9a-f]{16}$/i;

/** Parses `Root=...;Parent=...;Sampled=...`; undefined without a well-formed Root. */
function parse(value: string | undefined): TraceHeader | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const root = fields.get('root');
  if (!root || !ROOT.test(root)) return undefined;
  const parent = fields.get('parent');
  const sampled = fields.get('sampled');
  const own = parent && PARENT.test(parent) ? { parent } : { segment: randomText(8, 'hex') };
  return { root, ...own, sampled: sampled === '1' || sampled === '0' ? sampled : '0', fromCaller: true };
}

/** The request's trace: the caller's X-Amzn-Trace-Id when it has a valid Root, else a new root stamped with the request time. */
export function traceFor(headers: HeaderList, requestTimeEpoch: number): TraceHeader {
  const given = parse(headerValue(headers, 'x-amzn-trace-id'));
  if (given) return given;
  const seconds = Math.floor(requestTimeEpoch / 1000).toString(16).padStart(8, '0');
  return { root: `1-${seconds}-${randomText(12, 'hex')}`, sampled: '0', fromCaller: false };
}

/** The X-Amzn-Trace-Id the integration receives: Root, then the caller's Parent, then Sampled when the caller gave it. */
export function integrationTraceHeader(trace: TraceHeader): string {
  const parent = trace.parent ? `;Parent=${trace.parent}` : '';
  return trace.fromCaller ? `Root=${trace.root}${parent};Sampled=${trace.sampled}` : `Root=${trace.root}`;
}

/**
 * The x-amzn-trace-id API Gateway sends back on integration responses: the caller's own (Parent too) when it sent one;
 * a caller's Root alone comes back with a Parent API Gateway generated (AWS's answer in LocalStack's recorded test).
 */
export function responseTraceHeader(trace: TraceHeader): string {
  const id = trace.parent ?? trace.segment;
  const parent = id ? `;Parent=${id}` : '';
  return `Root=${trace.root}${parent};Sampled=${trace.sampled}`;
}
