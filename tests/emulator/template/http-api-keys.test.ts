/**
 * emulator/template/http-api-keys.ts: an imported HTTP API document's keys the gateway does not read are accounted for
 * in the start report (never silent): extensions on a path or an operation, integration keys not applied, and
 * x-amazon-apigateway-* keys nested inside an integration.
 */
import { describe, expect, it } from 'vitest';
import { importHttpApiDocument } from '../../../emulator/template/http-api-document.js';
import type { OpenApiDocument } from '../../../emulator/template/model.js';

const AWS = { region: 'us-east-1', accountId: '123456789012' };
const integration = { type: 'http_proxy', httpMethod: 'GET', uri: 'https://example.com', payloadFormatVersion: '1.0' };

describe('an HTTP API document`s keys the gateway does not read', () => {
  it('H2: each is a note naming where it stands, IGNORED (no effect) or NOT EMULATED (never applied)', () => {
    const doc = {
      openapi: '3.0.1',
      paths: {
        '/m': {
          'x-amazon-apigateway-path-thing': 1,
          get: {
            'x-amazon-apigateway-request-validator': 'all',
            'x-amazon-apigateway-integration': { ...integration, tlsConfig: { serverNameToVerify: 'x', 'x-amazon-apigateway-nested': 1 }, timeoutInMilis: 100 },
          },
        },
        '/shared': { get: { 'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/one' } } },
      },
      components: { 'x-amazon-apigateway-integrations': { one: { ...integration, connectionId: 'abc' } } },
    } as unknown as OpenApiDocument;

    const { notes } = importHttpApiDocument(doc, 'template.yaml', AWS);

    expect(notes.map((n) => [n.status, n.location])).toEqual([
      ['ignored', 'paths./m.x-amazon-apigateway-path-thing'],
      ['ignored', 'paths./m.get.x-amazon-apigateway-request-validator'],
      ['ignored', 'paths./m.get.x-amazon-apigateway-integration.tlsConfig'],
      ['not-emulated', 'paths./m.get.x-amazon-apigateway-integration.tlsConfig.x-amazon-apigateway-nested'],
      ['not-emulated', 'paths./m.get.x-amazon-apigateway-integration.timeoutInMilis'],
      ['ignored', 'components.x-amazon-apigateway-integrations.one.connectionId'],
    ]);
    expect(notes[4]).toEqual({ subject: 'x-amazon-apigateway-integration.timeoutInMilis', location: 'paths./m.get.x-amazon-apigateway-integration.timeoutInMilis', status: 'not-emulated', detail: 'unknown integration key: never applied' });
  });

  it('H2: passthroughBehavior (Abhiek187/aws-shop store/openapi.yaml, deployed with it on aws_proxy) is IGNORED with why, not NOT EMULATED', () => {
    // Prepare
    const doc = { openapi: '3.0.1', paths: { '/e': { post: { 'x-amazon-apigateway-integration': { ...integration, passthroughBehavior: 'when_no_templates' } } } } } as unknown as OpenApiDocument;

    // Act
    const { notes } = importHttpApiDocument(doc, 'template.yaml', AWS);

    // Assess
    expect(notes).toEqual([{ subject: 'x-amazon-apigateway-integration.passthroughBehavior', location: 'paths./e.post.x-amazon-apigateway-integration.passthroughBehavior', status: 'ignored', detail: expect.stringMatching(/WebSocket API/) }]);
  });

  it('neighbour: an integration of the keys it reads, on a path of verbs only, adds no note', () => {
    const doc = { openapi: '3.0.1', paths: { '/m': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { ...integration, timeoutInMillis: 100, credentials: 'arn:aws:iam::123456789012:role/r' } } } } } as unknown as OpenApiDocument;

    expect(importHttpApiDocument(doc, 'template.yaml', AWS).notes).toEqual([]);
  });
});

describe('H2.8 the keys of an HTTP API x-amazon-apigateway-authorizer it does not read', () => {
  const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';
  const withAuthorizer = (authorizer: Record<string, unknown>) =>
    ({ openapi: '3.0.1', paths: {}, components: { securitySchemes: { Auth: { type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authorizer': authorizer } } } }) as unknown as OpenApiDocument;
  const read = { type: 'request', authorizerUri: LAMBDA_URI, identitySource: ['$request.header.X'], authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, authorizerResultTtlInSeconds: 0 };

  it('a REST key (identityValidationExpression, providerARNs) is IGNORED and a key no authorizer has NOT EMULATED, each where it stands', () => {
    // Act
    const { notes } = importHttpApiDocument(withAuthorizer({ ...read, identityValidationExpression: '^x$', providerARNs: [], authorizerTtl: 5 }), 'template.yaml', AWS);

    // Assess
    expect(notes.map((n) => [n.subject, n.status, n.location])).toEqual([
      ['x-amazon-apigateway-authorizer.identityValidationExpression', 'ignored', 'components.securitySchemes.Auth.x-amazon-apigateway-authorizer'],
      ['x-amazon-apigateway-authorizer.providerARNs', 'ignored', 'components.securitySchemes.Auth.x-amazon-apigateway-authorizer'],
      ['x-amazon-apigateway-authorizer.authorizerTtl', 'not-emulated', 'components.securitySchemes.Auth.x-amazon-apigateway-authorizer'],
    ]);
    expect(notes[0]?.detail).toMatch(/REST.*not recorded/);
  });

  it('neighbour: an authorizer of the keys HTTP APIs read adds no note', () => {
    expect(importHttpApiDocument(withAuthorizer(read), 'template.yaml', AWS).notes).toEqual([]);
  });
});
