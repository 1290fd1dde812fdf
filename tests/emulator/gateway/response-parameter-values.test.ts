/**
 * R2.9: an integration response's responseParameters value is a single-quoted static value or a mapping expression;
 * API Gateway's import refuses anything else ("Invalid mapping expression specified"), failing the deploy. SAM's Cors
 * writes AllowOrigin as given: a-poor/todo-together's `AllowOrigin: "*"` (no inner quotes) made every preflight's
 * value `*`, which the emulator dropped without a word (the preflights answered without Access-Control-Allow-Origin).
 */
import { describe, expect, it } from 'vitest';
import { undeclaredHeaderItems } from '../../../emulator/gateway/undeclared-headers.js';
import type { OpenApiDocument } from '../../../emulator/template/model.js';

const ORIGIN = 'method.response.header.Access-Control-Allow-Origin';
const doc = (value: string): OpenApiDocument => ({
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  paths: {
    '/': {
      options: {
        responses: { '200': { headers: { 'Access-Control-Allow-Origin': { schema: { type: 'string' } } } } },
        'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200', responseParameters: { [ORIGIN]: value } } } },
      },
    },
  },
});

describe('responseParameters values the import refuses', () => {
  it.each([
    { given: '* without its quotes (SAM Cors AllowOrigin: "*")', value: '*', refused: true },
    { given: 'an origin without its quotes', value: 'https://app.example', refused: true },
    { given: "'*' quoted", value: "'*'", refused: false },
    { given: 'an integration header', value: 'integration.response.header.X-Origin', refused: false },
    { given: 'a body field', value: 'integration.response.body.origin', refused: false },
    { given: 'a stage variable', value: 'stageVariables.origin', refused: false },
    { given: 'a context variable', value: 'context.requestId', refused: false },
    // The integration response reads the integration's answer only (the parameter mapping source reference); a
    // request header wants a mapping template's $context.responseOverride (h160's row).
    { given: 'a method request header (a source an integration response does not read)', value: 'method.request.header.Origin', refused: true, hint: /it maps from integration\.response\.header/ },
    { given: 'an unknown source', value: 'request.header.Origin', refused: true, hint: /it maps from integration\.response\.header/ },
  ])('R2.9 $given', ({ value, refused, hint }) => {
    // Act
    const items = undeclaredHeaderItems(doc(value));

    // Assess
    const want = { subject: `x-amazon-apigateway-integration.responses.responseParameters.${ORIGIN}`, location: 'paths./.options.x-amazon-apigateway-integration.responses.default', status: 'not-emulated', detail: expect.stringMatching(/is no mapping expression .*AWS import rejects it \("Invalid mapping expression specified: .*"\), so the deploy fails; locally the header is not set$/) };
    expect(items).toEqual(refused ? [want] : []);
    if (hint) expect(items[0]?.detail).toMatch(hint);
  });
});

describe('gateway responseParameters values the import refuses', () => {
  it.each([
    { given: '* without its quotes (SAM GatewayResponses Headers: {Access-Control-Allow-Origin: "*"})', value: '*', refused: true },
    { given: "'*' quoted", value: "'*'", refused: false },
    { given: 'a method request header', value: 'method.request.header.Origin', refused: false },
    { given: 'a stage variable', value: 'stageVariables.origin', refused: false },
    { given: 'an integration response header (a gateway response has no integration answer)', value: 'integration.response.header.X', refused: true },
  ])('R8.5 $given', ({ value, refused }) => {
    // Prepare
    const api: OpenApiDocument = { ...doc("'*'"), 'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': value } } } };

    // Act
    const items = undeclaredHeaderItems(api);

    // Assess
    const want = { subject: 'x-amazon-apigateway-gateway-responses.responseParameters.gatewayresponse.header.Access-Control-Allow-Origin', location: 'x-amazon-apigateway-gateway-responses.DEFAULT_4XX', status: 'not-emulated', detail: expect.stringContaining(`AWS import rejects it ("Invalid mapping expression specified: ${value}")`) };
    expect(items).toEqual(refused ? [want] : []);
  });
});
