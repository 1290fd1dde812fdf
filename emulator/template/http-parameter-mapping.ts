/**
 * HTTP APIs' parameter mapping as API Gateway accepts it (H11.6): `requestParameters` keys
 * `append|overwrite|remove:header.<name>`, `append|overwrite|remove:querystring.<name>`, `overwrite:path`, and
 * `responseParameters` per status code, `append|overwrite|remove:header.<name>` and `overwrite:statuscode`.
 * A key API Gateway refuses (another form, a reserved header) makes the API one it would not create.
 */
import { TemplateError, type HttpParameterMapping } from './model.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** H11.6: headers no mapping may touch. */
const RESERVED = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

/** Whether H11.6 reserves a header name (case-insensitive). */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}

const REQUEST_KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$|^(overwrite):(path)$/;
const RESPONSE_KEY = /^(append|overwrite|remove):(header)\.(.+)$|^(overwrite):(statuscode)$/;

/** One `key: value` pair as a mapping, or why API Gateway refuses it. */
function mapping(key: string, value: unknown, side: 'request' | 'response'): HttpParameterMapping | string {
  const m = (side === 'request' ? REQUEST_KEY : RESPONSE_KEY).exec(key);
  if (!m) return side === 'request' ? 'keys are append|overwrite|remove:header.<name>, append|overwrite|remove:querystring.<name> or overwrite:path' : 'keys are append|overwrite|remove:header.<name> or overwrite:statuscode';
  const action = (m[1] ?? m[4]) as HttpParameterMapping['action'];
  const target = (m[2] ?? m[5]) as HttpParameterMapping['target'];
  const name = m[3] ?? '';
  if (target === 'header' && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return `${JSON.stringify(name)} is not a header name`;
  if (target === 'header' && isReservedHeader(name)) return `header ${name} is reserved and cannot be mapped`;
  if (typeof value !== 'string' && typeof value !== 'number') return 'the value must be a string';
  return { action, target, name, value: String(value) };
}

function mappings(raw: Record<string, unknown>, side: 'request' | 'response', source: string, key: string): HttpParameterMapping[] {
  return Object.entries(raw).map(([k, v]) => {
    const parsed = mapping(k, v, side);
    if (typeof parsed === 'string') throw new TemplateError(source, `${key}.${k}`, `API Gateway refuses this parameter mapping: ${parsed} (H11.6)`);
    return parsed;
  });
}

/** `requestParameters` / RequestParameters of an integration. */
export function requestMappings(raw: unknown, source: string, key: string): HttpParameterMapping[] | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) throw new TemplateError(source, key, 'must be a map of mapping keys to values (H11.6)');
  return mappings(raw, 'request', source, key);
}

/**
 * `responseParameters` by status code: OpenAPI's `{"200": {"overwrite:statuscode": "204"}}`, or CloudFormation's
 * `{"200": {"ResponseParameters": [{"Destination": "overwrite:statuscode", "Source": "204"}]}}`.
 */
export function responseMappings(raw: unknown, source: string, key: string): Record<string, HttpParameterMapping[]> | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) throw new TemplateError(source, key, 'must be a map of status codes to mappings (H11.6)');
  const out: Record<string, HttpParameterMapping[]> = {};
  for (const [status, entry] of Object.entries(raw)) {
    if (!/^[1-5]\d\d$/.test(status)) throw new TemplateError(source, `${key}.${status}`, 'API Gateway refuses this parameter mapping: response mappings are keyed by a status code 100-599 (H11.6)');
    const list = isRecord(entry) ? entry.ResponseParameters : undefined;
    const pairs = Array.isArray(list) ? Object.fromEntries(list.filter(isRecord).map((p) => [String(p.Destination ?? ''), p.Source])) : entry;
    if (!isRecord(pairs)) throw new TemplateError(source, `${key}.${status}`, 'must be a map of mapping keys to values (H11.6)');
    out[status] = mappings(pairs, 'response', source, `${key}.${status}`);
  }
  return out;
}
