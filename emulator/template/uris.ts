/** Lambda integration URIs (R1.2, R13.4): map arn:aws:apigateway:…:lambda:path/…/functions/<arn>/invocations to a function. */
import { TemplateError, type FunctionSpec, type LoadedTemplate } from './model.js';
import { UNRESOLVED_PREFIX, type Stack } from './stack.js';

/**
 * Invoke (`2015-03-31/functions/<arn>/invocations`) or InvokeWithResponseStream
 * (`2021-11-15/functions/<arn>/response-streaming-invocations`, a REST API's responseTransferMode STREAM). API Gateway
 * also accepts the path written with a doubled slash (`lambda:path//2015-03-31/...`).
 */
const INVOCATION_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/{1,2}(?:2015-03-31\/functions\/(.+)\/invocations|2021-11-15\/functions\/(.+)\/response-streaming-invocations)$/;
const LAMBDA_PATH = /^arn:[^:]+:apigateway:[^:]*:lambda:path\//;
const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;

/** A URI with its `${stageVariables.name}` references replaced by the stage's values; unknown ones are left as written. */
export function withStageVariables(uri: string, stageVariables: Record<string, string> | null | undefined): string {
  return uri.replace(STAGE_VARIABLE, (whole, name: string) => stageVariables?.[name] ?? whole);
}

/** The stage variables a URI refers to that the stage does not define. */
export function undefinedStageVariables(uri: string): string[] {
  return [...uri.matchAll(STAGE_VARIABLE)].map((m) => m[1] as string);
}
const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:/]+)(?::[^:/]+)?$/;

/** True when the URI has API Gateway's Lambda form (whether or not it names a known function). */
export function isLambdaUri(uri: unknown): uri is string {
  return typeof uri === 'string' && INVOCATION_URI.test(uri);
}

/** The ARN SAM points a function's events at: its AutoPublishAlias alias's when it has one, else the function's. */
export function aliasedArn(stack: Pick<Stack, 'autoPublishAlias'>, fn: Pick<FunctionSpec, 'logicalId' | 'arn'>): string {
  const alias = stack.autoPublishAlias(fn.logicalId);
  return alias === undefined ? fn.arn : `${fn.arn}:${alias}`;
}

/** The qualifier (alias or version) after the function's name in an invocation URI's ARN (`function:Name:live`), if any. */
export function qualifierInUri(uri: string): string | undefined {
  const match = INVOCATION_URI.exec(uri);
  const arn = match?.[1] ?? match?.[2];
  // Lambda's alias and version forms only: a `${stageVariables.x}` left unresolved names none.
  return arn === undefined ? undefined : /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:/]+:(\$LATEST|[A-Za-z0-9_-]+)$/.exec(arn)?.[1];
}

/**
 * The function name in a Lambda function ARN (a qualifier after it ignored), or undefined when it is no such ARN. A
 * name holding a value only AWS has (unresolvedFunctionName) is the whole rest of the ARN.
 */
export function functionNameInArn(arn: string): string | undefined {
  return FUNCTION_ARN.exec(arn)?.[1] ?? unresolvedFunctionName(arn);
}

/** Whether a Lambda integration URI invokes with InvokeWithResponseStream (its response streamed). */
export function isStreamingUri(uri: unknown): boolean {
  return typeof uri === 'string' && INVOCATION_URI.exec(uri)?.[2] !== undefined;
}

/** The function an invocation URI names; a qualifier (version or alias) after the name is accepted and ignored. */
export function functionForUri(functions: Map<string, FunctionSpec>, uri: string): FunctionSpec | undefined {
  const match = INVOCATION_URI.exec(uri);
  const arn = match?.[1] ?? match?.[2];
  const name = arn === undefined ? undefined : functionNameInArn(arn);
  if (name === undefined) return undefined;
  for (const fn of functions.values()) if (fn.functionName === name) return fn;
  return undefined;
}

/**
 * The name after `function:` when it holds a value only AWS has (a parameter without a value, an import), whose
 * placeholder has `:` and `/` no function name may: a FunctionName !Sub'd from the same parameter as an integration
 * URI or an event target is the same function on AWS whatever the value, so it is that function here too.
 */
function unresolvedFunctionName(arn: string): string | undefined {
  const name = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:(.+)$/.exec(arn)?.[1];
  return name?.includes(UNRESOLVED_PREFIX) ? name : undefined;
}

/** Why a Lambda-form URI whose function the template lacks invokes nothing here, for the route's NOT EMULATED line. */
export function functionOutsideTemplate(uri: string): string {
  const match = INVOCATION_URI.exec(uri);
  // A Lambda path that is no Invoke path (a mistyped API version, `2015-31`) calls no function, whichever it names.
  if (!match && LAMBDA_PATH.test(uri)) return `integration uri ${uri} is no Lambda Invoke path (lambda:path/2015-03-31/functions/<function ARN>/invocations): it invokes no function`;
  const arn = match?.[1] ?? match?.[2] ?? uri;
  return `integration uri names ${arn}, no AWS::Serverless::Function or AWS::Lambda::Function of the template: the function is outside it, nothing local runs it`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Lambda-form URI API Gateway would refuse to create, with the API (REST or HTTP) that holds it. */
export class IntegrationUriError extends TemplateError {
  constructor(
    file: string,
    key: string,
    detail: string,
    readonly apiLogicalId: string,
  ) {
    super(file, key, detail);
  }
}

/**
 * Every Lambda-form integration uri / authorizerUri (REST and HTTP APIs) whose ARN is no Lambda function ARN at all,
 * once a REST stage's variables are substituted: API Gateway refuses to create it. A well-formed ARN of a function the
 * template lacks (another stack's) deploys: its route is reported NOT EMULATED, not refused. A URI still naming an
 * undefined stage variable is left to request time (500, as on AWS).
 */
export function checkIntegrationUris(template: LoadedTemplate, otherStacks: LoadedTemplate[] = []): IntegrationUriError[] {
  const errors: IntegrationUriError[] = [];
  // A function of another stack (Fn::ImportValue without a value, a sibling nested stack's Output) is reported per
  // route, not refused: CloudFormation would deploy it, and the route answers 500 here.
  const elsewhere = (uri: string): boolean => uri.includes(UNRESOLVED_PREFIX) || otherStacks.some((t) => t.functionForUri(uri) !== undefined) || namesFunctionArn(uri);
  const checker = (apiLogicalId: string, stageVariables: Record<string, string> | null) => (source: string, key: string, raw: unknown): void => {
    const uri = typeof raw === 'string' ? withStageVariables(raw, stageVariables) : raw;
    if (isLambdaUri(uri) && undefinedStageVariables(uri).length === 0 && !template.functionForUri(uri) && !elsewhere(uri)) {
      errors.push(new IntegrationUriError(source, key, `${uri} names no AWS::Serverless::Function or AWS::Lambda::Function of ${template.path}, nor a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`, apiLogicalId));
    }
  };
  for (const api of template.apis) {
    const check = checker(api.logicalId, api.stageVariables);
    for (const [path, item] of Object.entries(api.openapi.paths ?? {})) {
      if (!isRecord(item)) continue;
      for (const [method, op] of Object.entries(item)) {
        const integration = isRecord(op) ? op['x-amazon-apigateway-integration'] : undefined;
        if (isRecord(integration)) check(api.openapiSource, `paths.${path}.${method}.x-amazon-apigateway-integration.uri`, integration.uri);
      }
    }
    const schemes = { ...asRecord(asRecord(api.openapi.components).securitySchemes), ...asRecord(api.openapi.securityDefinitions) };
    const base = api.openapi.components ? 'components.securitySchemes' : 'securityDefinitions';
    for (const [name, scheme] of Object.entries(schemes)) {
      const authorizer = asRecord(asRecord(scheme)['x-amazon-apigateway-authorizer']);
      check(api.openapiSource, `${base}.${name}.x-amazon-apigateway-authorizer.authorizerUri`, authorizer.authorizerUri);
    }
  }
  for (const api of template.httpApis) {
    const check = checker(api.logicalId, null);
    for (const route of api.routes) check(api.source, `${route.location} (${route.routeKey}) integration uri`, route.integration?.uri);
    for (const spec of Object.values(api.authorizers)) check(api.source, `${spec.location}.authorizerUri`, spec.authorizerUri);
  }
  return errors;
}

function namesFunctionArn(uri: string): boolean {
  const match = INVOCATION_URI.exec(uri);
  const arn = match?.[1] ?? match?.[2];
  return arn !== undefined && functionNameInArn(arn) !== undefined;
}

function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
