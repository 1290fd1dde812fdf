/**
 * Conformance R2.11: contentHandling on non-proxy integrations, after the two tables of "Content type conversions
 * in API Gateway". Mock integrations stand for every non-proxy one: the response template is the integration's text
 * answer, and a variable set by the request template shows the request body as the integration got it.
 */
import { describe, expect, it } from 'vitest';
import { requestConversion, textResponseConversion } from '../../../emulator/gateway/content-handling.js';
import { harness, inlineApiTemplate } from './harness.js';

/** A GET mock answering `text` (a response template, none when undefined) with the integration response's contentHandling, and the integration's. */
const answering = (path: string, text: string | undefined, handling?: string, requestHandling?: string) => [
  `  ${path}:`,
  '    get:',
  "      responses: { '200': { description: ok } }",
  '      x-amazon-apigateway-integration:',
  '        type: mock',
  ...(requestHandling ? [`        contentHandling: ${requestHandling}`] : []),
  `        requestTemplates: { application/json: '{"statusCode": 200}' }`,
  `        responses: { default: { statusCode: '200'${handling ? `, contentHandling: ${handling}` : ''}${text === undefined ? '' : `, responseTemplates: { application/json: '${text}' }`} } }`,
];

/** A POST mock whose request template keeps `$input.body` for its response template: what the integration received. */
const echoing = (path: string, handling?: string) => [
  `  ${path}:`,
  '    post:',
  "      responses: { '200': { description: ok } }",
  '      x-amazon-apigateway-integration:',
  '        type: mock',
  ...(handling ? [`        contentHandling: ${handling}`] : []),
  `        requestTemplates: { image/png: '#set($seen = $input.body){"statusCode": 200}', text/plain: '#set($seen = $input.body){"statusCode": 200}' }`,
  `        responses: { default: { statusCode: '200', contentHandling: CONVERT_TO_TEXT, responseTemplates: { application/json: '$seen' } } }`,
];

const withTypes = (title: string, types: string[]) =>
  harness('Api', {}, inlineApiTemplate(title, [`x-amazon-apigateway-binary-media-types: [${types.map((t) => `'${t}'`).join(', ')}]`, 'paths:', ...answering('/cors', '{}'), ...answering('/cors-request', '{}', undefined, 'CONVERT_TO_TEXT'), ...answering('/cors-both', '{}', 'CONVERT_TO_TEXT', 'CONVERT_TO_TEXT'), ...answering('/cors-empty', undefined, undefined, 'CONVERT_TO_TEXT'), ...answering('/b64', 'aGVsbG8=', 'CONVERT_TO_BINARY'), ...answering('/b64-plain', 'aGVsbG8='), ...answering('/bad', 'not base64!', 'CONVERT_TO_BINARY'), ...echoing('/upload-text', 'CONVERT_TO_TEXT'), ...echoing('/upload-binary', 'CONVERT_TO_BINARY')]));

const star = await withTypes('content-star', ['*/*']);
const png = await withTypes('content-png', ['image/png']);
const none = await harness('Api', {}, inlineApiTemplate('content-none', ['paths:', ...answering('/b64', 'aGVsbG8=', 'CONVERT_TO_BINARY'), ...answering('/b64-plain', 'aGVsbG8=')]));

describe('R2.11 the two tables', () => {
  it.each([
    { given: 'text request, no handling', binary: false, handling: undefined, want: 'keep' },
    { given: 'text request, CONVERT_TO_BINARY', binary: false, handling: 'CONVERT_TO_BINARY' as const, want: 'decode' },
    { given: 'text request, CONVERT_TO_TEXT', binary: false, handling: 'CONVERT_TO_TEXT' as const, want: 'keep' },
    { given: 'binary request, no handling', binary: true, handling: undefined, want: 'keep' },
    { given: 'binary request, CONVERT_TO_BINARY', binary: true, handling: 'CONVERT_TO_BINARY' as const, want: 'keep' },
    { given: 'binary request, CONVERT_TO_TEXT', binary: true, handling: 'CONVERT_TO_TEXT' as const, want: 'encode' },
  ])('request: $given -> $want', ({ binary, handling, want }) => {
    expect(requestConversion(binary, handling)).toBe(want);
  });

  it.each([
    { given: 'no binary types, no handling', set: false, accept: false, handling: undefined, want: 'keep' },
    { given: 'no binary types, CONVERT_TO_BINARY', set: false, accept: false, handling: 'CONVERT_TO_BINARY' as const, want: 'decode' },
    { given: 'no binary types, CONVERT_TO_TEXT', set: false, accept: false, handling: 'CONVERT_TO_TEXT' as const, want: 'keep' },
    { given: 'text Accept, no handling', set: true, accept: false, handling: undefined, want: 'keep' },
    { given: 'text Accept, CONVERT_TO_BINARY', set: true, accept: false, handling: 'CONVERT_TO_BINARY' as const, want: 'decode' },
    { given: 'binary Accept, no handling', set: true, accept: true, handling: undefined, want: 'decode' },
    { given: 'binary Accept, CONVERT_TO_BINARY', set: true, accept: true, handling: 'CONVERT_TO_BINARY' as const, want: 'decode' },
    { given: 'binary Accept, CONVERT_TO_TEXT', set: true, accept: true, handling: 'CONVERT_TO_TEXT' as const, want: 'keep' },
  ])('response (text data): $given -> $want', ({ set, accept, handling, want }) => {
    expect(textResponseConversion(set, accept, handling)).toBe(want);
  });
});

describe('R2.11 responses', () => {
  it.each([
    { given: 'no contentHandling: the request (application/json when no Content-Type) is binary, its template cannot apply', path: '/prod/cors', status: 500, log: /Unable to transform request/ },
    { given: 'CONVERT_TO_TEXT on the integration only: the answer {} is then base64-decoded for the binary Accept', path: '/prod/cors-request', status: 500, log: /could not base64-decode "\{\}" \(R2\.11\)/ },
    { given: 'CONVERT_TO_TEXT on the integration and its response', path: '/prod/cors-both', status: 200, log: undefined },
    { given: 'CONVERT_TO_TEXT on the integration, an empty answer (nothing to decode)', path: '/prod/cors-empty', status: 200, log: undefined },
  ])('binaryMediaTypes */* (every request and Accept binary), a CORS-style mock: $given -> $status', async ({ path, status, log }) => {
    const before = star.logs.length;
    const got = await star.send({ path, headers: [['Accept', '*/*']] });
    expect(got.status).toBe(status);
    if (log) expect(star.logs.slice(before).some((l) => log.test(l))).toBe(true);
  });

  it.each([
    { given: 'CONVERT_TO_BINARY, a text Accept', h: () => png, path: '/prod/b64', accept: 'application/json', want: 'hello' },
    { given: 'no handling, a binary Accept', h: () => png, path: '/prod/b64-plain', accept: 'image/png', want: 'hello' },
    { given: 'no handling, a text Accept', h: () => png, path: '/prod/b64-plain', accept: 'application/json', want: 'aGVsbG8=' },
    { given: 'no binary types, CONVERT_TO_BINARY', h: () => none, path: '/prod/b64', accept: 'application/json', want: 'hello' },
    { given: 'no binary types, no handling, whatever the Accept', h: () => none, path: '/prod/b64-plain', accept: 'image/png', want: 'aGVsbG8=' },
  ])('$given: $want', async ({ h, path, accept, want }) => {
    const got = await h().send({ path, headers: [['Accept', accept]] });
    expect([got.status, got.text]).toEqual([200, want]);
  });

  it('CONVERT_TO_BINARY of text that is no base64 is a 500, logged', async () => {
    const got = await png.send({ path: '/prod/bad', headers: [['Accept', 'application/json']] });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });

  it('the key is reported emulated', () => {
    expect(png.gateway.support.filter((i) => i.subject === 'x-amazon-apigateway-integration.contentHandling').every((i) => i.status === 'emulated')).toBe(true);
  });
});

describe('R2.11 requests', () => {
  it('a binary body (its Content-Type a binary media type) reaches the integration base64-encoded with CONVERT_TO_TEXT', async () => {
    const got = await png.send({ method: 'POST', path: '/prod/upload-text', headers: [['Content-Type', 'image/png'], ['Accept', 'application/json']], body: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) });
    expect(got.status).toBe(200);
    expect(got.text).toBe('3q2+7w==');
  });

  it.each([
    { given: 'base64 text', body: 'aGVsbG8=' },
    { given: 'text that is no base64', body: 'not base64!' },
  ])('a text body under CONVERT_TO_BINARY cannot go through a request template: $given -> 500, as AWS answered LocalStack`s recorded S3 test', async ({ body }) => {
    const got = await png.send({ method: 'POST', path: '/prod/upload-binary', headers: [['Content-Type', 'text/plain'], ['Accept', 'application/json']], body });
    expect([got.status, got.text]).toEqual([500, '{"message": "Internal server error"}']);
    expect(png.logs.at(-1)).toMatch(/Unable to transform request/);
  });

  it('a binary body through a request template without CONVERT_TO_TEXT is 500 (Unable to transform request)', async () => {
    const got = await png.send({ method: 'POST', path: '/prod/upload-binary', headers: [['Content-Type', 'image/png'], ['Accept', 'application/json']], body: new Uint8Array([1, 2, 3]) });
    expect(got.status).toBe(500);
    expect(png.logs.at(-1)).toMatch(/Unable to transform request/);
  });

  it('a text body is left as it is by CONVERT_TO_TEXT', async () => {
    const got = await png.send({ method: 'POST', path: '/prod/upload-text', headers: [['Content-Type', 'text/plain'], ['Accept', 'application/json']], body: 'plain words' });
    expect(got.text).toBe('plain words');
  });
});
