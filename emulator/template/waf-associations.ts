/**
 * Which API stage a WAFv2 web ACL association reaches (W1.1, W1.2): read by emulator/waf/ to filter a stage, and at
 * load time to report an association that reaches nothing of the template (never silent).
 */
import type { ApiSpec } from './model.js';

/** W1.1: whether a WebACLAssociation's ResourceArn is this REST API stage's ARN (`arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`). */
export function namesRestStage(arn: unknown, region: string, restApiId: string, stageName: string): boolean {
  if (typeof arn !== 'string' || !/^arn:[^:]+:apigateway:/.test(arn)) return false;
  // A REST API id names an API in one Region only.
  return arn.split(':')[3] === region && arn.endsWith(`::/restapis/${restApiId}/stages/${stageName}`) && arn.split(':').length === 6;
}

/**
 * Each WebACLAssociation whose ResourceArn names no REST API stage of this template, with why: AWS filters that other
 * resource, nothing is filtered locally. An API's served stages are its own and its extraStages (SAM's "Stage").
 */
export function strayWebAclAssociations(
  wafResources: readonly { logicalId: string; type: string; properties: Record<string, unknown> }[],
  apis: readonly Pick<ApiSpec, 'restApiId' | 'stageName' | 'extraStages'>[],
  region: string,
): Map<string, string> {
  const stray = new Map<string, string>();
  for (const r of wafResources) {
    if (r.type !== 'AWS::WAFv2::WebACLAssociation') continue;
    const arn = r.properties.ResourceArn;
    if (apis.some((api) => [api.stageName, ...(api.extraStages ?? [])].some((stage) => namesRestStage(arn, region, api.restApiId, stage)))) continue;
    const named = typeof arn === 'string' ? arn : JSON.stringify(arn);
    stray.set(r.logicalId, `its ResourceArn ${named} names no REST API stage of this template (an API of another stack, or another kind of resource): its web ACL filters nothing locally`);
  }
  return stray;
}
