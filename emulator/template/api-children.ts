/**
 * API Gateway resources that join an API by its id (RestApiId, ApiId). One whose id names no API of the template
 * adds nothing to any served API; the startup report says so instead of listing it as emulated (a literal logical id,
 * `RestApiId: MyApi` where `!Ref MyApi` was meant, is the usual cause: CloudFormation would refuse it as no API id).
 */
import { restApiIdFor, UNRESOLVED_PREFIX, type Stack } from './stack.js';

const REST_CHILDREN = ['Resource', 'Method', 'Authorizer', 'Model', 'RequestValidator', 'GatewayResponse', 'Deployment', 'Stage'].map((t) => `AWS::ApiGateway::${t}`);
const V2_CHILDREN = ['Route', 'Integration', 'Authorizer', 'Stage', 'Deployment', 'RouteResponse', 'IntegrationResponse', 'Model'].map((t) => `AWS::ApiGatewayV2::${t}`);
const REST_APIS = new Set(['AWS::ApiGateway::RestApi', 'AWS::Serverless::Api']);
const V2_APIS = new Set(['AWS::ApiGatewayV2::Api', 'AWS::Serverless::HttpApi']);

/** Logical id -> why it serves nothing, for each API child whose API id is no API of this stack. */
export function detachedApiChildren(stack: Stack): Map<string, string> {
  const apisOf = (types: Set<string>, implicit: string): Map<string, string> => {
    const ids = new Map<string, string>([[restApiIdFor(implicit), implicit]]);
    for (const [id, res] of Object.entries(stack.resources)) if (types.has(res.Type)) ids.set(restApiIdFor(id), id);
    return ids;
  };
  const rest = apisOf(REST_APIS, 'ServerlessRestApi');
  const v2 = apisOf(V2_APIS, 'ServerlessHttpApi');
  const detached = new Map<string, string>();
  for (const [logicalId, res] of Object.entries(stack.resources)) {
    const isRest = REST_CHILDREN.includes(res.Type);
    if (!isRest && !V2_CHILDREN.includes(res.Type)) continue;
    const property = isRest ? 'RestApiId' : 'ApiId';
    let value: unknown;
    try {
      value = stack.resolve(res.Properties?.[property], `Resources.${logicalId}.Properties.${property}`);
    } catch {
      continue; // an id that does not resolve is reported where the API is read
    }
    const apis = isRest ? rest : v2;
    if (value === undefined) detached.set(logicalId, `no ${property}: it adds nothing to any served API`);
    else if (typeof value === 'string' && !apis.has(value)) detached.set(logicalId, whyDetached(property, value, [...apis.values()], parameterOf(stack, res.Properties?.[property])));
  }
  return detached;
}

/** The template parameter an id is a plain Ref to, if it is one. */
function parameterOf(stack: Stack, raw: unknown): string | undefined {
  const ref = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>).Ref : undefined;
  return typeof ref === 'string' && stack.opts.parameters[ref] !== undefined ? ref : undefined;
}

function whyDetached(property: string, value: string, apiLogicalIds: string[], parameter?: string): string {
  const serves = 'it adds nothing to any served API';
  if (apiLogicalIds.includes(value)) return `${property} is the text "${value}", not that API's id (write !Ref ${value}): ${serves}`;
  if (value.startsWith(UNRESOLVED_PREFIX)) return `${property} names an API of another stack (${value}): ${serves}`;
  // A parent stack passing its API's id to a nested stack that adds routes or methods to it: on AWS they join that
  // API; here each stack serves only the APIs it declares, so they are not served (not a template error).
  if (parameter !== undefined) return `${property} "${value}" comes from parameter ${parameter}: the id of an API of another stack (a parent passing its own), to which AWS adds this resource; an API is served here only with what its own stack declares, so ${serves}`;
  return `${property} "${value}" names no API of this template: ${serves}`;
}
