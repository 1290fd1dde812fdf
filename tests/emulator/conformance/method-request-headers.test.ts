/**
 * Conformance: a mapping template sees the method request's headers as the integration does, API Gateway's own
 * X-Forwarded-* and trace headers included (R1.13): `$input.params('X-Forwarded-For')` is the usual way a non-proxy
 * template reads the caller's address.
 */
import { describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

const template = [
  '{',
  `"xff": "$input.params('X-Forwarded-For')",`,
  `"port": "$input.params().header.get('X-Forwarded-Port')",`,
  `"proto": "$input.params().header.get('X-Forwarded-Proto')",`,
  `"trace": "$input.params().header.get('X-Amzn-Trace-Id')",`,
  `"names": "#foreach($n in $input.params().header.keySet())$n#if($foreach.hasNext),#end#end",`,
  `"agent": "$input.params('User-Agent')"`,
  '}',
].join('');
const file = inlineApiTemplate('method-request-headers', [
  'paths:',
  '  /headers:',
  '    get:',
  "      responses: { '200': { description: ok } }",
  '      x-amazon-apigateway-integration:',
  '        type: mock',
  `        requestTemplates: { application/json: '{"statusCode": 200}' }`,
  `        responses: { default: { statusCode: '200', responseTemplates: { application/json: ${JSON.stringify(template)} } } }`,
]);
const h = await harness('Api', {}, file);
const read = async (headers: [string, string][]) => (await h.send({ path: '/prod/headers', headers })).json() as Record<string, string>;

describe('R1.13 $input.params() holds the headers API Gateway adds', () => {
  it.each([
    { given: 'no X-Forwarded-For sent', sent: [] as [string, string][], xff: '127.0.0.1' },
    { given: 'a chain sent: the caller`s address appended', sent: [['X-Forwarded-For', '203.0.113.9']] as [string, string][], xff: '203.0.113.9, 127.0.0.1' },
    { given: 'a chain sent in lower case: one header, not two', sent: [['x-forwarded-for', '203.0.113.9']] as [string, string][], xff: '203.0.113.9, 127.0.0.1' },
  ])('X-Forwarded-For with $given', async ({ sent, xff }) => {
    const got = await read(sent);
    expect(got.xff).toBe(xff);
    expect((got.names ?? '').split(',').filter((n) => n.toLowerCase() === 'x-forwarded-for')).toHaveLength(1);
  });

  it('X-Forwarded-Port (the port of the Host), X-Forwarded-Proto and X-Amzn-Trace-Id are there, whatever the caller sent', async () => {
    const got = await read([['X-Forwarded-Proto', 'gopher'], ['X-Amzn-Trace-Id', 'Root=1-00000000-000000000000000000000001']]);
    expect(got.port).toBe('3000');
    expect(got.proto).toBe('http');
    // The caller`s Root carries on, as in the proxy event (trace.ts).
    expect(got.trace).toMatch(/^Root=1-00000000-000000000000000000000001(;|$)/);
  });

  it('neighbour: the caller`s own headers are still there as sent', async () => {
    expect((await read([['User-Agent', 'tests/1']])).agent).toBe('tests/1');
  });
});
