/**
 * The local Cognito keys endpoint (cognito-keys-endpoint.ts) under paths no function sends but any client can: an
 * escape that decodes to no UTF-8, an absolute-form target that is no URL. Each is answered as a pool or a path it does
 * not serve, and the endpoint serves on; the first ended the whole gateway's process (an uncaught URIError).
 */
import { request } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { serveCognitoKeys } from '../../../emulator/identity/cognito-keys-endpoint.js';
import { createSelfSignedCertificate } from '../../../emulator/identity/local-certificate.js';

const logged: string[] = [];
const pool = { id: 'us-east-1_local', jwks: () => ({ keys: [] }) };
const endpoint = await serveCognitoKeys([pool], 'us-east-1', createSelfSignedCertificate(), (line) => logged.push(line));
afterAll(() => endpoint.close());

/** One GET of a raw request target over TLS (the local certificate is not checked: this is no function's client). */
function get(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: endpoint.port, path: target, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the Cognito keys endpoint under hostile paths', () => {
  it.each([
    { given: 'a pool id whose escape is no UTF-8', target: '/%E0%A4%A/.well-known/jwks.json', status: 404 },
    { given: 'an absolute-form target that is no URL', target: 'http://[1]/us-east-1_local/.well-known/jwks.json', status: 400 },
  ])('$given: $status, and the next request is served', async ({ target, status }) => {
    const refused = await get(target);
    const served = await get('/us-east-1_local/.well-known/jwks.json');

    expect(refused.status).toBe(status);
    expect([served.status, JSON.parse(served.body)]).toEqual([200, { keys: [] }]);
  });
});
