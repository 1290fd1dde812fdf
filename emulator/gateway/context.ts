/** The `$context` variables of API Gateway (R3.20), shared by mapping templates and gateway responses. */
import { clfTime, domainPrefixOf, headerValue, stableId, type RequestState } from './request-state.js';
import { hideFromKeySet, printsEmpty } from './vtl/render-value.js';

export interface ApiEnvironment {
  accountId: string;
  apiId: string;
  stageVariables: Record<string, string> | null;
  /** The APIs this run serves, by API id, each at its local origin (`http://127.0.0.1:3001`): their execute-api URLs. */
  localApis?: ReadonlyMap<string, string>;
  /** Resource ids by path where the template gives them (RootResourceId, Ref of a Resource); others are derived. */
  resourceIds?: Record<string, string>;
}

export interface ErrorContext {
  message: string | null;
  responseType: string;
  validationErrorString?: string;
}

/** requestContext.identity (R1.28, R1.29): all null without IAM auth; with it, the verified signer's key, account, user id and ARN. */
export function identityOf(state: RequestState): Record<string, unknown> {
  const iam = state.iam;
  const identity: Record<string, unknown> = {
    accessKey: iam?.accessKey ?? null,
    accountId: iam?.accountId ?? null,
    caller: iam?.userId ?? null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: state.sourceIp,
    user: iam?.userId ?? null,
    userAgent: headerValue(state.headers, 'user-agent') ?? null,
    userArn: iam?.userArn ?? null,
  };
  if (state.apiKey) {
    identity.apiKey = state.apiKey.value;
    identity.apiKeyId = state.apiKey.id;
  }
  return identity;
}

/** Host header value, port included as the client sent it, and its first label (R1.27). */
export function domainOf(state: RequestState): { domainName: string; domainPrefix: string } {
  const domainName = headerValue(state.headers, 'host') ?? 'localhost';
  return { domainName, domainPrefix: domainPrefixOf(domainName) };
}

/** requestContext as recorded on AWS (R1.21-R1.29), plus `authorizer` when an identity stage set one (R1.30-R1.32). */
export function requestContext(state: RequestState, env: ApiEnvironment): Record<string, unknown> {
  const resourcePath = state.route?.resourcePath ?? '';
  const context: Record<string, unknown> = {
    accountId: env.accountId,
    apiId: env.apiId,
    deploymentId: stableId(`${env.apiId}:${state.stage}:deployment`),
    ...domainOf(state),
    extendedRequestId: state.extendedRequestId,
    httpMethod: state.httpMethod,
    identity: identityOf(state),
    path: state.contextPath,
    protocol: 'HTTP/1.1',
    requestId: state.requestId,
    requestTime: clfTime(state.requestTimeEpoch),
    requestTimeEpoch: state.requestTimeEpoch,
    resourceId: env.resourceIds?.[resourcePath] ?? stableId(`${env.apiId}${resourcePath}`),
    resourcePath,
    stage: state.stage,
  };
  if (state.authorizer) context.authorizer = state.authorizer;
  return context;
}

/**
 * A fresh `$context` object (requestContext plus error and override slots); templates may #set requestOverride/responseOverride entries on it.
 * As AWS answered LocalStack's recorded test_sqs_amz_json_protocol: `$context.keySet()` lists neither `authorizer`
 * (no authorizer ran), `error` nor `awsEndpointRequestId`, which stay readable by name, and the nested objects print as "".
 */
export function contextVariables(state: RequestState, env: ApiEnvironment, error?: ErrorContext): Record<string, unknown> {
  const base = requestContext(state, env);
  const context: Record<string, unknown> = {
    ...base,
    identity: printsEmpty({ ...(base.identity as Record<string, unknown>) }),
    authorizer: state.authorizer ? { ...state.authorizer } : {},
    awsEndpointRequestId: state.requestId,
    // W1.5: set when the stage has a web ACL.
    ...(state.waf ? { wafResponseCode: state.waf.responseCode, webaclArn: state.waf.webAclArn } : {}),
    error: {
      message: error?.message ?? null,
      messageString: JSON.stringify(error?.message ?? null),
      responseType: error?.responseType ?? null,
      // [AMBIGUOUS R5.5/R8.6] Rendered JSON-escaped (quotes as \"), without surrounding quotes: templates
      // everywhere embed it as "...$context.error.validationErrorString..." and get valid JSON from AWS.
      validationErrorString: error?.validationErrorString === undefined ? null : JSON.stringify(error.validationErrorString).slice(1, -1),
    },
    requestOverride: printsEmpty({ header: printsEmpty({}), path: printsEmpty({}), querystring: printsEmpty({}) }),
    responseOverride: printsEmpty({ header: printsEmpty({}) }),
  };
  return hideFromKeySet(context, [...(state.authorizer ? [] : ['authorizer']), ...(error ? [] : ['error']), 'awsEndpointRequestId']);
}
