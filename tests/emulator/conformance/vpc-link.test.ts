/**
 * Conformance: a private integration (connectionType VPC_LINK) reaches a load balancer inside a VPC, which nothing
 * local stands for. Its route is reported not emulated at start and answers 500 when called, never a request sent
 * to whatever its uri names; the same integration without the link is served.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, inlineApiTemplate } from './harness.js';

let hits = 0;
const backend = createServer((_req, res) => {
  hits += 1;
  res.writeHead(200, { 'content-type': 'text/plain' }).end('backend');
});
await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/`;
afterAll(() => backend.close());

const integration = (extra: string) => `{ type: http_proxy, httpMethod: ANY, uri: '${url}'${extra} }`;
const file = inlineApiTemplate(
  'vpc-link',
  [
    'paths:',
    '  /private:',
    `    get: { x-amazon-apigateway-integration: ${integration(', connectionType: VPC_LINK, connectionId: !Ref Link')} }`,
    '  /public:',
    `    get: { x-amazon-apigateway-integration: ${integration(', connectionType: INTERNET')} }`,
  ],
  ['  Link:', '    Type: AWS::ApiGateway::VpcLink', '    Properties: { Name: link, TargetArns: [arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/1] }'],
);
const h = await harness('Api', {}, file);

describe('a private integration through a VPC link', () => {
  it('is reported not emulated at start, with why', () => {
    expect(h.gateway.routes.find((r) => r.path === '/private')).toMatchObject({ integration: 'http_proxy', emulated: false });
    const keys = h.gateway.support.filter((i) => i.location === 'paths./private.get.x-amazon-apigateway-integration');
    expect(keys.map((i) => [i.subject, i.status])).toContainEqual(['x-amazon-apigateway-integration.connectionType', 'not-emulated']);
    expect(keys.every((i) => /http_proxy through a VPC link \(connectionType VPC_LINK\) is not emulated/.test(i.detail ?? ''))).toBe(true);
  });

  it('answers 500 Internal server error, logged, and sends nothing to its uri', async () => {
    const before = hits;

    const got = await h.send({ path: '/prod/private' });

    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(h.logs.at(-1)).toMatch(/GET \/private: not emulated yet: integration http_proxy through a VPC link/);
    expect(hits).toBe(before);
  });

  it('neighbour: the same integration over the internet (connectionType INTERNET, the default) is served', async () => {
    const before = hits;
    const connectionType = h.gateway.support.find((i) => i.location === 'paths./public.get.x-amazon-apigateway-integration' && i.subject.endsWith('.connectionType'));

    const got = await h.send({ path: '/prod/public' });

    expect(h.gateway.routes.find((r) => r.path === '/public')).toMatchObject({ emulated: true });
    expect(connectionType?.status).toBe('emulated');
    expect([got.status, got.text]).toEqual([200, 'backend']);
    expect(hits).toBe(before + 1);
  });
});
