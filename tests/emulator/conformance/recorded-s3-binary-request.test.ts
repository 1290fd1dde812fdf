/**
 * Conformance R2.11: the request conversion table as AWS answered LocalStack's recorded S3 tests
 * (test_apigw_s3_binary_support_request[None], [CONVERT_TO_TEXT], _request_convert_to_binary and
 * _convert_to_binary_with_request_template): what the object holds after a PUT through the API, for each body and
 * Content-Type, with and without `image/png` among the binary media types. The endpoint here is a loopback server
 * that keeps what it receives, as S3 does, behind an `http` integration whose method is ANY.
 */
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { harness, inlineApiTemplate } from './harness.js';

// The recordings' three kinds of body, with bytes of our own: gzip bytes that are no UTF-8 (0x8b in the gzip header
// never is), their base64 text, and a UTF-8 text.
const RAW = gzipSync(Buffer.from('task list, compressed: bytes that are no UTF-8 text'));
const BODIES = { raw: RAW, encoded: Buffer.from(RAW.toString('base64')), text: Buffer.from('a task list typed as UTF-8 text') };
type Key = keyof typeof BODIES;

const stored = new Map<string, Buffer>();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    stored.set(`${req.method} ${req.url}`, Buffer.concat(chunks));
    res.writeHead(200, { 'Content-Length': '0' }).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

type Handling = 'NONE' | 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY';
let apiCount = 0;
/** An API writing under a prefix of its own, so that the objects of one never meet another's. */
async function api(handling: Handling, binary: boolean, template = false, accessLog?: string) {
  const prefix = String(++apiCount);
  const file = inlineApiTemplate(`s3-put-${handling}-${binary}-${template}`, [
    ...(binary ? ["x-amazon-apigateway-binary-media-types: ['image/png']"] : []),
    'paths:',
    '  /{object_path+}:',
    '    put:',
    "      responses: { '200': { description: ok } }",
    '      x-amazon-apigateway-integration:',
    '        type: http',
    '        httpMethod: ANY',
    `        uri: ${origin}/${prefix}/{object_path}`,
    '        requestParameters:',
    '          integration.request.path.object_path: method.request.path.object_path',
    '          integration.request.header.Content-Type: method.request.header.Content-Type',
    ...(handling === 'NONE' ? [] : [`        contentHandling: ${handling}`]),
    ...(template ? ['        requestTemplates: { application/json: \'{"data": "$input.body"}\' }'] : []),
    "        responses: { default: { statusCode: '200' } }",
  ]);
  const plain = (await loadTemplate(file)).apis[0]!;
  const h = await harness('Api', accessLog ? { api: { ...plain, accessLog: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g', format: accessLog } } } : {}, file);
  return { h, prefix };
}

/** PUTs `key`'s body with `type`; the bytes the endpoint stored, or the status when it is not 200. */
async function put({ h, prefix }: Awaited<ReturnType<typeof api>>, key: Key, type: string, body: Buffer = BODIES[key]): Promise<Buffer | number> {
  const response = await h.gateway.fetch(new Request(`http://localhost:3000/prod/${key}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': type } }));
  if (response.status !== 200) return response.status;
  expect(await response.text()).toBe('');
  const got = stored.get(`PUT /${prefix}/${key}`);
  stored.delete(`PUT /${prefix}/${key}`);
  return got ?? -1;
}

const asText = (b: Buffer) => Buffer.from(b.toString('utf8'));
const b64 = (b: Buffer) => Buffer.from(b.toString('base64'));
const { raw, encoded, text } = BODIES;

describe.each([
  {
    handling: 'NONE' as const,
    // no binary media types; then image/png among them, sent as image/png, then as text/plain
    none: { raw: asText(raw), encoded, text },
    binary: { raw, encoded, text },
    textType: { raw: asText(raw), encoded, text },
  },
  {
    handling: 'CONVERT_TO_TEXT' as const,
    none: { raw: asText(raw), encoded, text },
    binary: { raw: b64(raw), encoded: b64(encoded), text: b64(text) },
    textType: { raw: asText(raw), encoded, text },
  },
  {
    handling: 'CONVERT_TO_BINARY' as const,
    none: { raw: 500, encoded: raw, text: 500 },
    binary: { raw, encoded, text },
    textType: { raw: 500, encoded: raw, text: 500 },
  },
])('LS-rec test_apigw_s3_binary_support_request ($handling)', ({ handling, none, binary, textType }) => {
  it.each(['raw', 'encoded', 'text'] as const)('R2.11 no binary media types: the %s body sent as image/png (text/plain for the text body under CONVERT_TO_BINARY)', async (key) => {
    const h = await api(handling, false);
    // The recording sent the text body as text/plain in this case only.
    const type = handling === 'CONVERT_TO_BINARY' && key === 'text' ? 'text/plain' : 'image/png';
    expect(await put(h, key, type)).toEqual(none[key]);
  });

  it.each(['raw', 'encoded', 'text'] as const)('R2.11 image/png binary: the %s body sent as image/png, then as text/plain', async (key) => {
    const h = await api(handling, true);
    expect(await put(h, key, 'image/png')).toEqual(binary[key]);
    expect(await put(h, key, 'text/plain')).toEqual(textType[key]);
  });
});

describe('LS-rec test_apigw_s3_binary_support_request_convert_to_binary_with_request_template', () => {
  it('R2.11 CONVERT_TO_BINARY with an application/json template: an image/png body matches no template and is decoded; a JSON one cannot be rendered (500)', async () => {
    const h = await api('CONVERT_TO_BINARY', false, true);
    expect(await put(h, 'encoded', 'image/png')).toEqual(raw);
    expect(await put(h, 'encoded', 'application/json')).toBe(500);
  });
});

describe('neighbours of the recorded conversions', () => {
  it.each([
    { given: 'a byte order mark', body: Buffer.from([0xef, 0xbb, 0xbf, 0x41]) },
    { given: 'multi-byte characters', body: Buffer.from('é € 😀') },
  ])('R2.11 a text body in valid UTF-8 with $given passes byte for byte', async ({ body }) => {
    expect(await put(await api('NONE', false), 'text', 'text/plain', body)).toEqual(body);
  });

  it('R2.11 a truncated 4-byte sequence is one U+FFFD, as long as what it replaces, and still replaced', async () => {
    expect(await put(await api('NONE', false), 'text', 'text/plain', Buffer.from([0x41, 0xf0, 0x9f, 0x98, 0x42]))).toEqual(Buffer.from('A\uFFFDB'));
  });

  it('the access log has the endpoint`s status when the body was converted on its way (CONVERT_TO_BINARY)', async () => {
    const a = await api('CONVERT_TO_BINARY', false, false, '$context.status $context.integration.status');
    expect(await put(a, 'encoded', 'image/png')).toEqual(raw);
    expect(a.h.entries.at(-1)?.accessLog?.line).toBe('200 200');
  });
});
