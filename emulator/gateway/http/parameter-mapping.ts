/**
 * HTTP APIs' parameter mapping applied (H11.6): `requestParameters` change the request before the integration gets
 * it (headers, query string, path), `responseParameters` change the integration's answer by its status code
 * (headers, status). Values are `$request.*`, `$response.*`, `$context.*`, `$stageVariables.*`, `${...}` parts in
 * text, or static text.
 */
import type { HttpParameterMapping } from '../../template/model.js';
import { isValidHeader } from '../header-table.js';
import { Reply } from '../reply.js';
import { clfTime, domainPrefixOf, headerValue, type HeaderList } from '../request-state.js';
import { evaluateJsonPath } from '../vtl/jsonpath.js';
import { decodedPath, eventPath, type HttpApiContext } from './events.js';
import type { HttpRequestState } from './state.js';

/** H11.6: a JSON path reads the body's first 100 KB only. */
const BODY_PATH_LIMIT = 100 * 1024;

export type Lookup = (ref: string) => string | undefined;

/**
 * The value a mapping gives: one variable (`$request.header.x`), text with `${...}` parts (a missing one is empty),
 * or static text. Undefined when the one variable it names has no value: the mapping is then not applied.
 * [AMBIGUOUS] A variable inside text without braces (`com.mycompany.$request.path.source`, as serverless-patterns'
 * apigw-eventbridge writes it, its README showing the source AWS delivered: `com.mycompany.mysource`) is evaluated
 * too, its name running as far as name characters go (letters, digits, `_`, `-`, `.`, `[n]`).
 */
export function mappedValue(value: string, lookup: Lookup): string | undefined {
  if (!value.includes('${')) {
    const single = /^\$((?:request|response|context|stageVariables)(?:\.[\w:-]+|\[[^\]]*\])*)$/.exec(value);
    if (single) return lookup(single[1]!);
    return value.includes('$') ? value.replace(EMBEDDED, (_, ref: string) => lookup(ref) ?? '') : value;
  }
  return value.replace(/\$\{([^{}]+)\}/g, (_, ref: string) => lookup(ref.trim()) ?? '');
}
const EMBEDDED = /\$((?:request|response|context|stageVariables)(?:\.[A-Za-z0-9_-]+|\[\d+\])+)/g;

/** A JSON path of a body (`$request.body.a.b[0]`): text as is, anything else as JSON; undefined when absent or no JSON. */
function bodyPath(text: string, path: string): string | undefined {
  if (path === '') return text;
  try {
    const found = evaluateJsonPath(JSON.parse(text.slice(0, BODY_PATH_LIMIT)), `$${path}`);
    if (found === undefined) return undefined;
    return typeof found === 'string' ? found : JSON.stringify(found);
  } catch {
    return undefined;
  }
}

const joined = (values: string[]): string | undefined => (values.length ? values.join(',') : undefined);

/** The `$context` variables that are no authorizer's: computed one at a time. */
function plainContextValue(name: string, state: HttpRequestState, api: HttpApiContext): string | undefined {
  switch (name) {
    case 'accountId':
      return api.accountId;
    case 'apiId':
      return api.apiId;
    case 'requestId':
    case 'extendedRequestId':
      return state.requestId;
    case 'stage':
      return state.stage?.name ?? '$default';
    case 'routeKey':
      return state.match?.route.routeKey ?? '$default';
    case 'httpMethod':
      return state.method;
    case 'path':
      // [AMBIGUOUS] H11.5/H11.6: the path as payload 1.0's requestContext.path has it (decoded twice, H4.3), not as
      // sent: AWS fills that field from this variable on REST (R1.22) and documents no difference for HTTP APIs.
      return eventPath(state);
    case 'protocol':
      return 'HTTP/1.1';
    case 'domainName':
      return headerValue(state.headers, 'host') ?? '';
    case 'domainPrefix':
      return domainPrefixOf(headerValue(state.headers, 'host') ?? '');
    case 'requestTime':
      return clfTime(state.timeEpoch);
    case 'requestTimeEpoch':
      return String(state.timeEpoch);
    case 'identity.sourceIp':
      return state.sourceIp;
    case 'identity.userAgent':
      return headerValue(state.headers, 'user-agent') ?? '';
    default:
      return undefined;
  }
}

/** `$context.<name>` of a request (H11.5's variables that a mapping or an access log can read). */
export function contextValue(name: string, state: HttpRequestState, api: HttpApiContext): string | undefined {
  // Only the variable asked for is computed: an access log reads a dozen of them for every request.
  const plain = plainContextValue(name, state, api);
  if (plain !== undefined) return plain;
  // H8.10: a policy response's principalId, beside the keys of its context.
  if (name === 'authorizer.principalId' && state.authorizerPrincipalId !== undefined) return state.authorizerPrincipalId;
  const authorizer = state.authorizer as { jwt?: { claims?: Record<string, unknown> }; lambda?: Record<string, unknown> } | undefined;
  const claim = /^authorizer\.claims\.(.+)$/.exec(name)?.[1];
  const own = /^authorizer\.(.+)$/.exec(name)?.[1];
  const value = claim !== undefined ? authorizer?.jwt?.claims?.[claim] : own !== undefined ? authorizer?.lambda?.[own] : undefined;
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Values every mapping can read: context and stage variables. */
function common(ref: string, state: HttpRequestState, api: HttpApiContext): string | undefined {
  const context = /^context\.(.+)$/.exec(ref)?.[1];
  if (context !== undefined) return contextValue(context, state, api);
  const variable = /^stageVariables\.(.+)$/.exec(ref)?.[1];
  return variable === undefined ? undefined : (state.stage?.stageVariables?.[variable] ?? undefined);
}

/** `$request.*` of H11.6: a header's or query string's values comma-joined, the body or a JSON path of it, the path (no stage) or a path variable. */
function requestValue(ref: string, state: HttpRequestState, api: HttpApiContext): string | undefined {
  const m = /^request\.(header|querystring|body|path)(?:\.(.*))?$/.exec(ref);
  if (!m) return common(ref, state, api);
  const [, part, name = ''] = m;
  if (part === 'header') return joined(state.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v));
  if (part === 'querystring') return joined(state.query.filter(([k]) => k === name).map(([, v]) => v));
  if (part === 'body') return bodyPath(new TextDecoder().decode(state.body), name === '' ? '' : `.${name}`);
  // The path as the integration's event has it, decoded twice as its variables are (H4.3).
  return name === '' ? decodedPath(state.path) : (state.match?.pathParameters?.[name] ?? undefined);
}

/** What a request offers a value: `$request.*`, `$context.*` and stage variables (H11.6), for an AWS service integration's parameters too. */
export function requestLookup(state: HttpRequestState, api: HttpApiContext): Lookup {
  return (ref) => requestValue(ref, state, api);
}

/**
 * The request as the integration gets it after `requestParameters`: each mapping's value read from the request as
 * received (not as earlier mappings left it); `remove` ignores its value.
 */
export function mapRequest(mappings: HttpParameterMapping[], state: HttpRequestState, api: HttpApiContext): HttpRequestState {
  let headers: HeaderList = [...state.headers];
  let query: [string, string][] = [...state.query];
  let path: string | undefined;
  for (const m of mappings) {
    const value = m.action === 'remove' ? '' : mappedValue(m.value, (ref) => requestValue(ref, state, api));
    // [AMBIGUOUS] a value no HTTP header can carry (a line break from the body) is left out, as on REST (R2.9).
    if (value === undefined || (m.target === 'header' && !isValidHeader(m.name, value))) continue;
    if (m.target === 'path') path = value.startsWith('/') ? value : `/${value}`;
    else if (m.target === 'header') {
      const lower = m.name.toLowerCase();
      if (m.action !== 'append') headers = headers.filter(([n]) => n.toLowerCase() !== lower);
      if (m.action !== 'remove') headers.push([m.name, value]);
    } else {
      if (m.action !== 'append') query = query.filter(([k]) => k !== m.name);
      if (m.action !== 'remove') query.push([m.name, value]);
    }
  }
  const queryChanged = mappings.some((m) => m.target === 'querystring');
  return {
    ...state,
    headers,
    query,
    ...(queryChanged ? { rawQueryString: new URLSearchParams(query).toString() } : {}),
    ...(path !== undefined ? { mappedPath: path, rawPath: path, routedPath: path, path } : {}),
  };
}

/** The integration's answer after the `responseParameters` of its status code; a status that is no 200-599 integer is not applied. */
export function mapResponse(byStatus: Record<string, HttpParameterMapping[]>, reply: Reply, state: HttpRequestState, api: HttpApiContext): Reply {
  const mappings = byStatus[String(reply.status)];
  if (!mappings) return reply;
  const lookup: Lookup = (ref) => {
    const m = /^response\.(header|body)(?:\.(.*))?$/.exec(ref);
    if (!m) return common(ref, state, api);
    if (m[1] === 'header') return reply.headers.get(m[2] ?? '') ?? undefined;
    return bodyPath(reply.text(), m[2] ? `.${m[2]}` : '');
  };
  let status = reply.status;
  // Every value is read from the answer as the integration gave it, before any mapping changes it.
  const values = mappings.map((m) => (m.action === 'remove' ? '' : mappedValue(m.value, lookup)));
  for (const [i, m] of mappings.entries()) {
    const value = values[i];
    if (value === undefined || (m.target === 'header' && !isValidHeader(m.name, value))) continue;
    if (m.target === 'statuscode') {
      // A 1xx is no final answer: only 200-599 replace the status.
      const code = Number(value);
      if (Number.isInteger(code) && code >= 200 && code <= 599) status = code;
    } else if (m.action === 'remove') reply.headers.delete(m.name);
    else if (m.action === 'overwrite') reply.headers.set(m.name, value);
    else reply.headers.append(m.name, value);
  }
  return status === reply.status ? reply : new Reply(status, reply.headers, reply.body, reply.stream);
}
