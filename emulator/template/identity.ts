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

/** Collect identity resources; SAM Api Auth.UsagePlan (R13.8) is not expanded into resources here. */
export function loadIdentity(stack: Stack, warnings: string[]): IdentityResources {
  const out: IdentityResources = { apiKeys: [], usagePlans: [], usagePlanKeys: [], userPools: [], userPoolClients: [], secrets: [] };
  for (const [logicalId, res] of Object.entries(stack.resources)) {
    const kind = KINDS[res.Type];
    if (kind) {
      const properties = stack.resolve(res.Properties, `Resources.${logicalId}.Properties`) as Record<string, unknown>;
      out[kind].push({ logicalId, properties });
    }
    const auth = res.Type === 'AWS::Serverless::Api' ? (res.Properties.Auth as Record<string, unknown> | undefined) : undefined;
    if (auth?.UsagePlan !== undefined) {
      warnings.push(`Resources.${logicalId}.Properties.Auth.UsagePlan: SAM-generated usage plans are not emulated; declare AWS::ApiGateway::UsagePlan resources`);
    }
  }
  return out;
}
