/** Conformance: gateway responses (reference 8), defaults and customisation. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_RESPONSES, type GatewayResponseType } from '../../../emulator/gateway/gateway-responses.js';
import { harness } from './harness.js';

const plain = await harness();
const custom = await harness('CustomResponsesApi');

describe('8 gateway responses', () => {
  it.each([
    ['ACCESS_DENIED', 403], ['API_CONFIGURATION_ERROR', 500], ['AUTHORIZER_CONFIGURATION_ERROR', 500], ['AUTHORIZER_FAILURE', 500],
    ['BAD_REQUEST_BODY', 400], ['BAD_REQUEST_PARAMETERS', 400], ['EXPIRED_TOKEN', 403], ['INTEGRATION_FAILURE', 504],
    ['INTEGRATION_TIMEOUT', 504], ['INVALID_API_KEY', 403], ['INVALID_SIGNATURE', 403], ['MISSING_AUTHENTICATION_TOKEN', 403],
    ['QUOTA_EXCEEDED', 429], ['REQUEST_TOO_LARGE', 413], ['RESOURCE_NOT_FOUND', 404], ['THROTTLED', 429],
    ['UNAUTHORIZED', 401], ['UNSUPPORTED_MEDIA_TYPE', 415], ['WAF_FILTERED', 403],
  ] as [GatewayResponseType, number][])('R8.1 %s defaults to %i', (type, status) => {
    expect(BUILTIN_RESPONSES[type].status).toBe(status);
  });

  it.each([
    ['MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', 'MissingAuthenticationTokenException'],
    ['INVALID_API_KEY', 'Forbidden', 'ForbiddenException'],
    ['UNAUTHORIZED', 'Unauthorized', 'UnauthorizedException'],
    ['AUTHORIZER_CONFIGURATION_ERROR', null, 'AuthorizerConfigurationException'],
    ['THROTTLED', 'Too Many Requests', 'TooManyRequestsException'],
    ['QUOTA_EXCEEDED', 'Limit Exceeded', 'LimitExceededException'],
    ['INTEGRATION_TIMEOUT', 'Endpoint request timed out', 'InternalServerErrorException'],
    ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type', 'UnsupportedMediaTypeException'],
    ['API_CONFIGURATION_ERROR', 'Internal server error', 'InternalServerErrorException'],
  ] as [GatewayResponseType, string | null, string][])('R8.2 %s says %j (%s)', (type, message, errorType) => {
    expect(BUILTIN_RESPONSES[type].message).toBe(message);
    expect(BUILTIN_RESPONSES[type].errorType).toBe(errorType);
  });

  it('A27 / R8.4 / R8.5 / R8.9 customised MISSING_AUTHENTICATION_TOKEN → 404 with static and method.request headers', async () => {
    const got = await custom.send({ path: '/custom/nowhere', headers: [['x-trace', 't-1']] });
    expect(got.status).toBe(404);
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.headers.get('x-trace-echo')).toBe('t-1');
    expect(got.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('R8.6 / R3.21 templates substitute $context.error.* (messageString quoted, responseType), $context.requestId and $stageVariables (no VTL)', async () => {
    const got = await custom.send({ path: '/custom/nowhere' });
    expect(got.json()).toEqual({ error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', id: got.headers.get('x-amzn-requestid'), color: 'green' });
  });

  // amazon-archives/aws-cognito-angular-quickstart#50: customising MISSING_AUTHENTICATION_TOKEN replaces the answer a
  // bearer token on an unknown path gets; its message is the IncompleteSignature one.
  it('R8.4 / R8.9 a bearer token on an unknown path goes through the customised MISSING_AUTHENTICATION_TOKEN', async () => {
    const got = await custom.send({ path: '/custom/nowhere', headers: [['Authorization', 'Bearer abc']] });
    expect([got.status, got.headers.get('x-amzn-errortype')]).toEqual([404, 'IncompleteSignatureException']);
    expect(got.json()).toMatchObject({ error: expect.stringMatching(/^Invalid key=value pair \(missing equal-sign\) in Authorization header/), type: 'MISSING_AUTHENTICATION_TOKEN' });
  });

  it('R8.6 / R2.3 the template is chosen by Accept and its key is the Content-Type; $context.error.message is raw', async () => {
    const got = await custom.send({ path: '/custom/nowhere', headers: [['Accept', 'text/plain']] });
    expect(got.headers.get('content-type')).toBe('text/plain');
    expect(got.text).toBe('not found: Missing Authentication Token');
  });

  it('R8.3 a 4XX type without its own customisation uses the customised DEFAULT_4XX', async () => {
    const got = await custom.send({ method: 'POST', path: '/custom/never', body: '<a/>', headers: [['Content-Type', 'application/xml']] });
    expect(got.status).toBe(415);
    expect(got.json()).toEqual({ fault4xx: 'Unsupported Media Type' });
    expect(got.headers.get('x-default-4xx')).toBe('yes');
  });

  it('R8.3 a responseParameter Content-Type overrides the template key', async () => {
    const got = await custom.send({ path: '/custom/throw' });
    expect(got.headers.get('content-type')).toBe('application/vnd.fault+json');
  });

  it('R8.3 without customisation the built-in default applies', async () => {
    const got = await plain.send({ method: 'POST', path: '/test/mock/never', body: '<a/>', headers: [['Content-Type', 'application/xml']] });
    expect(got.json()).toEqual({ message: 'Unsupported Media Type' });
    expect(got.headers.get('x-default-4xx')).toBeNull();
  });

  it('R8.7 integration-produced errors are not rewritten by gateway responses', async () => {
    const got = await custom.send({ path: '/custom/shape?case=clientError' });
    expect(got.status).toBe(404);
    expect(got.json()).toEqual({ message: 'from lambda' });
    expect(got.headers.get('x-default-4xx')).toBeNull();
  });

  it('R8.8 a body over 10 MB → 413 with the fixed text body (not customisable)', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const got = await custom.send({ method: 'POST', path: '/custom/validated', body: big });
    expect(got.status).toBe(413);
    expect(got.headers.get('content-type')).toBe('text; charset=utf-8');
    expect(got.text).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('R11.14 a body over Lambda’s 6 MB limit to a Lambda integration → 413 Request Too Long', async () => {
    const got = await plain.send({ method: 'POST', path: '/test/a', body: 'x'.repeat(7 * 1024 * 1024) });
    expect(got.status).toBe(413);
    expect(got.json()).toEqual({ message: 'Request Too Long' });
    expect(got.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });

  it('R8.2 neighbour of the spaced 5xx bodies: a 4xx default is written compact, as AWS sends it', async () => {
    const got = await plain.send({ path: '/test/nowhere' });
    expect(got.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it('R1.25 every gateway response carries x-amzn-RequestId and x-amz-apigw-id', async () => {
    const got = await plain.send({ path: '/test/nowhere' });
    expect(got.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.headers.get('x-amz-apigw-id')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });
});
