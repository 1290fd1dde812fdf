/**
 * The emulator acting as each AWS::Cognito::UserPool of the template (7.6): a stable local pool id and
 * issuer, an RSA signing key per pool kept in the local folder, its JWKS, and tokens with Cognito's claims.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey } from 'node:crypto';
import { TemplateError, type IdentityResources } from '../template/model.js';
import { refersTo, userPoolArnFor, userPoolClientIdFor, userPoolIdFor } from './local-ids.js';
import type { LocalState } from './local-state.js';

export interface UserPoolClientRecord {
  logicalId: string;
  id: string;
}

export interface UserPoolRecord {
  logicalId: string;
  id: string;
  arn: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` */
  issuer: string;
  clients: UserPoolClientRecord[];
}

/** A public key as published at `<issuer>/.well-known/jwks.json`. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: 'RS256';
  use: 'sig';
  kty: 'RSA';
  n: string;
  e: string;
}

interface StoredSigningKey {
  kid: string;
  privateKeyPem: string;
}

export interface IssueTokenInput {
  /** Pool logical id; optional when the template has exactly one pool. */
  pool?: string;
  /** App client id (or client logical id); defaults to the pool's first client. */
  clientId?: string;
  sub: string;
  email?: string;
  groups?: string[];
  /** Space-separated scopes (access tokens); Cognito's default is aws.cognito.signin.user.admin. */
  scope?: string;
  tokenUse: 'id' | 'access';
  ttlSeconds?: number;
  /** Issue time in epoch seconds (tests); defaults to now. */
  issuedAt?: number;
}

/** The template's user pools with their local signing keys. */
export class CognitoPools {
  private readonly keys = new Map<string, StoredSigningKey>();
  private readonly published = new Map<string, { keys: PublicJwk[] }>();
  /** The user pools of the template's other stacks (nested stacks), which an authorizer may name through an output. */
  private readonly linked: { name: string; pool: UserPoolRecord }[] = [];

  private constructor(
    readonly pools: UserPoolRecord[],
    private readonly state: LocalState,
    private readonly templatePath: string,
  ) {}

  /** Read AWS::Cognito::UserPool and UserPoolClient resources; pool ids are stable, derived from logical ids. */
  static fromTemplate(
    template: { region: string; accountId: string; identity: IdentityResources; path: string },
    state: LocalState,
  ): CognitoPools {
    const pools = template.identity.userPools.map(({ logicalId }) => {
      const id = userPoolIdFor(template.region, logicalId);
      return { logicalId, id, arn: userPoolArnFor(template.region, template.accountId, logicalId), issuer: `https://cognito-idp.${template.region}.amazonaws.com/${id}`, clients: [] as UserPoolClientRecord[] };
    });
    for (const client of template.identity.userPoolClients) {
      const pool = pools.find((p) => refersTo(client.properties.UserPoolId, p.logicalId, [p.id, p.arn]));
      if (!pool) throw new TemplateError(template.path, `Resources.${client.logicalId}.Properties.UserPoolId`, 'names no AWS::Cognito::UserPool of this template');
      pool.clients.push({ logicalId: client.logicalId, id: userPoolClientIdFor(client.logicalId, template.accountId) });
    }
    return new CognitoPools(pools, state, template.path);
  }

  /** A pool by logical id (a nested stack's as `Stack/Pool`), or the only pool when no id is given. */
  pool(logicalId?: string): UserPoolRecord {
    if (logicalId === undefined) {
      // A root stack without pools of its own: the one pool of its nested stacks.
      const candidates = this.pools.length > 0 ? this.pools : this.linked.map((l) => l.pool);
      if (candidates.length === 1) return candidates[0] as UserPoolRecord;
      const names = [...this.pools.map((p) => p.logicalId), ...this.linked.map((l) => l.name)].join(', ') || 'none';
      throw new TemplateError(this.templatePath, 'Resources', `expected exactly one AWS::Cognito::UserPool to choose from, found: ${names}`);
    }
    const found = this.pools.find((p) => p.logicalId === logicalId) ?? this.linked.find((l) => l.name === logicalId)?.pool;
    if (!found) throw new TemplateError(this.templatePath, `Resources.${logicalId}`, 'is not an AWS::Cognito::UserPool');
    return found;
  }

  /**
   * Lets authorizers of this stack use the pools of the template's other stacks: a nested stack's pool reaches an
   * authorizer through `!GetAtt Stack.Outputs.X`, as deployed. Every stack's keys live in the one local folder.
   */
  link(others: { path: string; pools: CognitoPools }[]): void {
    for (const { path, pools } of others) {
      if (pools === this) continue;
      for (const pool of pools.pools) if (!this.pools.some((own) => own.id === pool.id)) this.linked.push({ name: `${path}${pool.logicalId}`, pool });
    }
  }

  /** The pool a Cognito authorizer's provider ARN names (by pool id, or by logical id if left unresolved). */
  poolForProviderArn(arn: string): UserPoolRecord | undefined {
    return this.all().find((p) => arn === p.arn || arn.endsWith(`/${p.id}`) || arn === p.logicalId || arn.endsWith(`/${p.logicalId}`));
  }

  /** The pool whose tokens carry this `iss` (an HTTP API JWT authorizer's issuer, H7.1), in any stack of the template. */
  poolForIssuer(issuer: string | undefined): UserPoolRecord | undefined {
    return this.all().find((p) => p.issuer === issuer);
  }

  private all(): UserPoolRecord[] {
    return [...this.pools, ...this.linked.map((l) => l.pool)];
  }

  /** The pool's JWKS (`{ keys: [...] }`), creating its key pair on first use. */
  jwks(pool: UserPoolRecord): { keys: PublicJwk[] } {
    // Once per pool: an HTTP API's JWT authorizer reads it on every request, and deriving it parses the private key.
    const known = this.published.get(pool.logicalId);
    if (known) return known;
    const stored = this.signingKey(pool);
    const jwk = createPublicKey(createPrivateKey(stored.privateKeyPem)).export({ format: 'jwk' });
    const jwks: { keys: PublicJwk[] } = { keys: [{ ...jwk, kid: stored.kid, alg: 'RS256', use: 'sig', kty: 'RSA', n: String(jwk.n), e: String(jwk.e) }] };
    this.published.set(pool.logicalId, jwks);
    return jwks;
  }

  /** Sign an ID or access token with the claims Cognito puts in them. */
  issueToken(input: IssueTokenInput): string {
    const pool = this.pool(input.pool);
    const client = input.clientId
      ? (pool.clients.find((c) => c.id === input.clientId || c.logicalId === input.clientId) ?? { logicalId: input.clientId, id: input.clientId })
      : pool.clients[0];
    if (!client) throw new TemplateError(this.templatePath, `Resources.${pool.logicalId}`, 'has no AWS::Cognito::UserPoolClient to issue tokens for: name the app client id an authorizer expects with --client <id> (the token command)');
    const key = this.signingKey(pool);
    const claims = tokenClaims(pool, client.id, input);
    const header = { kid: key.kid, alg: 'RS256' };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(key.privateKeyPem));
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  private signingKey(pool: UserPoolRecord): StoredSigningKey {
    const known = this.keys.get(pool.logicalId);
    if (known) return known;
    const stored = this.state.getOrCreate<StoredSigningKey>('cognito-keys', pool.logicalId, () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { kid: randomUUID(), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
    });
    if (typeof stored?.kid !== 'string' || typeof stored.privateKeyPem !== 'string') {
      throw new Error(`${this.state.fileOf('cognito-keys')}: ${pool.logicalId}: expected {kid, privateKeyPem}; delete the entry to regenerate it`);
    }
    this.keys.set(pool.logicalId, stored);
    return stored;
  }
}

function tokenClaims(pool: UserPoolRecord, clientId: string, input: IssueTokenInput): Record<string, unknown> {
  const iat = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const exp = iat + (input.ttlSeconds ?? 3600);
  const common: Record<string, unknown> = { sub: input.sub };
  if (input.groups?.length) common['cognito:groups'] = input.groups;
  const ids = { origin_jti: randomUUID(), event_id: randomUUID(), jti: randomUUID() };
  if (input.tokenUse === 'id') {
    return {
      ...common,
      ...(input.email ? { email_verified: true } : {}),
      iss: pool.issuer,
      'cognito:username': input.sub,
      origin_jti: ids.origin_jti,
      aud: clientId,
      event_id: ids.event_id,
      token_use: 'id',
      auth_time: iat,
      exp,
      iat,
      jti: ids.jti,
      ...(input.email ? { email: input.email } : {}),
    };
  }
  return {
    ...common,
    iss: pool.issuer,
    client_id: clientId,
    origin_jti: ids.origin_jti,
    event_id: ids.event_id,
    token_use: 'access',
    scope: input.scope ?? 'aws.cognito.signin.user.admin',
    auth_time: iat,
    exp,
    iat,
    jti: ids.jti,
    username: input.sub,
  };
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

