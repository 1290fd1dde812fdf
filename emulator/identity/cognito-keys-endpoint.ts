/**
 * The template's user pools' published keys where Cognito publishes them, for functions that verify tokens themselves
 * (a Lambda authorizer fetching `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`, as
 * aws-jwt-verify, jwks-rsa, python-jose samples do; Cognito Developer Guide, "Verifying a JSON Web Token"). The runtime
 * sends a function's connections to that host here (lambda/local-hosts.ts, Python's getaddrinfo), over TLS with the
 * local certificate the environment trusts. Only the keys are served: Cognito's API (sign-up, sign-in...) is not
 * emulated, and a request for anything else is refused with that said, on the terminal too.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { localCertificate, type LocalCertificate } from './local-certificate.js';
import type { LocalHosts } from '../lambda/local-hosts.js';

/** A pool whose keys are served: its id and its JWKS (`{ keys: [...] }`, as the local tokens are signed). */
export interface PublishedPool {
  id: string;
  jwks(): unknown;
}

/** What a request path asks for: a pool's JWKS or OpenID configuration, by pool id (an unresolved import's placeholder id holds a slash). */
function asked(path: string): { poolId: string; document: 'jwks.json' | 'openid-configuration' } | undefined {
  const match = /^\/(.+?)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
  // An escape that is no UTF-8 names no pool: kept as sent (URIError was uncaught here and ended the gateway).
  return match ? { poolId: decodedOrAsSent(match[1]!), document: match[2] as 'jwks.json' | 'openid-configuration' } : undefined;
}

function decodedOrAsSent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Serves each pool's `/.well-known/jwks.json` and `openid-configuration` at its issuer's path, on a port of its own. */
export async function serveCognitoKeys(
  pools: PublishedPool[],
  region: string,
  certificate: Pick<LocalCertificate, 'keyPem' | 'certPem'>,
  log: (line: string) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const issuerHost = `cognito-idp.${region}.amazonaws.com`;
  const server = https.createServer({ key: certificate.keyPem, cert: certificate.certPem }, (req, res) => {
    // An absolute-form target that is no URL (http://[1]/...) is a path not served.
    const path = URL.canParse(req.url ?? '/', `https://${issuerHost}`) ? new URL(req.url ?? '/', `https://${issuerHost}`).pathname : (req.url ?? '/');
    const wanted = asked(path);
    const pool = wanted ? pools.find((p) => p.id === wanted.poolId) : undefined;
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && wanted && pool) {
      const issuer = `https://${issuerHost}/${pool.id}`;
      if (wanted.document === 'jwks.json') return send(200, pool.jwks());
      return send(200, { issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'], response_types_supported: ['code', 'token'] });
    }
    const why = wanted
      ? `user pool ${wanted.poolId} is not a pool of this template: only the template's pools' keys are served locally (${pools.map((p) => p.id).join(', ') || 'it has none'})`
      : `${req.method ?? 'GET'} ${path} is not served locally: of Cognito, only the template's pools' /.well-known/jwks.json and openid-configuration are`;
    log(`Cognito (${issuerHost}): ${why}`);
    send(wanted ? 404 : 400, { __type: wanted ? 'ResourceNotFoundException' : 'NotImplemented', message: why });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What functions reach over TLS locally: the local certificate (naming the WebSocket APIs' execute-api hosts and the
 * Cognito issuer host, as needed), the variables that make Node.js, botocore, Python's ssl and requests trust it, and
 * the user pools' keys served at their issuer's host.
 */
export async function startFunctionTls(opts: { dir: string; region: string; webSockets: boolean; functions: boolean; pools: PublishedPool[]; log: (line: string) => void; now?: Date }): Promise<{
  certificate?: LocalCertificate;
  environment: Record<string, string>;
  localHosts: LocalHosts;
  notes: string[];
  close?: () => Promise<void>;
}> {
  const issuerHost = `cognito-idp.${opts.region}.amazonaws.com`;
  // With functions, the issuer host is always served: without a pool of the template, a function fetching another
  // stack's keys gets a named refusal instead of a DNS failure or a call to AWS.
  const names = [...(opts.webSockets ? [`*.execute-api.${opts.region}.amazonaws.com`] : []), ...(opts.functions ? [issuerHost] : [])];
  if (names.length === 0) return { environment: {}, localHosts: {}, notes: [] };
  const certificate = localCertificate(opts.dir, opts.now ?? new Date(), names);
  const environment = { NODE_EXTRA_CA_CERTS: certificate.certPath, AWS_CA_BUNDLE: certificate.bundlePath, SSL_CERT_FILE: certificate.bundlePath, REQUESTS_CA_BUNDLE: certificate.bundlePath };
  if (!opts.functions) return { certificate, environment, localHosts: {}, notes: [] };
  const keys = await serveCognitoKeys(opts.pools, opts.region, certificate, opts.log);
  const notes = opts.pools.length > 0 ? [`Cognito user pools' keys (what local tokens are signed with) served to functions at https://${issuerHost}/<poolId>/.well-known/jwks.json for ${opts.pools.map((p) => p.id).join(', ')}; Cognito's API itself is not emulated`] : [];
  return { certificate, environment, localHosts: { [issuerHost]: { host: '127.0.0.1', port: keys.port } }, notes, close: keys.close };
}
