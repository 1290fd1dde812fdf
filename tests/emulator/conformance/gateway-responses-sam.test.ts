/**
 * Conformance: gateway responses as SAM's `GatewayResponses` writes them. Headers alone customise no body (SAM writes
 * an empty `responseTemplates` map, and the default body stays), and REQUEST_TOO_LARGE is answered with its built-in
 * default whatever the API customises (R8.8), which the start report says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-responses-sam-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'template.yaml');
writeFileSync(join(dir, 'index.mjs'), "export const handler = async () => ({ statusCode: 200, body: 'stored' });\n");
writeFileSync(
  file,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Upload:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: nodejs20.x',
    '      Handler: index.handler',
    '      CodeUri: .',
    '      Events:',
    '        Post: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /upload, Method: post } }',
    '  Api:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      StageName: prod',
    '      GatewayResponses:',
    '        DEFAULT_4XX:',
    '          ResponseParameters:',
    '            Headers:',
    "              Access-Control-Allow-Origin: \"'*'\"",
    '        REQUEST_TOO_LARGE:',
    "          StatusCode: '400'",
    '          ResponseParameters:',
    '            Headers:',
    "              X-Too-Large: \"'custom'\"",
    '          ResponseTemplates:',
    "            application/json: '{\"custom\":\"too big\"}'",
  ].join('\n'),
);
const h = await harness('Api', {}, file);

describe('SAM GatewayResponses', () => {
  it('R8.3 DEFAULT_4XX with headers only: a 4xx keeps its default body and content type, and gets the headers', async () => {
    const got = await h.send({ path: '/prod/nowhere' });
    expect(got.status).toBe(403);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.text).toBe('{"message":"Missing Authentication Token"}');
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('R8.8 / R11.14 a body over the 6 MB a Lambda event carries → the built-in 413, neither its own nor DEFAULT_4XX customisation', async () => {
    const got = await h.send({ method: 'POST', path: '/prod/upload', body: 'x'.repeat(7 * 1024 * 1024), headers: [['Content-Type', 'text/plain']] });
    expect(got.status).toBe(413);
    expect(got.text).toBe('{"message": "Request Too Long"}');
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(got.headers.get('x-too-large')).toBeNull();
    expect(got.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the neighbour under the limit reaches the function', async () => {
    const got = await h.send({ method: 'POST', path: '/prod/upload', body: 'x'.repeat(1024), headers: [['Content-Type', 'text/plain']] });
    expect([got.status, got.text]).toEqual([200, 'stored']);
  });

  it('R8.8 the start report names the REQUEST_TOO_LARGE customisation as ignored, and DEFAULT_4XX as emulated', () => {
    const item = h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-gateway-responses.REQUEST_TOO_LARGE');
    expect(item).toMatchObject({ status: 'ignored', detail: expect.stringContaining('R8.8') });
    expect(h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-gateway-responses.DEFAULT_4XX')).toBeUndefined();
    expect(h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-gateway-responses')?.status).toBe('emulated');
  });
});
