/**
 * A loaded template's HTTP APIs (API Gateway v2): routes, integrations, authorizers, CORS and stages, normalised
 * from every source (SAM HttpApi, ApiGatewayV2 resources, function URLs). Part of the contract model.ts describes,
 * which re-exports every type here: import them from model.ts.
 */
import type { AccessLogSpec, OpenApiDocument } from './model.js';

/** A Lambda (or other) integration of an HTTP API route (H1.6, H2.3). */
export interface HttpIntegrationSpec {
  /** Lower-cased: aws_proxy, http_proxy, ... */
  type: string;
  /** Lambda invocation URI (arn:aws:apigateway:...:lambda:path/.../invocations) or HTTP URL. */
  uri: string;
  payloadFormatVersion: '1.0' | '2.0';
  /** H2.4: 50-30 000 ms, 30 000 when not given. */
  timeoutInMillis: number;
  /** credentials / CredentialsArn: the role API Gateway invokes with, which needs no resource-based permission. */
  credentials?: string;
  /** The function a function URL invokes, known without its uri (its name may hold a parameter not given locally). */
  functionLogicalId?: string;
  /** http_proxy: the endpoint's method (httpMethod / IntegrationMethod); ANY or none sends the client's. */
  method?: string;
  /** VPC_LINK: a private integration (ALB, NLB, Cloud Map behind a VPC link); INTERNET or none: a public URL. */
  connectionType?: string;
  /** An AWS service integration's action (`SQS-SendMessage`...); its requestParameters are the action's, not mappings. */
  subtype?: string;
  /** The subtype's parameters: name → static text or a `$request...` / `${...}` value evaluated per request. */
  serviceParameters?: Record<string, string>;
  /** H11.6: how the request is changed before the integration gets it. */
  requestParameters?: HttpParameterMapping[];
  /** H11.6: how the integration's answer is changed, by its status code. */
  responseParameters?: Record<string, HttpParameterMapping[]>;
  /** Why this one integration is not served though its API is (H2.3: no payloadFormatVersion); its route answers 500. */
  notServed?: string;
}

/** One H11.6 mapping: `overwrite:header.x-user` → `$context.authorizer.claims.sub`. */
export interface HttpParameterMapping {
  action: 'append' | 'overwrite' | 'remove';
  target: 'header' | 'querystring' | 'path' | 'statuscode';
  /** The header or query string name; '' for path and statuscode. */
  name: string;
  /** `$request.header.x`, `${context.requestId}-${request.path.id}`, or static text. */
  value: string;
}

/** One route of an HTTP API: `GET /pets/{id}`, `ANY /{proxy+}` or `$default` (H3.2). */
export interface HttpRouteSpec {
  routeKey: string;
  integration?: HttpIntegrationSpec;
  authorizationType: 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM';
  /** Name of the authorizer (security scheme or AWS::ApiGatewayV2::Authorizer logical id). */
  authorizer?: string;
  /** H2.9: scopes the route requires of a JWT. */
  authorizationScopes: string[];
  /** Where it was declared, for messages. */
  location: string;
  /** The AWS::ApiGatewayV2::Integration resource its integration is, when one is (for the start report). */
  integrationResource?: string;
  /** A Target that names no integration (template/route-target.ts): why the route has none. */
  targetProblem?: string;
}

/** A JWT or Lambda REQUEST authorizer of an HTTP API (H2.8). */
export interface HttpAuthorizerSpec {
  name: string;
  type: 'jwt' | 'request';
  /** `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`. */
  identitySource: string[];
  issuer?: string;
  audience: string[];
  authorizerUri?: string;
  payloadFormatVersion: '1.0' | '2.0';
  enableSimpleResponses: boolean;
  ttlSeconds: number;
  location: string;
  /** authorizerCredentials / AuthorizerCredentialsArn / SAM FunctionInvokeRole: the role API Gateway invokes the authorizer with. */
  credentials?: string;
}

/** x-amazon-apigateway-cors / CorsConfiguration (H2.7, H9.1), names lower-cased where case does not matter. */
export interface HttpCorsSpec {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}

/** Stage throttling of one route or of every route (H11.2). */
export interface HttpThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}

export interface HttpStageSpec {
  /** `$default` (served at the root) or a name (served under /name, H3.1). */
  name: string;
  stageVariables: Record<string, string> | null;
  defaultThrottle: HttpThrottleSettings;
  /** By route key. */
  routeThrottle: Record<string, HttpThrottleSettings>;
  /** AccessLogSettings (H11.5): one line per request in the request log. */
  accessLog?: AccessLogSpec;
}

/** A setting the startup report lists for an HTTP API (same shape as the gateway's SupportItem). */
export interface HttpApiNote {
  subject: string;
  location: string;
  status: 'emulated' | 'not-emulated' | 'ignored';
  detail?: string;
}

/** An HTTP API (v2) from AWS::Serverless::HttpApi, implicit HttpApi events or AWS::ApiGatewayV2::* resources. */
export interface HttpApiSpec {
  logicalId: string;
  /** The id the emulator gives this API (stable, derived from the logical id). */
  apiId: string;
  stages: HttpStageSpec[];
  routes: HttpRouteSpec[];
  authorizers: Record<string, HttpAuthorizerSpec>;
  cors?: HttpCorsSpec;
  /** Where the routes came from ("template.yaml#/Resources/Api/..."). */
  source: string;
  notes: HttpApiNote[];
  /** The OpenAPI document the routes were imported from (SAM's generated one, or the Body); absent when only resources declare routes. */
  definition?: OpenApiDocument;
  /** Set when this "API" is a Lambda function URL (template/function-urls.ts): one `$default` route to the function. */
  functionUrl?: {
    functionLogicalId: string;
    authType: 'NONE' | 'AWS_IAM';
    invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
    /** AuthType NONE: the public grants the function's resource-based policy lacks (every request is then refused 403). */
    missingPermissions?: string[];
  };
}
