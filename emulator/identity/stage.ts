/**
 * The identity stage of one API, for the gateway pipeline: the method's authorizer first, then its API key
 * check (R0.3, R0.4), returning one IdentityOutcome the gateway turns into a gateway response or passes on
 * (`authorizer` → requestContext.authorizer, `apiKey` → requestContext.identity.apiKey/apiKeyId).
 */
import type { LambdaInvoker } from '../lambda/types.js';
import { TemplateError, type ApiSpec, type LoadedTemplate } from '../template/model.js';
import { ApiKeyRegistry } from './api-keys.js';
import { headerValue, type ApiContext, type AuthorizerRequest } from './authorizer-event.js';
import { CognitoPools } from './cognito.js';
import { CognitoAuthorizer } from './cognito-authorizer.js';
import { LambdaAuthorizer } from './lambda-authorizer.js';
import { missingAuthorizerPermission } from '../gateway/authorizer-permission.js';
import { undefinedStageVariables, withStageVariables } from '../template/uris.js';
import { securitySchemes } from '../gateway/identity.js';
import type { LocalState } from './local-state.js';
import { checkIam, type IamOptions, type ReceivedRequest } from './iam.js';
import { iamDenied, invalidApiKey, type IdentityOutcome } from './outcome.js';
import { apiKeySource, operationSecurity, schemeAuthorizer, type AuthorizerConfig, type OperationSecurity } from './security.js';

export interface ApiIdentityOptions {
  template: LoadedTemplate;
  api: ApiSpec;
  invoker: LambdaInvoker;
  state: LocalState;
  /** Shared across the template's APIs when given (keys and pools are template-wide). */
  apiKeys?: ApiKeyRegistry;
  cognito?: CognitoPools;
  authorizerTimeoutMs?: number;
  /** The local credentials and clock IAM (awsSigv4) methods are checked with; without them those methods are not emulated. */
  iam?: IamOptions;
}

/** Identity checks for every method of one API; authorizer caches live as long as this object. */
export class ApiIdentityChecks {
  private readonly lambdaAuthorizers = new Map<string, LambdaAuthorizer>();
  private readonly cognitoAuthorizers = new Map<string, CognitoAuthorizer>();
  private readonly keySource: 'HEADER' | 'AUTHORIZER';
  private apiKeys?: ApiKeyRegistry;
  private cognito?: CognitoPools;

  constructor(private readonly options: ApiIdentityOptions) {
    this.keySource = apiKeySource(options.api.openapi, options.api.openapiSource);
    if (options.apiKeys) this.apiKeys = options.apiKeys;
    if (options.cognito) this.cognito = options.cognito;
  }

  /** What a method requires (R6.1, R6.2, R7.1-R7.4). `path`/`method` are the OpenAPI keys. */
  security(path: string, method: string): OperationSecurity {
    return operationSecurity(this.options.api.openapi, path, method, this.options.api.openapiSource);
  }

  /** Whether the emulator can run the method's identity checks; otherwise why not (the route answers 500). */
  supports(path: string, method: string): { ok: true } | { ok: false; detail: string } {
    try {
      const sec = this.security(path, method);
      if (sec.unsupported.length) return { ok: false, detail: `not emulated: ${sec.unsupported.join('; ')}` };
      if (sec.iam && !this.options.iam) return { ok: false, detail: 'not emulated: IAM (awsSigv4) authorization needs the local credentials' };
      if (sec.authorizer) this.authorizerFor(sec.authorizer);
      if (sec.apiKeyRequired) this.keys();
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  /** Why a security scheme's authorizer cannot run locally (a pool or function the template lacks), or undefined when it can. */
  authorizerProblem(schemeName: string): string | undefined {
    try {
      const config = schemeAuthorizer(this.options.api.openapi, schemeName, this.options.api.openapiSource);
      if (config) this.authorizerFor(config);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Run the method's IAM check or authorizer, then its API key check; the first failure is the outcome. */
  async check(path: string, method: string, request: AuthorizerRequest, received?: ReceivedRequest): Promise<IdentityOutcome> {
    const sec = this.security(path, method);
    let outcome: IdentityOutcome = { ok: true };
    if (sec.iam) {
      if (!this.options.iam || !received) throw new Error('IAM (awsSigv4) authorization needs the local credentials and the request as received');
      const iam = checkIam(received, this.options.iam);
      if (!iam.ok) return iamDenied(iam.problem);
      outcome = { ok: true, iam: iam.caller };
    }
    if (sec.authorizer) {
      const authorizer = this.authorizerFor(sec.authorizer);
      outcome =
        authorizer instanceof CognitoAuthorizer
          ? await authorizer.authorize(request.headers, sec.scopes)
          : await authorizer.authorize(request, this.apiContext());
      if (!outcome.ok) return outcome;
    }
    if (!sec.apiKeyRequired) return outcome;
    // [AMBIGUOUS] R0.3: for the HEADER source too the authorizer runs first (401 before a missing key's 403).
    if (this.keySource === 'AUTHORIZER' && !sec.authorizer) return invalidApiKey('key source AUTHORIZER but the method has no authorizer');
    const keyCheck = this.keys().checkApiKey({
      source: this.keySource,
      headerValue: headerValue(request.headers, 'x-api-key') ?? null,
      authorizerUsageKey: outcome.usageIdentifierKey ?? null,
      restApiId: this.options.api.restApiId,
      apiLogicalId: this.options.api.logicalId,
      stage: this.options.api.stageName,
    });
    return keyCheck.ok ? { ...outcome, apiKey: keyCheck.apiKey } : keyCheck;
  }

  /** Startup-report lines: usage plans with their not-yet-enforced limits. */
  summary(): string[] {
    return this.options.template.identity.usagePlans.length ? this.keys().summary() : [];
  }

  private apiContext(): ApiContext {
    const { template, api } = this.options;
    return { region: template.region, accountId: template.accountId, restApiId: api.restApiId, stage: api.stageName };
  }

  private keys(): ApiKeyRegistry {
    this.apiKeys ??= ApiKeyRegistry.fromTemplate(this.options.template, this.options.state);
    return this.apiKeys;
  }

  private authorizerFor(config: AuthorizerConfig): LambdaAuthorizer | CognitoAuthorizer {
    if (config.type === 'cognito_user_pools') {
      let found = this.cognitoAuthorizers.get(config.schemeName);
      if (!found) {
        this.cognito ??= CognitoPools.fromTemplate(this.options.template, this.options.state);
        found = new CognitoAuthorizer(this.cognito, config);
        this.cognitoAuthorizers.set(config.schemeName, found);
      }
      return found;
    }
    let found = this.lambdaAuthorizers.get(config.schemeName);
    if (!found) {
      // API Gateway takes the function of an authorizerUri from the stage's variables too (`function:${stageVariables.Fn}`).
      const uri = withStageVariables(config.authorizerUri ?? '', this.options.api.stageVariables);
      const missing = undefinedStageVariables(uri);
      if (missing.length > 0) return this.unresolvedAuthorizer(config, missing);
      const fn = this.options.template.functionForUri(uri);
      const key = `components.securitySchemes.${config.schemeName}.x-amazon-apigateway-authorizer.authorizerUri`;
      if (!fn) throw new TemplateError(this.options.api.openapiSource, key, `invokes no function of the template (${config.authorizerUri ?? 'missing'})`);
      // One Lambda would run and fail each time (its code not built) is served: the authorizer fails as on API Gateway.
      if (fn.unavailable && !fn.invocationsFail) throw new TemplateError(this.options.api.openapiSource, key, `function ${fn.logicalId}: ${fn.unavailable}`);
      const raw = securitySchemes(this.options.api.openapi)[config.schemeName]?.['x-amazon-apigateway-authorizer'];
      const notPermitted = missingAuthorizerPermission(this.options.template, this.options.api, config.schemeName, raw);
      found = new LambdaAuthorizer({
        config,
        ...(notPermitted ? { notPermitted } : {}),
        functionLogicalId: fn.logicalId,
        invoker: this.options.invoker,
        ...(this.options.authorizerTimeoutMs ? { timeoutMs: this.options.authorizerTimeoutMs } : {}),
      });
      this.lambdaAuthorizers.set(config.schemeName, found);
    }
    return found;
  }

  /** A stage lacking a variable its authorizer's uri names: each request that would invoke it is a 500, as an integration's is (R7.14). */
  private unresolvedAuthorizer(config: AuthorizerConfig, missing: string[]): LambdaAuthorizer {
    const unresolved = `authorizerUri uses stage variable(s) ${missing.join(', ')} that stage ${this.options.api.stageName} does not define`;
    const found = new LambdaAuthorizer({ config, functionLogicalId: '', invoker: this.options.invoker, unresolved });
    this.lambdaAuthorizers.set(config.schemeName, found);
    return found;
  }
}
