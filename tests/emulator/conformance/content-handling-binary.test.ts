/**
 * Conformance R2.11, the response table's binary-data rows: an `http` integration whose endpoint answers bytes of a
 * binary media type (a PNG, as an S3 or image-service proxy returns) and what the client gets for each Accept and
 * contentHandling. The endpoint is a loopback server this test starts; its bytes are no valid UTF-8.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryResponseConversion } from '../../../emulator/gateway/content-handling.js';
import { harness, inlineApiTemplate } from './harness.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe]);

/** /image answers the PNG bytes, /json a JSON text. */
const server = createServer((req, res) => {
  if (req.url === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":true}');
  res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A GET `http` integration of `target` whose default integration response has `handling` and maps the endpoint's Content-Type. */
const route = (path: string, target: string, handling?: string, template?: string) => [
  `  ${path}:`,
  '    get:',
  "      responses: { '200': { description: ok, headers: { Content-Type: { schema: { type: string } } } } }",
  '      x-amazon-apigateway-integration:',
  '        type: http',
  '        httpMethod: GET',
  `        uri: ${origin}${target}`,
  `        responses: { default: { statusCode: '200', responseParameters: { method.response.header.Content-Type: integration.response.header.Content-Type }${handling ? `, contentHandling: ${handling}` : ''}${template ? `, responseTemplates: { image/png: '${template}', application/json: '${template}' }` : ''} } }`,
];

const h = await harness(
  'Api',
  {},
  inlineApiTemplate('binary-answers', [
    "x-amazon-apigateway-binary-media-types: ['image/png']",
    'paths:',
    ...route('/image', '/image'),
    ...route('/image-text', '/image', 'CONVERT_TO_TEXT'),
    ...route('/image-binary', '/image', 'CONVERT_TO_BINARY'),
    ...route('/image-templated', '/image', undefined, 'templated'),
    ...route('/json', '/json'),
  ]),
);

async function get(path: string, accept: string): Promise<{ status: number; bytes: Buffer; contentType: string | null }> {
  const response = await h.gateway.fetch(new Request(`http://localhost:3000/prod${path}`, { headers: { Accept: accept } }));
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

describe('R2.11 the response table, binary integration data', () => {
  it.each([
    { given: 'binary Accept, no handling', accept: true, handling: undefined, want: 'keep' },
    { given: 'binary Accept, CONVERT_TO_BINARY', accept: true, handling: 'CONVERT_TO_BINARY' as const, want: 'keep' },
    { given: 'binary Accept, CONVERT_TO_TEXT', accept: true, handling: 'CONVERT_TO_TEXT' as const, want: 'encode' },
    { given: 'text Accept, no handling', accept: false, handling: undefined, want: 'encode' },
    { given: 'text Accept, CONVERT_TO_BINARY', accept: false, handling: 'CONVERT_TO_BINARY' as const, want: 'keep' },
    { given: 'text Accept, CONVERT_TO_TEXT', accept: false, handling: 'CONVERT_TO_TEXT' as const, want: 'encode' },
  ])('$given -> $want', ({ accept, handling, want }) => {
    expect(binaryResponseConversion(accept, handling)).toBe(want);
  });
});

describe('R2.11 an http integration answering image/png', () => {
  it.each([
    { given: 'binary Accept, no handling: the bytes as sent', path: '/image', accept: 'image/png', want: PNG },
    { given: 'binary Accept, CONVERT_TO_BINARY: the bytes', path: '/image-binary', accept: 'image/png', want: PNG },
    { given: 'binary Accept, CONVERT_TO_TEXT: base64 text', path: '/image-text', accept: 'image/png', want: Buffer.from(PNG.toString('base64')) },
    { given: 'text Accept, no handling: base64 text', path: '/image', accept: 'application/json', want: Buffer.from(PNG.toString('base64')) },
    { given: 'text Accept, CONVERT_TO_BINARY: the bytes', path: '/image-binary', accept: 'application/json', want: PNG },
    { given: 'text Accept, CONVERT_TO_TEXT: base64 text', path: '/image-text', accept: 'application/json', want: Buffer.from(PNG.toString('base64')) },
  ])('$given', async ({ path, accept, want }) => {
    const got = await get(path, accept);

    expect(got.status).toBe(200);
    expect(got.bytes.equals(want)).toBe(true);
    expect(got.contentType).toBe('image/png');
  });

  it('bytes passed through are not rendered by a response template; encoded ones are', async () => {
    expect((await get('/image-templated', 'image/png')).bytes.equals(PNG)).toBe(true);
    expect((await get('/image-templated', 'application/json')).bytes.toString()).toBe('templated');
  });

  it('a JSON answer on the same API is text data (the text table): a binary Accept base64-decodes it (no base64: 500), a text Accept keeps it', async () => {
    expect((await get('/json', 'image/png')).status).toBe(500);
    const got = await get('/json', 'application/json');
    expect([got.status, got.bytes.toString()]).toEqual([200, '{"text":true}']);
  });
});
