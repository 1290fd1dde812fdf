/** The pipeline's Reply, and the standard Response `Gateway.fetch` makes of it. */
import { describe, expect, it } from 'vitest';
import { fetchFrom, Reply } from '../../../emulator/gateway/reply.js';
import { CasedHeaders, fetchResponse, wireHeaders } from '../../../emulator/gateway/wire-headers.js';

describe('Reply', () => {
  it.each([
    { given: 'text', body: '{"a":"é"}', bytes: Buffer.from('{"a":"é"}'), text: '{"a":"é"}' },
    { given: 'bytes', body: new Uint8Array([0x7b, 0x7d]), bytes: Buffer.from('{}'), text: '{}' },
    { given: 'a view into a larger buffer', body: new TextEncoder().encode('xx{}yy').subarray(2, 4), bytes: Buffer.from('{}'), text: '{}' },
    { given: 'no body', body: null, bytes: Buffer.alloc(0), text: '' },
  ])('$given: the bytes on the wire and the text', ({ body, bytes, text }) => {
    // Prepare
    const reply = new Reply(200, new Headers(), body as Uint8Array<ArrayBuffer> | string | null);

    // Act + Assess
    expect(reply.bytes().equals(bytes)).toBe(true);
    expect(reply.text()).toBe(text);
  });
});

describe('fetchResponse', () => {
  it('keeps status, headers (adding none: no Content-Type for a text body), body, and the names’ case for the wire', async () => {
    // Prepare
    const headers = new CasedHeaders();
    headers.set('X-Amzn-RequestId', 'r-1');
    headers.append('Set-Cookie', 'a=1');
    headers.append('Set-Cookie', 'b=2');

    // Act
    const response = fetchResponse(new Reply(201, headers, 'made'));

    // Assess
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('made');
    expect(wireHeaders(response)).toEqual([
      ['X-Amzn-RequestId', 'r-1'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });

  it.each([101, 103, 204, 205, 304])('%i: no body, even when the Reply has an empty one (Fetch refuses any)', async (status) => {
    // Act
    const response = fetchResponse(new Reply(status === 101 || status === 103 ? 204 : status, new Headers(), ''));

    // Assess
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('fetchFrom: Gateway.fetch answers what respond built', async () => {
    // Prepare: FAKE respond, echoing the method and path it was given.
    const fetch = fetchFrom(async (request) => new Reply(200, new Headers({ 'content-type': 'text/plain' }), `${request.method} ${new URL(request.url).pathname}`));

    // Act
    const response = await fetch(new Request('http://localhost/v1/tasks', { method: 'DELETE' }));

    // Assess
    expect(response).toBeInstanceOf(Response);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('DELETE /v1/tasks');
  });
});
