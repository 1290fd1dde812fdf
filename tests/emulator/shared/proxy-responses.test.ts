/**
 * Shared REST/HTTP conformance: what the gateway makes of a Lambda proxy function's result (REST R1.40-R1.51,
 * HTTP payload 2.0 H6.1-H6.7), each behaviour stated once with each API type's documented answer.
 */
import { describe, expect, it } from 'vitest';
import { sharedApis, type PerType } from './adapter.js';

const apis = await sharedApis();

describe.each(apis)('$type API: Lambda proxy results', (api) => {
  const shape = (name: string, headers: [string, string][] = []) => api.send({ path: '/shape', headers: [['x-shape', name], ...headers] });

  it('R1.40 / R1.42 / R1.46 / H6.1 round trip: status, body, Content-Type, a two-valued header and two cookies reach the client', async () => {
    // The fixture answers in its payload's own contract: REST multiValueHeaders (incl. Set-Cookie), HTTP headers + cookies.
    const got = await shape('round-trip');
    expect(got.status).toBe(201);
    expect(got.text).toBe('made');
    expect(got.headers.get('content-type')).toBe('text/plain');
    expect(got.headers.get('x-multi')).toBe('a, b');
    expect(got.headers.getSetCookie()).toEqual(['s=1', 't=2; Path=/']);
  });

  const FUNCTION_ERROR: PerType<{ status: number; body: unknown; errorType: string | null }> = {
    rest: { status: 502, body: { message: 'Internal server error' }, errorType: 'InternalServerErrorException' }, // R1.50, A9, R8.2
    http: { status: 500, body: { message: 'Internal Server Error' }, errorType: null }, // H6.7, H10.4, B11; H10.8: no x-amzn-ErrorType
  };

  it('R1.50 / A9 / H6.7 / H10.4 / B11 a function that throws: REST 502 "Internal server error", HTTP 500 "Internal Server Error"', async () => {
    const want = FUNCTION_ERROR[api.type];
    const got = await api.send({ path: '/boom' });
    expect(got.status).toBe(want.status);
    expect(got.json()).toEqual(want.body);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('x-amzn-errortype')).toBe(want.errorType);
    expect(api.invoker.calls.at(-1)?.functionLogicalId).toBe('ThrowFunction');
  });

  const ISE_REST = { status: 502, text: '{"message": "Internal server error"}', contentType: 'application/json' };
  const SHAPES: { rule: string; given: string; accept?: string; want: PerType<{ status: number; text: string; contentType: string }> }[] = [
    {
      rule: 'R1.40 / R1.51 / H6.2 / B8 an object without statusCode: REST malformed (502), HTTP inferred as the JSON body',
      given: 'no-status',
      want: { rest: ISE_REST, http: { status: 200, text: '{"message":"hi"}', contentType: 'application/json' } },
    },
    {
      rule: 'R1.44 / H6.2 / B9 a bare string: REST malformed (502), HTTP the body, unquoted',
      given: 'bare-string',
      want: { rest: ISE_REST, http: { status: 200, text: 'hello', contentType: 'application/json' } },
    },
    {
      rule: 'R1.42 / H6.7 / H6.5 a statusCode that is no number: REST 502, HTTP 500',
      given: 'status-not-number',
      want: { rest: ISE_REST, http: { status: 500, text: '{"message":"Internal Server Error"}', contentType: 'application/json' } },
    },
    {
      rule: 'R1.48 / H6.6 isBase64Encoded with no Accept: REST sends the base64 text as is, HTTP decodes whatever the type',
      given: 'base64',
      want: {
        rest: { status: 200, text: Buffer.from('binary!').toString('base64'), contentType: 'application/octet-stream' },
        http: { status: 200, text: 'binary!', contentType: 'application/octet-stream' },
      },
    },
    {
      rule: 'R1.48 / H6.6 isBase64Encoded with Accept matching a binary media type: both decode',
      given: 'base64',
      accept: 'application/octet-stream',
      want: { rest: { status: 200, text: 'binary!', contentType: 'application/octet-stream' }, http: { status: 200, text: 'binary!', contentType: 'application/octet-stream' } },
    },
  ];

  it.each(SHAPES)('$rule', async ({ given, accept, want }) => {
    const got = await shape(given, accept ? [['Accept', accept]] : []);
    expect({ status: got.status, text: got.text, contentType: got.headers.get('content-type') }).toEqual(want[api.type]);
  });
});
