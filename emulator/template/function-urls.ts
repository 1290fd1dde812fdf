/**
 * Lambda function URLs: SAM's `FunctionUrlConfig` on a function (Globals included) and `AWS::Lambda::Url` resources
 * (CDK's `addFunctionUrl`). A function URL is Lambda's own HTTP endpoint, not API Gateway's, but its request and
 * response are those of an HTTP API's payload 2.0 with a single `$default` route: each is served as such an API on
 * its own port, marked `functionUrl` so the gateway shows it as Lambda does (gateway/http/).
 */
import { readCors } from './http-api-document.js';
import { TemplateError, type FunctionSpec, type HttpApiSpec } from './model.js';
import { applyGlobals } from './globals.js';
import { functionUrlIdFor, type Stack } from './stack.js';
import { apiOrReported, type ApiRefusals } from './per-api.js';
import { referencedFunction } from './permissions.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a URL with AuthType NONE needs from the function's resource-based policy: public access (Lambda's "Control access to function URLs"; both since October 2025). */
const PUBLIC_GRANTS = ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'];

/** The public grants an AWS::Lambda::Url with AuthType NONE lacks among the template's AWS::Lambda::Permission resources. */
function missingPublicGrants(stack: Stack, fn: FunctionSpec, functions: Map<string, FunctionSpec>): string[] {
  const granted = new Set<string>();
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Lambda::Permission') continue;
    const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
    if (props.Principal !== '*') continue;
    const named = referencedFunction(res.Properties.FunctionName, functions) ?? targetFunction(stack, functions, props.FunctionName)?.fn.logicalId;
    if (named !== fn.logicalId) continue;
    // A grant limited to AWS_IAM URLs (FunctionUrlAuthType AWS_IAM) or to other callers (InvokedViaFunctionUrl false) grants nothing here.
    if (props.FunctionUrlAuthType !== undefined && props.FunctionUrlAuthType !== 'NONE') continue;
    if (props.InvokedViaFunctionUrl !== undefined && String(props.InvokedViaFunctionUrl) !== 'true') continue;
    const action = String(props.Action ?? '');
    for (const grant of PUBLIC_GRANTS) if (action === grant || action === 'lambda:*' || action === '*') granted.add(grant);
  }
  return PUBLIC_GRANTS.filter((grant) => !granted.has(grant));
}

/** One function URL as an HTTP API with a `$default` route to its function (payload 2.0). */
function urlApi(stack: Stack, id: string, fn: FunctionSpec, config: Record<string, unknown>, key: string, missingPermissions: string[] = [], qualifier?: unknown): HttpApiSpec {
  const authType = String(config.AuthType ?? '');
  if (authType !== 'NONE' && authType !== 'AWS_IAM') throw new TemplateError(stack.file, `${key}.AuthType`, 'must be NONE or AWS_IAM');
  const invokeMode = String(config.InvokeMode ?? 'BUFFERED');
  if (invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') throw new TemplateError(stack.file, `${key}.InvokeMode`, 'must be BUFFERED or RESPONSE_STREAM');
  // Lambda's Cors puts no constraint between AllowOrigins and AllowCredentials (API reference, "Cors"): only API Gateway v2 refuses `*` with credentials.
  const cors = isRecord(config.Cors) ? readCors(config.Cors, stack.file, `${key}.Cors`, true) : undefined;
  // The URL's qualifier (an alias), which Lambda runs the function as.
  const target = typeof qualifier === 'string' && qualifier !== '' ? `${fn.arn}:${qualifier}` : fn.arn;
  const uri = `arn:aws:apigateway:${stack.opts.region}:lambda:path/2015-03-31/functions/${target}/invocations`;
  return {
    logicalId: id,
    apiId: functionUrlIdFor(id),
    stages: [{ name: '$default', stageVariables: null, defaultThrottle: {}, routeThrottle: {} }],
    routes: [
      {
        routeKey: '$default',
        // The function's own Timeout is its only limit (up to 15 minutes); a URL needs no API Gateway permission.
        integration: { type: 'aws_proxy', uri, payloadFormatVersion: '2.0', timeoutInMillis: 900_000, credentials: 'function-url', functionLogicalId: fn.logicalId },
        authorizationType: authType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
        authorizationScopes: [],
        location: key,
      },
    ],
    authorizers: {},
    ...(cors ? { cors } : {}),
    source: `${stack.file}#/Resources/${id}`,
    notes: [],
    functionUrl: { functionLogicalId: fn.logicalId, authType, invokeMode, ...(authType === 'NONE' && missingPermissions.length ? { missingPermissions } : {}) },
  };
}

/**
 * The function an `AWS::Lambda::Url`'s TargetFunctionArn names (a name, an ARN or a partial ARN, `!Ref`, `!GetAtt .Arn`),
 * if of this template, and the alias it names when it carries one (`name:live`, an alias's ARN, `!Ref` of an alias), as
 * Lambda's FunctionName pattern reads a qualifier.
 */
function targetFunction(stack: Stack, functions: Map<string, FunctionSpec>, target: unknown): { fn: FunctionSpec; qualifier?: string } | undefined {
  const referenced = referencedFunction(target, functions);
  if (referenced !== undefined) return { fn: functions.get(referenced)! };
  const resolved = stack.resolve(target, 'TargetFunctionArn');
  if (typeof resolved !== 'string') return undefined;
  // A (partial) ARN's name and qualifier follow its "function:"; a bare name may carry its qualifier too.
  const at = resolved.lastIndexOf('function:');
  const [name, qualifier] = (at < 0 ? resolved : resolved.slice(at + 'function:'.length)).split(':');
  const fn = [...functions.values()].find((f) => f.functionName === name || f.logicalId === name);
  return fn && { fn, ...(qualifier ? { qualifier } : {}) };
}

/**
 * The qualifier AWS::Lambda::Url's schema refuses, and where: TargetFunctionArn's may not start with a digit nor hold
 * a `$` (its pattern's `(:((?!\d+)[0-9a-zA-Z-_]+))?$`), Qualifier may not be all digits. A URL is on an alias or none.
 */
function versionQualifier(inArn: string | undefined, property: unknown): { key: string; qualifier: string; why: string } | undefined {
  if (inArn !== undefined && !/^(?!\d)[0-9a-zA-Z_-]+$/.test(inArn)) return { key: 'TargetFunctionArn', qualifier: inArn, why: 'none that starts with a digit or holds other than letters, digits, - and _: a version, $LATEST' };
  const given = typeof property === 'number' ? String(property) : property;
  return typeof given === 'string' && /^\d+$/.test(given) ? { key: 'Qualifier', qualifier: given, why: 'none of digits only: a version' } : undefined;
}

/** Every function URL of the template, as HTTP APIs; one Lambda would refuse costs that URL only (reported). */
export function loadFunctionUrls(stack: Stack, globals: unknown, functions: Map<string, FunctionSpec>, refusals: ApiRefusals): HttpApiSpec[] {
  const out: HttpApiSpec[] = [];
  // Lambda keeps one URL per function and qualifier (its Get/Update/DeleteFunctionUrlConfig name no URL, only those):
  // creating a second fails (ResourceConflictException), so the deploy of a template with two fails.
  const owners = new Map<string, string>();
  const claim = (url: string, fn: FunctionSpec, qualifier: unknown): void => {
    const on = `${fn.logicalId} (${typeof qualifier === 'string' && qualifier !== '' ? qualifier : '$LATEST'})`;
    const first = owners.get(on);
    if (first === undefined) owners.set(on, url);
    else refusals.notEmulated.push(`Resources.${url}: a second function URL for ${on}, beside ${first}: Lambda keeps one URL per function and qualifier, so AWS's deploy fails creating one of them (ResourceConflictException); both are served here`);
  };
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Serverless::Function') {
      const props = applyGlobals(globals, 'Function', res.Properties);
      if (props.FunctionUrlConfig === undefined) continue;
      const key = `Resources.${id}.Properties.FunctionUrlConfig`;
      const fn = functions.get(id);
      const config = stack.resolve(props.FunctionUrlConfig, key);
      if (!fn || !isRecord(config)) continue;
      const api = apiOrReported(`${id}Url`, refusals, () => urlApi(stack, `${id}Url`, fn, config, key, [], stack.autoPublishAlias(id)));
      if (api) out.push(api);
      // SAM points the URL at the alias AutoPublishAlias publishes, when there is one.
      if (api) claim(`${id}Url`, fn, stack.resolve(props.AutoPublishAlias, `Resources.${id}.Properties.AutoPublishAlias`));
    } else if (res.Type === 'AWS::Lambda::Url') {
      const key = `Resources.${id}.Properties`;
      const target = targetFunction(stack, functions, res.Properties.TargetFunctionArn);
      if (!target) {
        refusals.notEmulated.push(`${key}.TargetFunctionArn: names no function of this template (its code is not here); URL ${id} is not served`);
        refusals.refused.add(id);
        continue;
      }
      const { fn } = target;
      const config = stack.resolve(res.Properties, key);
      const version = versionQualifier(target.qualifier, isRecord(config) ? config.Qualifier : undefined);
      if (version) {
        refusals.notEmulated.push(`${key}.${version.key}: names ${JSON.stringify(version.qualifier)} as the qualifier of ${fn.logicalId}, which AWS::Lambda::Url's ${version.key} pattern refuses (${version.why}; a function URL is on the function or one of its aliases), so CloudFormation refuses the template; URL ${id} is not served`);
        refusals.refused.add(id);
        continue;
      }
      // SAM writes both public permissions for a FunctionUrlConfig with AuthType NONE; a plain AWS::Lambda::Url has what the template grants.
      const api = isRecord(config) ? apiOrReported(id, refusals, () => urlApi(stack, id, fn, config, key, missingPublicGrants(stack, fn, functions), config.Qualifier ?? target.qualifier)) : undefined;
      if (api) out.push(api);
      if (api && isRecord(config)) claim(id, fn, config.Qualifier ?? target.qualifier);
    }
  }
  return out;
}
