/**
 * In a Node.js execution environment: TLS connections to a host of one of the template's WebSocket APIs
 * (`<apiId>.execute-api.<region>.amazonaws.com`, which a function builds from `requestContext.apiId` for its @connections
 * client) are made to the API's local port instead. The name is kept for SNI and the certificate check: the local
 * certificate names `*.execute-api.<region>.amazonaws.com` and the environment trusts it (NODE_EXTRA_CA_CERTS).
 */
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import tls from 'node:tls';

/** A host name (lower case) -> where its connections go. */
export type LocalHosts = Record<string, { host: string; port: number }>;

/** Send tls.connect calls (what https.request and the AWS SDK's handler use) for these hosts to their local ports. */
export function redirectLocalHosts(hosts: LocalHosts): void {
  const original = tls.connect;
  const connect = (...args: unknown[]): tls.TLSSocket => {
    const options = args[0];
    // https.Agent calls tls.connect(options); the (port, host, ...) form is left as it is.
    if (typeof options === 'object' && options !== null) {
      const { host, servername } = options as tls.ConnectionOptions;
      const target = typeof host === 'string' ? hosts[host.toLowerCase()] : undefined;
      if (target) args[0] = { ...options, host: target.host, port: target.port, servername: servername ?? host };
    }
    return (original as (...a: unknown[]) => tls.TLSSocket).apply(tls, args);
  };
  tls.connect = connect as typeof tls.connect;
  syncBuiltinESMExports();
}

/** `sync-127.0.0.1`: an operation's host prefix put before an IP address. */
const PREFIXED_ADDRESS = /^[a-z0-9-]+?-(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The SDKs put an operation's host prefix before the endpoint's host (Step Functions' StartSyncExecution: `sync-`),
 * an IP address too: `sync-127.0.0.1` names nothing. Resolved as the address it prefixes, a function's
 * StartSyncExecution reaches the local Step Functions (AWS_ENDPOINT_URL_SFN) as it reaches AWS.
 */
export function resolvePrefixedAddresses(): void {
  const original = dns.lookup;
  const lookup = (hostname: string, ...rest: unknown[]): void => {
    const address = PREFIXED_ADDRESS.exec(hostname)?.[1];
    (original as (...a: unknown[]) => void).call(dns, address ?? hostname, ...rest);
  };
  dns.lookup = lookup as typeof dns.lookup;
  syncBuiltinESMExports();
}
