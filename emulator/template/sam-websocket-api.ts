/**
 * SAM's AWS::Serverless::WebSocketApi, rewritten in the stack as the SAM translator writes it
 * (samtranslator/model/api/websocket_api_generator.py; SAM docs "CloudFormation resources generated when
 * AWS::Serverless::WebSocketApi is specified"): the AWS::ApiGatewayV2::Api under the same logical id, one
 * AWS::ApiGatewayV2::Stage, and for each of its Routes a Route, an AWS_PROXY Integration and a Lambda permission; a
 * CUSTOM Auth adds the $connect route's REQUEST authorizer. websocket-apis.ts then serves them as any WebSocket API.
 */
import { TemplateError } from './model.js';
import { applyGlobals, checkGlobalsSection } from './globals.js';
import type { RawResource, Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
type Json = Record<string, unknown>;

/** SAM's stage name when StageName is not given (not `$default`, which SAM refuses for WebSocket APIs). */
const DEFAULT_STAGE = 'default';
const TAGS = { 'websocketapi:createdBy': 'SAM' };
const SPECIAL_ROUTES = ['$connect', '$disconnect', '$default'];
const AUTH_TYPES = ['AWS_IAM', 'CUSTOM', 'NONE'];
const LAMBDA_URI = 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations';

/** Whether Python reads the value as true: SAM's `if auth_config.get(...)` takes no '', null, 0, false, [] or {}. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return isRecord(v) ? Object.keys(v).length > 0 : Boolean(v);
}

/** Copies the keys of `from` that are set: SAM passes these properties through unchanged. */
function passThrough(from: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

/**
 * Rewrites every AWS::Serverless::WebSocketApi (Globals.WebSocketApi merged in) into the resources SAM generates;
 * refuses, as SAM's transform does, what SAM would refuse to deploy. Returns the settings it does not serve.
 */
export function expandSamWebSocketApis(stack: Stack, globals: unknown): string[] {
  const notes: string[] = [];
  checkGlobalsSection(stack.file, globals, 'WebSocketApi');
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Serverless::WebSocketApi') continue;
    const props = applyGlobals(globals, 'WebSocketApi', res.Properties ?? {});
    const generated = generate(stack, id, props, notes);
    // SAM passes the API's Condition on to every resource it generates for it.
    const condition = passThrough(res as unknown as Json, ['Condition']);
    stack.resources[id] = { ...condition, ...generated[id] } as RawResource;
    for (const [gid, g] of Object.entries(generated)) if (gid !== id) stack.resources[gid] ??= { ...condition, ...g } as RawResource;
    if (props.Domain !== undefined) notes.push(`Resources.${id}.Properties.Domain: custom domain not served; the API answers on its own local port (R11.4)`);
  }
  return notes;
}

function generate(stack: Stack, id: string, props: Json, notes: string[]): Record<string, RawResource> {
  const fail = (key: string, message: string): never => {
    throw new TemplateError(stack.file, `Resources.${id}.Properties${key ? `.${key}` : ''}`, message);
  };
  const routes = props.Routes;
  if (!isRecord(routes) || Object.keys(routes).length === 0) fail('Routes', 'WebSocket API must have at least one route.');
  if (props.RouteSelectionExpression === undefined) fail('RouteSelectionExpression', 'Missing required property RouteSelectionExpression.');
  const givenStage = props.StageName ?? DEFAULT_STAGE;
  const stageName = stack.resolve(givenStage, `Resources.${id}.Properties.StageName`);
  if (stageName === '$default') fail('StageName', 'Stages cannot be named $default for WebSocket APIs.');
  // SAM names the stage from the StageName as written: an intrinsic's is <Api>Stage whatever it resolves to.
  const stageId = typeof givenStage !== 'string' ? `${id}Stage` : givenStage === DEFAULT_STAGE ? `${id}DefaultStage` : `${id}${givenStage}Stage`;
  if (!/^[A-Za-z0-9]+$/.test(stageId)) fail('StageName', `Resource with id [${stageId}] is invalid. Logical ids must be alphanumeric.`);
  const auth = props.Auth === undefined ? undefined : checkedAuth(props.Auth, fail);
  // SAM checks the type in upper case but applies it as written: a lower-case one leaves $connect open on AWS.
  const connectAuth = auth?.AuthType === 'CUSTOM' || auth?.AuthType === 'AWS_IAM' ? auth.AuthType : 'NONE';
  if (auth && connectAuth !== String(auth.AuthType).toUpperCase()) {
    notes.push(`Resources.${id}.Properties.Auth.AuthType: ${JSON.stringify(auth.AuthType)} is deployed as NONE: SAM's transform accepts it in any case but applies only CUSTOM and AWS_IAM as written, so the $connect route has no authorization (as served here); write it in upper case`);
  }
  if (auth && !('$connect' in (routes as Json))) fail('Auth', 'Authorization is only available if there is a $connect route.');
  const out: Record<string, RawResource> = {
    [id]: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: {
        Name: props.Name ?? id,
        ProtocolType: 'WEBSOCKET',
        ...passThrough(props, ['RouteSelectionExpression', 'ApiKeySelectionExpression', 'Description', 'DisableExecuteApiEndpoint', 'DisableSchemaValidation', 'IpAddressType']),
        Tags: { ...(isRecord(props.Tags) ? props.Tags : {}), ...TAGS },
      },
    },
  };
  out[stageId] = {
    Type: 'AWS::ApiGatewayV2::Stage',
    Properties: { ApiId: { Ref: id }, StageName: stageName, AutoDeploy: true, Tags: TAGS, ...passThrough(props, ['StageVariables', 'AccessLogSettings', 'DefaultRouteSettings', 'RouteSettings']) },
  };
  for (const [key, value] of Object.entries(routes as Json)) {
    const route = isRecord(value) ? value : {};
    if (route.FunctionArn === undefined) fail(`Routes.${key}`, 'Route must have associated function.');
    if (route.RequestParameters !== undefined && key !== '$connect') fail(`Routes.${key}.RequestParameters`, 'Request parameters are only supported for the $connect route in WebSocket APIs.');
    const base = `${id}${routeIdPart(key, fail)}`;
    const routeProps: Json = {
      ApiId: { Ref: id },
      RouteKey: key,
      ...passThrough(route, ['ApiKeyRequired', 'ModelSelectionExpression', 'OperationName', 'RequestModels', 'RequestParameters', 'RouteResponseSelectionExpression']),
      Target: { 'Fn::Join': ['/', ['integrations', { Ref: `${base}Integration` }]] },
    };
    if (auth && key === '$connect') {
      routeProps.AuthorizationType = connectAuth;
      if (connectAuth === 'CUSTOM') {
        routeProps.AuthorizerId = { Ref: `${id}ConnectAuthorizer` };
        Object.assign(out, authorizer(id, auth));
      }
    }
    out[`${base}Route`] = { Type: 'AWS::ApiGatewayV2::Route', Properties: routeProps };
    out[`${base}Integration`] = {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { ApiId: { Ref: id }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::Sub': [LAMBDA_URI, { FunctionArn: route.FunctionArn }] }, ...(route.IntegrationTimeout !== undefined ? { TimeoutInMillis: route.IntegrationTimeout } : {}) },
    };
    out[`${base}Permission`] = permission(id, route.FunctionArn, `${typeof stageName === 'string' ? stageName : '*'}/${key}`);
  }
  return out;
}

/** SAM's logical id part for a route key: `$connect` → `Connect`, `send` → `Send`; other characters are refused. */
function routeIdPart(key: string, fail: (key: string, message: string) => never): string {
  const bare = SPECIAL_ROUTES.includes(key) ? key.slice(1) : key;
  if (!SPECIAL_ROUTES.includes(key) && !/^[A-Za-z0-9]+$/.test(key)) {
    fail(`Routes.${key}`, `Route key '${key}' must be alphanumeric. Only $connect, $disconnect, and $default special routes are supported.`);
  }
  // Python's str.capitalize: the first letter upper case, the rest lower case.
  return bare.charAt(0).toUpperCase() + bare.slice(1).toLowerCase();
}

function checkedAuth(value: unknown, fail: (key: string, message: string) => never): Json {
  const auth = isRecord(value) ? value : {};
  const type = typeof auth.AuthType === 'string' ? auth.AuthType.toUpperCase() : undefined;
  if (type === undefined) return fail('Auth', 'AuthType must be specified for additional auth configurations.');
  if (!AUTH_TYPES.includes(type)) fail('Auth.AuthType', 'AuthType is not one of AWS_IAM, CUSTOM or NONE.');
  if (type === 'CUSTOM' && !truthy(auth.AuthArn)) fail('Auth.AuthArn', 'AuthArn must be specified if AuthType is CUSTOM.');
  if (type !== 'CUSTOM' && Object.keys(auth).length > 1) fail('Auth', `No additional configurations supported for AuthType ${type}.`);
  return auth;
}

function authorizer(id: string, auth: Json): Record<string, RawResource> {
  const name = `${id}ConnectAuthorizer`;
  const out: Record<string, RawResource> = {
    [name]: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: id },
        AuthorizerType: 'REQUEST',
        AuthorizerUri: { 'Fn::Sub': [LAMBDA_URI.replace('FunctionArn', 'AuthArn'), { AuthArn: auth.AuthArn }] },
        Name: truthy(auth.Name) ? auth.Name : name,
        ...(auth.IdentitySource !== undefined ? { IdentitySource: auth.IdentitySource } : {}),
        ...(auth.InvokeRole !== undefined ? { AuthorizerCredentialsArn: auth.InvokeRole } : {}),
      },
    },
  };
  // With an InvokeRole API Gateway calls the authorizer with the role: SAM adds no permission (any InvokeRole given is
  // passed on as the credentials above, but only a truthy one leaves the permission out).
  if (!truthy(auth.InvokeRole)) out[`${id}AuthorizerPermission`] = permission(id, auth.AuthArn, 'authorizers/*');
  return out;
}

function permission(id: string, functionArn: unknown, path: string): RawResource {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: functionArn,
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${id}.ApiId}/${path}` },
    },
  };
}
