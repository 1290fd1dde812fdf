/**
 * HTTP API conformance: what only HTTP APIs have (H12.2), each served by the gateway on one request: JWT authorizers,
 * built-in CORS, the auto-deployed `$default` stage and the `$default` route, simple authorizer responses, AWS service
 * integrations chosen by `integrationSubtype`; private integrations (VPC links) are reported not emulated.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { startFakeAwsService } from '../support/fake-aws-service.js';
import { CFN_TEMPLATE, echoedV2, httpHarness } from './harness.js';

const fake = await startFakeAwsService({ status: 200, contentType: 'text/xml', body: '<SendMessageResponse/>' });
const dir = mkdtempSync(join(tmpdir(), 'http-only-'));
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
const SUBTYPE = join(dir, 'template.yaml');
writeFileSync(
  SUBTYPE,
  [
    'Resources:',
    '  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { Name: services, ProtocolType: HTTP } }',
    '  Stage: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref Api, StageName: $default, AutoDeploy: true } }',
    '  SendIntegration:',
    '    Type: AWS::ApiGatewayV2::Integration',
    '    Properties:',
    '      ApiId: !Ref Api',
    '      IntegrationType: AWS_PROXY',
    '      IntegrationSubtype: SQS-SendMessage',
    '      CredentialsArn: arn:aws:iam::123456789012:role/apigw',
    "      PayloadFormatVersion: '1.0'",
    '      RequestParameters: { QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/q, MessageBody: $request.body }',
    '  SendRoute: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: POST /send, Target: !Sub "integrations/${SendIntegration}" } }',
  ].join('\n'),
);

const auth = await httpHarness('AuthApi');
const implicit = await httpHarness('ServerlessHttpApi');
const plain = await httpHarness('PlainApi', CFN_TEMPLATE);
const services = await httpHarness('Api', SUBTYPE, { services: { endpoints: { AWS_ENDPOINT_URL_SQS: fake.url }, credentials: TEST_CREDENTIALS, region: 'us-east-1' } });
const jwtOf = (text: string) => (JSON.parse(text) as { requestContext: { authorizer?: { jwt?: { claims: Record<string, string> } } } }).requestContext.authorizer?.jwt?.claims.sub;

describe('H12.2 what only HTTP APIs have, served', () => {
  it.each([
    {
      feature: 'a JWT authorizer: the token\'s claims reach the function',
      act: async () => {
        const got = await auth.send({ path: '/dev/me', headers: [['Authorization', auth.token({ sub: 'user-12' })]] });
        return [got.status, jwtOf(got.text)];
      },
      want: [200, 'user-12'],
    },
    {
      feature: 'built-in CORS: the gateway answers the preflight itself',
      act: async () => {
        const got = await auth.send({ method: 'OPTIONS', path: '/dev/me', headers: [['Origin', 'https://app.example.com'], ['Access-Control-Request-Method', 'GET']] });
        return [got.status, got.headers.get('access-control-allow-origin')];
      },
      want: [204, 'https://app.example.com'],
    },
    {
      feature: 'the $default stage SAM deploys automatically, served at the root',
      act: async () => {
        const event = echoedV2(await implicit.send({ path: '/pets/dog/1' }));
        return [event.requestContext.stage, event.rawPath];
      },
      want: ['$default', '/pets/dog/1'],
    },
    {
      feature: 'the $default route: what no route matches',
      act: async () => {
        const event = echoedV2(await implicit.send({ method: 'PUT', path: '/' }));
        return [event.routeKey, event.requestContext.http.method];
      },
      want: ['$default', 'PUT'],
    },
    {
      feature: 'a Lambda authorizer\'s simple response ({isAuthorized})',
      act: async () => {
        const allowed = await auth.send({ path: '/dev/simple/1', headers: [['x-key', 'allow-12']] });
        const denied = await auth.send({ path: '/dev/simple/1', headers: [['x-key', 'deny-12']] });
        return [allowed.status, denied.status];
      },
      want: [200, 403],
    },
    {
      feature: 'an AWS service integration chosen by integrationSubtype (SQS-SendMessage to the configured endpoint)',
      act: async () => {
        const got = await services.send({ method: 'POST', path: '/send', body: 'hello' });
        const call = new URLSearchParams(fake.received.at(-1)?.body ?? '');
        return [got.status, call.get('Action'), call.get('MessageBody')];
      },
      want: [200, 'SendMessage', 'hello'],
    },
    {
      feature: 'a private integration (VPC link): reported not emulated, answered 500',
      act: async () => {
        const got = await plain.send({ path: '/website' });
        return [got.status, plain.gateway.routes.find((r) => r.path === '/website')?.emulated];
      },
      want: [500, false],
    },
  ])('H12.2 $feature', async ({ act, want }) => {
    // Act
    const observed = await act();

    // Assess
    expect(observed).toEqual(want);
  });
});
