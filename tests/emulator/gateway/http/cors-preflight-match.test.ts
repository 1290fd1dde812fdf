/**
 * H9.1 / H9.6: which preflights an HTTP API's CORS configuration allows. One the configuration does not allow (origin,
 * method or a requested header) is answered 204 with no CORS headers ([AMBIGUOUS], emulator/README.md); `*` allows any
 * method or header, and a configuration without AllowMethods allows no preflight (LocalStack's AWS-validated CORS tests).
 */
import { describe, expect, it } from 'vitest';
import { preflightResponse } from '../../../../emulator/gateway/http/cors.js';
import type { HttpCorsSpec } from '../../../../emulator/template/model.js';

const spec = (over: Partial<HttpCorsSpec>): HttpCorsSpec => ({ allowOrigins: ['https://app.example'], allowMethods: [], allowHeaders: [], exposeHeaders: [], allowCredentials: false, ...over });
const allowOrigin = (cors: HttpCorsSpec, method: string, requested?: string) =>
  preflightResponse(cors, [['Origin', 'https://app.example'], ['Access-Control-Request-Method', method], ...(requested === undefined ? [] : [['Access-Control-Request-Headers', requested] as [string, string]])]).headers.get('access-control-allow-origin');

describe('H9.1 preflight matching', () => {
  it.each([
    { given: 'AllowMethods *', cors: spec({ allowMethods: ['*'] }), method: 'PATCH', requested: undefined, allowed: true },
    { given: 'AllowMethods * and AllowHeaders *', cors: spec({ allowMethods: ['*'], allowHeaders: ['*'] }), method: 'PUT', requested: 'x-any, x-other', allowed: true },
    { given: 'no AllowMethods', cors: spec({ allowHeaders: ['*'] }), method: 'GET', requested: undefined, allowed: false },
    { given: 'a requested header and no AllowHeaders', cors: spec({ allowMethods: ['*'] }), method: 'GET', requested: 'x-any', allowed: false },
    { given: 'an empty Access-Control-Request-Headers', cors: spec({ allowMethods: ['GET'] }), method: 'GET', requested: '', allowed: true },
    { given: 'a lower-case requested method', cors: spec({ allowMethods: ['GET'] }), method: 'get', requested: undefined, allowed: true },
  ])('[AMBIGUOUS] $given → allowed: $allowed', ({ cors, method, requested, allowed }) => {
    expect(allowOrigin(cors, method, requested)).toBe(allowed ? 'https://app.example' : null);
  });
});

describe('function URLs (Lambda`s front end, not API Gateway`s)', () => {
  it('[AMBIGUOUS] only the origin counts: no AllowMethods still answers an allowed origin', () => {
    const got = preflightResponse(spec({}), [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'DELETE']], false);
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});
