/**
 * A `cognito_user_pools` authorizer (7.6): the token from the scheme's header verified against the local
 * pools with aws-jwt-verify (signature, expiry, issuer, token_use, client id, scopes), then
 * identityValidationExpression against `aud`; any failure is 401 UNAUTHORIZED (R7.21-R7.23).
 */
import { createRequire } from 'node:module';
import type { Jwks, JwksCache, JwkWithKid } from 'aws-jwt-verify/jwk';
import { headerValue } from './authorizer-event.js';
import { renderClaims } from './claims.js';
import type { CognitoPools, UserPoolRecord } from './cognito.js';
import { unauthorized, type IdentityOutcome } from './outcome.js';
import type { AuthorizerConfig } from './security.js';

type JwtVerify = typeof import('aws-jwt-verify') & typeof import('aws-jwt-verify/error');
let jwtVerify: JwtVerify | undefined;
/**
 * aws-jwt-verify, loaded when the first token is checked (~30 ms of every start otherwise). Both entries through
 * require, so that the errors the cache throws are the classes the verifier tests for.
 */
function loadJwtVerify(): JwtVerify {
  const requireCjs = createRequire(import.meta.url);
  jwtVerify ??= { ...(requireCjs('aws-jwt-verify') as typeof import('aws-jwt-verify')), ...(requireCjs('aws-jwt-verify/error') as typeof import('aws-jwt-verify/error')) };
  return jwtVerify;
}

/** A JWKS cache that only knows the local pools' keys, so verification never reaches the network. */
class LocalJwksCache implements JwksCache {
  constructor(private readonly jwks: Jwks) {}

  getCachedJwk(_uri: string, jwt: Parameters<JwksCache['getCachedJwk']>[1]): JwkWithKid {
    const kid = jwt.header.kid;
    const jwk = this.jwks.keys.find((k) => k.kid === kid);
    if (!jwk) throw new (loadJwtVerify().KidNotFoundInJwksError)(`JWK for kid "${String(kid)}" not found in the local JWKS`);
    return jwk as JwkWithKid;
  }

  async getJwk(uri: string, jwt: Parameters<JwksCache['getJwk']>[1]): Promise<JwkWithKid> {
    return this.getCachedJwk(uri, jwt);
  }

  addJwks(): void {}

  async getJwks(): Promise<Jwks> {
    return this.jwks;
  }
}

/** One Cognito authorizer of an API, over the pools its providerARNs name. */
export class CognitoAuthorizer {
  private readonly pools: UserPoolRecord[];
  private readonly verifiers = new Map<string, { verify(token: string): Promise<unknown> }>();

  constructor(
    private readonly registry: CognitoPools,
    private readonly config: AuthorizerConfig,
  ) {
    this.pools = config.providerARNs.map((arn) => {
      const pool = registry.poolForProviderArn(arn);
      if (!pool) throw new Error(`authorizer ${config.schemeName}: providerARNs entry ${arn} names no AWS::Cognito::UserPool of the template`);
      return pool;
    });
    if (this.pools.length === 0) throw new Error(`authorizer ${config.schemeName}: cognito_user_pools authorizer without providerARNs`);
  }

  /** Verify the request's token: ID token when `scopes` is empty, else an access token with any of them (R7.22). */
  async authorize(headers: Record<string, string>, scopes: string[]): Promise<IdentityOutcome> {
    const source = this.config.identitySources[0];
    const header = source?.kind === 'header' ? source.name : this.config.headerName;
    const raw = headerValue(headers, header);
    if (!raw) return unauthorized(`no ${header} header`);
    // Accept "Bearer <jwt>" as well as the bare token: clients commonly send both forms.
    const token = raw.replace(/^Bearer\s+/i, '');
    let lastError = 'token not issued by any of the authorizer\'s user pools';
    for (const pool of this.pools) {
      try {
        const payload = await this.verifier(pool, scopes).verify(token);
        return this.allowed(payload as Record<string, unknown>);
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    return unauthorized(`invalid Cognito token: ${lastError}`);
  }

  private allowed(payload: Record<string, unknown>): IdentityOutcome {
    const pattern = this.config.identityValidationPattern;
    // R7.23: the expression is matched against aud; access tokens carry no aud and are rejected.
    if (pattern && !(typeof payload.aud === 'string' && pattern.test(payload.aud))) {
      return unauthorized('token aud does not match identityValidationExpression');
    }
    // [AMBIGUOUS] R1.32: requestContext.authorizer is { claims } only (no `scopes` key).
    return { ok: true, authorizer: { claims: renderClaims(payload) }, principalId: String(payload.sub ?? '') };
  }

  private verifier(pool: UserPoolRecord, scopes: string[]): { verify(token: string): Promise<unknown> } {
    const key = `${pool.id} ${scopes.join(' ')}`;
    const known = this.verifiers.get(key);
    if (known) return known;
    const verifier = this.createVerifier(pool, scopes);
    this.verifiers.set(key, verifier);
    return verifier;
  }

  private createVerifier(pool: UserPoolRecord, scopes: string[]): { verify(token: string): Promise<unknown> } {
    const clientIds = pool.clients.map((c) => c.id);
    return rememberingVerified(loadJwtVerify().CognitoJwtVerifier.create(
      {
        userPoolId: pool.id,
        tokenUse: scopes.length ? 'access' : 'id',
        clientId: clientIds.length ? clientIds : null,
        ...(scopes.length ? { scope: scopes } : {}),
      },
      { jwksCache: new LocalJwksCache(this.registry.jwks(pool) as unknown as Jwks) },
    ));
  }
}

/** Tokens one verifier remembers; the oldest is forgotten first. */
const REMEMBERED_TOKENS = 1024;

/**
 * A token verified once is not verified again (its signature, issuer, audience and token use cannot change, nor the
 * pool's keys while the gateway runs: an RS256 check was ~70 us of every secured request), only its time claims: a
 * remembered token past its exp, or before its nbf, is verified afresh, so it is refused with aws-jwt-verify's own
 * error as before. A refused token is never remembered.
 */
function rememberingVerified(verifier: { verify(token: string): Promise<unknown> }): { verify(token: string): Promise<unknown> } {
  const verified = new Map<string, Record<string, unknown>>();
  return {
    async verify(token: string): Promise<unknown> {
      const known = verified.get(token);
      if (known && inTime(known)) return known;
      verified.delete(token);
      const payload = (await verifier.verify(token)) as Record<string, unknown>;
      if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value!);
      verified.set(token, payload);
      return payload;
    },
  };
}

/** aws-jwt-verify's time checks (no grace): expired once exp is before now, not yet valid while nbf is after now. */
function inTime(payload: Record<string, unknown>): boolean {
  const now = Date.now() / 1000;
  return !(typeof payload.exp === 'number' && payload.exp < now) && !(typeof payload.nbf === 'number' && payload.nbf > now);
}
