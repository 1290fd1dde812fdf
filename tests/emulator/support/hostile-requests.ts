/**
 * Generated hostile HTTP/1.1 requests (fast-check arbitraries) for the hostile wire suites: each is built from parts API
 * Gateway sees in the wild (every method and case, encodings, repeated query keys, headers that matter to the gateway,
 * bodies framed every way), the route segments and header lines of the API under test among them, and one in three is
 * then damaged by bytes that break HTTP (NUL, CR, LF, DEL, bytes over 0x7f, spaces) anywhere in it.
 */
import fc from 'fast-check';

export interface Generated {
  bytes: Buffer;
  /** The method as sent (the answer to a HEAD has no body). */
  method: string;
}

/** What the generated requests are aimed at: the stage prefix, the route segments and header lines that reach it. */
export interface Target {
  stage: string;
  segments: string[];
  headers: string[];
  /** Route paths under the stage that most requests take (three in four), so that they reach the functions. */
  paths?: string[];
  /** Header lines every request carries (credentials), before the generated ones. */
  always?: string[];
}

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'get', 'Post', 'PROPFIND', 'TRACE', 'M-SEARCH', 'ANY', 'CONNECT');
/** Mostly segments a route matches, one in five one that tests the path's encoding rules. */
const segment = (routes: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...routes, 'x', 'a-b_c.d') },
    { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%2e%2e', '%2F', '%2f', '%00', '%C0%AF', '%zz', '%', '%25', '%252F', 'a%20b', '+', ';x', '~', '{id}', "'", '"', '<', '|', '\\', 'é') },
  );
/** Query parameters, repeated keys included; one in four keys or values breaks the query's encoding rules. */
const queryPart = (benign: string[], hostile: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...benign) }, { weight: 1, arbitrary: fc.constantFrom(...hostile) });
const query = fc.array(fc.tuple(queryPart(['a', 'a', 'b', 'limit'], ['', '%zz', '+', 'x%00', '%']), queryPart(['1', '', 'x+y', '%E9', 'a%20b'], ['%00', '%', ';', '=', '%zz'])), { maxLength: 4 });
const headerLine = (own: string[]) =>
  fc.constantFrom(
    ...own,
    'Accept: */*',
    'Accept: text/html',
    'Accept: application/octet-stream',
    'Content-Type: application/json',
    'Content-Type: application/octet-stream',
    'Content-Type: ',
    'Origin: https://app.example.com',
    'Access-Control-Request-Method: POST',
    'x-api-key: k',
    'Cookie: a=b; ;c',
    'Content-Encoding: gzip',
    'Expect: 100-continue',
    'Connection: keep-alive',
    'X-Forwarded-For: 1.2.3.4',
    'Host: other.example',
    'Range: bytes=0-1',
  );
/** Mostly bodies framed as HTTP allows, one in six framed as it does not (those are the front end's 400s). */
const framing = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      { headers: [] as string[], body: '' },
      { headers: ['Content-Length: 2'], body: '{}' },
      { headers: ['Content-Length: 15'], body: '{"title":"\xe9"}' },
      { headers: ['Content-Length: 4'], body: '\xff\xfe\x00\x01' },
      { headers: ['Transfer-Encoding: chunked'], body: '3\r\nabc\r\n0\r\n\r\n' },
      { headers: ['Transfer-Encoding: chunked'], body: '3;ext=1\r\nabc\r\n0\r\nX-T: 1\r\n\r\n' },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { headers: ['Transfer-Encoding: chunked'], body: 'zz\r\n' },
      { headers: ['Content-Length: 3', 'Transfer-Encoding: chunked'], body: '0\r\n\r\n' },
      { headers: ['Content-Length: 10'], body: 'abc' },
    ),
  },
);
const version = fc.oneof({ weight: 6, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'http/1.1', 'HTTP/1.1 ', 'HTTP/2.0', '') });
/** One request in three damaged by one or two bytes that break HTTP, anywhere in it. */
const damage = fc.oneof(
  { weight: 2, arbitrary: fc.constant<[number, string][]>([]) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), fc.constantFrom('\0', '\r', '\n', '\t', ' ', '\x7f', '\xff', '\x80', ':', '%', '\r\n', '\r\n ')), { minLength: 1, maxLength: 2 }) },
);

/** One of the target's route paths three times in four (undefined: the path is built from segments). */
const routePath = (paths: string[] | undefined) => (paths ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...paths) }, { weight: 1, arbitrary: fc.constant(undefined) }) : fc.constant(undefined));

/** A request built from the parts, then damaged at the given offsets. */
export function hostileRequest(target: Target): fc.Arbitrary<Generated> {
  return fc
    .record({ method, stage: fc.boolean(), segments: fc.array(segment(target.segments), { minLength: 1, maxLength: 4 }), route: routePath(target.paths), query, version, headers: fc.array(headerLine(target.headers), { maxLength: 4 }), framing, damage })
    .map(({ method: m, stage, segments, route, query: q, version: v, headers, framing: f, damage: d }) => {
      const path = `${route ?? `${stage ? target.stage : ''}/${segments.join('/')}`}${q.length > 0 ? `?${q.map(([k, val]) => `${k}=${val}`).join('&')}` : ''}`;
      let text = `${m} ${path}${v ? ` ${v}` : ''}\r\n${['Host: localhost', ...(target.always ?? []), ...headers, ...f.headers].map((h) => `${h}\r\n`).join('')}\r\n${f.body}`;
      for (const [at, bytes] of d) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + bytes + text.slice(i);
      }
      return { bytes: Buffer.from(text, 'latin1'), method: m };
    });
}

/** Several generated requests in one write (pipelined), each damaged or not on its own. */
export function pipelined(target: Target): fc.Arbitrary<Generated[]> {
  return fc.array(hostileRequest(target), { minLength: 2, maxLength: 4 });
}
