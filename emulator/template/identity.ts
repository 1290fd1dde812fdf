/** Identity resources (API keys, usage plans, Cognito, secrets) with intrinsics resolved, for part 2 of the emulator. */
import type { IdentityResources } from './model.js';
import type { Stack } from './stack.js';

const KINDS: Record<string, keyof IdentityResources> = {
  'AWS::ApiGateway::ApiKey': 'apiKeys',
  'AWS::ApiGateway::UsagePlan': 'usagePlans',
  'AWS::ApiGateway::UsagePlanKey': 'usagePlanKeys',
  'AWS::Cognito::UserPool': 'userPools',
  'AWS::Cognito::UserPoolClient': 'userPoolClients',
  'AWS::SecretsManager::Secret': 'secrets',
};

/** Collect identity resources, including those SAM generates for Api Auth.UsagePlan (R13.8, sam-api/usage-plan.ts). */
export function loadIdentity(stack: Stack): IdentityResources {
  const out: IdentityResources = { apiKeys: [], usagePlans: [], usagePlanKeys: [], userPools: [], userPoolClients: [], secrets: [] };
  for (const [logicalId, res] of Object.entries(stack.resources)) {
    const kind = KINDS[res.Type];
    if (kind) {
      const properties = stack.resolve(res.Properties, `Resources.${logicalId}.Properties`) as Record<string, unknown>;
      out[kind].push({ logicalId, properties });
    }
  }
  return out;
}
