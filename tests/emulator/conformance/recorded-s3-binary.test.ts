/**
 * Conformance R2.11: the response conversion table as AWS answered LocalStack's recorded S3 tests
 * (test_apigw_s3_binary_support_response_no_content_handling, _convert_to_text, _convert_to_binary): an integration
 * whose endpoint answers an object's bytes with the Content-Type asked for by `response-content-type` (S3's
 * `binary/octet-stream` by default), with and without `image/png` among the binary media types, for an Accept of
 * `image/png` or `text/plain`. The endpoint here is a loopback server answering as S3 does, behind an `http`
 * integration (the gateway applies the same table to AWS service integrations).
 */
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

// The recordings' three kinds of body, with bytes of our own: gzip bytes that are no UTF-8 (0x8b in the gzip header
// never is), their base64 text, and a UTF-8 text.
const RAW = gzipSync(Buffer.from('task list, compressed: bytes that are no UTF-8 text'));
const OBJECTS: Record<string, Buffer> = { raw: RAW, encoded: Buffer.from(RAW.toString('base64')), text: Buffer.from('a task list typed as UTF-8 text') };

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const body = OBJECTS[url.pathname.slice(1)];
  if (!body) return res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': url.searchParams.get('response-content-type') ?? 'binary/octet-stream', ETag: '"etag"' }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

type Handling = 'NONE' | 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY';
const api = (handling: Handling, binary: boolean, template?: string) =>
  harness('Api', {}, inlineApiTemplate(`s3-${handling}-${binary}-${template ? 'template' : 'plain'}`, [
    ...(binary ? ["x-amazon-apigateway-binary-media-types: ['image/png']"] : []),
    'paths:',
    '  /{object_path+}:',
    '    get:',
    "      responses: { '200': { description: ok, headers: { ETag: { schema: { type: string } } } } }",
    '      x-amazon-apigateway-integration:',
    '        type: http',
    '        httpMethod: GET',
    `        uri: ${origin}/{object_path}`,
    '        requestParameters:',
    '          integration.request.path.object_path: method.request.path.object_path',
    '          integration.request.querystring.response-content-type: method.request.header.response-content-type',
    `        responses: { default: { statusCode: '200', responseParameters: { method.response.header.ETag: integration.response.header.ETag }${handling === 'NONE' ? '' : `, contentHandling: ${handling}`}${template ? `, responseTemplates: { application/json: '${template}' }` : ''} } }`,
  ]));

const apis = {
  NONE: { plain: await api('NONE', false), binary: await api('NONE', true) },
  CONVERT_TO_TEXT: { plain: await api('CONVERT_TO_TEXT', false), binary: await api('CONVERT_TO_TEXT', true) },
  CONVERT_TO_BINARY: { plain: await api('CONVERT_TO_BINARY', false), binary: await api('CONVERT_TO_BINARY', true) },
};

const b64 = (b: Buffer) => Buffer.from(b.toString('base64'));
/** Bytes read as UTF-8 text with each malformed sequence replaced by U+FFFD (the recordings' 67 gzip bytes became 99 so). */
const asText = (b: Buffer) => Buffer.from(b.toString('utf8'));
it('the raw object taken as text has U+FFFD in place of its bad bytes, so it grows, as the recorded object did', () => {
  expect(asText(RAW).toString('utf8')).toContain('\uFFFD');
  expect(asText(RAW).length).toBeGreaterThan(RAW.length);
});

// want: the bytes the client gets, or 500.
const NO_MEDIA = [
  { key: 'text', accept: 'text/plain', type: undefined },
  { key: 'raw', accept: 'image/png', type: undefined },
  { key: 'encoded', accept: 'image/png', type: undefined },
] as const;
const MATRIX = (['image/png', 'text/plain'] as const).flatMap((accept) =>
  ([undefined, 'image/png'] as const).flatMap((type) => (['encoded', 'raw', 'text'] as const).map((key) => ({ key, accept, type }))),
);
type Cell = { key: keyof typeof OBJECTS; accept: string; type: string | undefined };

const expected: Record<Handling, { plain: (c: Cell) => Buffer | 500; binary: (c: Cell) => Buffer | 500 }> = {
  NONE: {
    plain: (c) => (c.key === 'raw' ? asText(RAW) : OBJECTS[c.key]!),
    binary: (c) => {
      const body = OBJECTS[c.key]!;
      const binaryPayload = c.type === 'image/png';
      const binaryAccept = c.accept === 'image/png';
      if (binaryPayload) return binaryAccept ? body : b64(body);
      if (!binaryAccept) return c.key === 'raw' ? asText(RAW) : body;
      return c.key === 'encoded' ? RAW : 500; // text taken as base64: only the encoded object decodes
    },
  },
  CONVERT_TO_TEXT: {
    plain: (c) => (c.key === 'raw' ? asText(RAW) : OBJECTS[c.key]!),
    binary: (c) => {
      const body = OBJECTS[c.key]!;
      if (c.type === 'image/png') return b64(body);
      return c.key === 'raw' ? asText(RAW) : body;
    },
  },
  CONVERT_TO_BINARY: {
    plain: (c) => (c.key === 'encoded' ? RAW : 500),
    binary: (c) => {
      const body = OBJECTS[c.key]!;
      if (c.type === 'image/png') return body;
      return c.key === 'encoded' ? RAW : 500;
    },
  },
};

describe.each(['NONE', 'CONVERT_TO_TEXT', 'CONVERT_TO_BINARY'] as const)('LS-rec test_apigw_s3_binary_support_response (%s)', (handling) => {
  const get = async (media: 'plain' | 'binary', c: Cell) => {
    const headers: [string, string][] = [['Accept', c.accept], ...(c.type ? [['response-content-type', c.type] as [string, string]] : [])];
    const response = await apis[handling][media].gateway.fetch(new Request(`http://localhost:3000/prod/${c.key}`, { headers: new Headers(headers) }));
    const bytes = Buffer.from(await response.arrayBuffer());
    return response.status === 500 ? 500 : (expect(response.status).toBe(200), expect(response.headers.get('etag')).toBe('"etag"'), bytes);
  };

  it.each(NO_MEDIA)('R2.11 no binary media types: $key object, Accept $accept', async (c) => {
    expect(await get('plain', c)).toEqual(expected[handling].plain(c));
  });

  it.each(MATRIX)('R2.11 image/png binary: $key object as ${type}, Accept $accept', async (c) => {
    expect(await get('binary', c)).toEqual(expected[handling].binary(c));
  });
});

describe('LS-rec test_apigw_s3_binary_support_response_convert_to_binary_with_request_template', () => {
  const templated = (handling: Handling) => api(handling, true, '{"data": "$input.body"}');
  const get = async (handling: Handling) => (await templated(handling)).gateway.fetch(new Request('http://localhost:3000/prod/encoded', { headers: { Accept: 'image/png' } }));

  it('R2.11 CONVERT_TO_TEXT: the text object goes through the application/json response template', async () => {
    const response = await get('CONVERT_TO_TEXT');
    expect([response.status, await response.text()]).toEqual([200, `{"data": "${OBJECTS.encoded!.toString()}"}`]);
  });

  it('R2.11 CONVERT_TO_BINARY: the template cannot render the decoded bytes (500)', async () => {
    expect((await get('CONVERT_TO_BINARY')).status).toBe(500);
  });
});
