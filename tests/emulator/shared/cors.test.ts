/**
 * Shared REST/HTTP conformance: CORS as each API type configures it (REST: SAM `Cors`, an OPTIONS mock per path,
 * R10; HTTP: `CorsConfiguration`, built into the gateway, H9). Both fixtures allow https://app.example.com, GET and
 * POST, header x-key, max age 600.
 */
import { describe, expect, it } from 'vitest';
import { sharedApis, type PerType } from './adapter.js';

const apis = await sharedApis();
const ORIGIN = 'https://app.example.com';

interface Preflight {
  status: number;
  text: string;
  headers: Record<string, string>;
}

const PREFLIGHT: PerType<Preflight> = {
  // A26 / R4.2 / R10.5: SAM's OPTIONS mock, 200 with body {} and the configured headers as written.
  rest: {
    status: 200,
    text: '{}',
    headers: { 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'GET,POST', 'access-control-allow-headers': 'x-key', 'access-control-max-age': '600' },
  },
  // B16 / H9.3 [AMBIGUOUS 204 vs 200] / H9.5: the gateway's own answer, the allowed origin echoed.
  http: {
    status: 204,
    text: '',
    headers: { 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'GET,POST', 'access-control-allow-headers': 'x-key', 'access-control-max-age': '600' },
  },
};

describe.each(apis)('$type API: CORS', (api) => {
  it('A26 / R10.5 / B16 / H9.2 / H9.3 a preflight when CORS is configured is answered with the configured headers, no function runs', async () => {
    const want = PREFLIGHT[api.type];
    const before = api.invoker.calls.length;
    const got = await api.send({ method: 'OPTIONS', path: '/items/1', headers: [['Origin', ORIGIN], ['Access-Control-Request-Method', 'GET']] });
    expect(got.status).toBe(want.status);
    expect(got.text.trim()).toBe(want.text); // SAM's response template is "{}\n" (R10.5 writes it {})
    const headers = Object.fromEntries(Object.keys(want.headers).map((name) => [name, got.headers.get(name)?.replace(/\s/g, '')]));
    expect(headers).toEqual(want.headers);
    expect(api.invoker.calls.length).toBe(before);
  });

  const ACTUAL_REQUEST_ORIGIN: PerType<string | null> = {
    rest: null, // R10.2: a proxy integration's function must send Access-Control-Allow-Origin itself (the echo sends none)
    http: ORIGIN, // H9.4: the gateway adds the configured headers to the integration's answer
  };

  it("R10.2 / H9.4 an actual cross-origin request: REST adds nothing to the function's answer, HTTP adds the allowed origin", async () => {
    const got = await api.send({ path: '/items/1', headers: [['Origin', ORIGIN]] });
    expect(got.status).toBe(200);
    expect(got.headers.get('access-control-allow-origin')).toBe(ACTUAL_REQUEST_ORIGIN[api.type]);
  });
});
