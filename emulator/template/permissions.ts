/**
 * Who may invoke which function: API Gateway needs a resource-based permission on the function
 * (R1.54), which templates give with AWS::Lambda::Permission or, in SAM, with an `Api` event
 * (SAM then writes the permission itself: sam-api/events.ts adds it to the stack).
 */
import type { FunctionSpec } from './model.js';
import { httpApiEventGrants } from './http-apis.js';
import type { Stack } from './stack.js';

import type { ApiGatewayGrant } from './model.js';

const API_GATEWAY = 'apigateway.amazonaws.com';

/** The grants to API Gateway in the template, resolved to the functions they name. */
export function loadApiGatewayGrants(stack: Stack, functions: Map<string, FunctionSpec>): ApiGatewayGrant[] {
  const byReference = new Map<string, string>();
  for (const fn of functions.values()) {
    for (const ref of [fn.logicalId, fn.functionName, fn.arn, `${fn.arn}:$LATEST`]) byReference.set(ref, fn.logicalId);
  }
  const grants: ApiGatewayGrant[] = [];
  for (const [logicalId, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Lambda::Permission') {
      const props = stack.resolve(res.Properties, `Resources.${logicalId}.Properties`) as Record<string, unknown>;
      const action = String(props.Action ?? '');
      if (props.Principal !== API_GATEWAY || !['lambda:InvokeFunction', 'lambda:*'].includes(action)) continue;
      // A permission on an alias or version (`name:live`, `arn:...:function:name:1`) is one on the function locally.
      // A Ref or GetAtt names its function by logical id, which holds even where two functions share a FunctionName.
      const functionLogicalId = referencedFunction(res.Properties.FunctionName, functions) ?? byReference.get(String(props.FunctionName ?? '')) ?? byReference.get(unqualified(String(props.FunctionName ?? '')));
      const sourceArn = typeof props.SourceArn === 'string' ? { sourceArn: props.SourceArn } : {};
      if (functionLogicalId) grants.push({ functionLogicalId, ...sourceArn });
      // A function of another stack (its ARN passed in from a sibling's Outputs): kept by name, for the stacks to match.
      else if (typeof props.FunctionName === 'string') grants.push({ functionLogicalId: '', otherFunction: unqualified(props.FunctionName), ...sourceArn });
    }
    // REST Api events need no case here: SAM's exact permission per event is in the stack (sam-api/events.ts).
    if (res.Type === 'AWS::Serverless::HttpApi') grants.push(...defaultAuthorizerPermissions(stack, logicalId, byReference));
  }
  grants.push(...httpApiEventGrants(stack));
  return grants;
}

/** The function a `Ref: Fn` or `Fn::GetAtt: [Fn, Arn]` names, before it is resolved to a name. */
export function referencedFunction(raw: unknown, functions: Map<string, FunctionSpec>): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  const id = typeof record.Ref === 'string' ? record.Ref : Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  return typeof id === 'string' && functions.has(id) ? id : undefined;
}

function unqualified(name: string): string {
  const arn = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+):[^:]+$/.exec(name);
  if (arn) return arn[1] as string;
  return name.startsWith('arn:') ? name : (name.split(':')[0] as string);
}

/** H1.11: SAM grants a Lambda authorizer only with EnableFunctionDefaultPermissions: true. */
function defaultAuthorizerPermissions(stack: Stack, apiId: string, byReference: Map<string, string>): ApiGatewayGrant[] {
  const auth = stack.resources[apiId]?.Properties.Auth as { Authorizers?: Record<string, Record<string, unknown>> } | undefined;
  return Object.entries(auth?.Authorizers ?? {}).flatMap(([name, raw]) => {
    if (raw?.EnableFunctionDefaultPermissions !== true) return [];
    const fn = byReference.get(String(stack.resolve(raw.FunctionArn, `Resources.${apiId}.Properties.Auth.Authorizers.${name}.FunctionArn`)));
    return fn ? [{ functionLogicalId: fn }] : [];
  });
}

/** IAM ARN matching as Lambda applies it to SourceArn: `*` any run of characters, `?` one character. */
function arnMatches(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

/** Whether a grant lets API Gateway invoke the function for this execute-api source ARN. */
export function mayInvoke(grants: ApiGatewayGrant[], functionLogicalId: string, sourceArn: string): boolean {
  return grants.some((g) => g.functionLogicalId !== '' && g.functionLogicalId === functionLogicalId && (g.sourceArn === undefined || arnMatches(g.sourceArn, sourceArn)));
}

/** Whether a grant on a function of another stack, named by one of `references` (its name, its ARN), allows this source ARN. */
export function mayInvokeOther(grants: ApiGatewayGrant[], references: string[], sourceArn: string): boolean {
  return grants.some((g) => g.otherFunction !== undefined && references.includes(g.otherFunction) && (g.sourceArn === undefined || arnMatches(g.sourceArn, sourceArn)));
}
