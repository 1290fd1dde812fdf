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

/** What a user pool's Lambda trigger would change that a local run lacks (Cognito runs no sign-up or sign-in flow here). */
function triggerNotRun(name: string): string {
  if (name.startsWith('PreTokenGeneration')) return "Cognito triggers do not run locally: the tokens `sam-local-gateway token` mints carry no claim it would add, change or suppress";
  if (name === 'CustomSMSSender' || name === 'CustomEmailSender' || name === 'KMSKeyID') return 'Cognito sends no messages locally';
  return 'Cognito triggers do not run locally: no sign-up, sign-in or message flow runs (tokens come from `sam-local-gateway token`)';
}

/** Collect identity resources, including those SAM generates for Api Auth.UsagePlan (R13.8, sam-api/usage-plan.ts); a user pool's triggers are named in `warnings`. */
export function loadIdentity(stack: Stack, warnings: string[] = []): IdentityResources {
  const out: IdentityResources = { apiKeys: [], usagePlans: [], usagePlanKeys: [], userPools: [], userPoolClients: [], secrets: [] };
  for (const [logicalId, res] of Object.entries(stack.resources)) {
    const kind = KINDS[res.Type];
    if (kind) {
      const properties = stack.resolve(res.Properties, `Resources.${logicalId}.Properties`) as Record<string, unknown>;
      out[kind].push({ logicalId, properties });
      const triggers = kind === 'userPools' ? properties.LambdaConfig : undefined;
      if (typeof triggers === 'object' && triggers !== null && !Array.isArray(triggers)) {
        for (const name of Object.keys(triggers)) warnings.push(`Resources.${logicalId}.Properties.LambdaConfig.${name}: ${triggerNotRun(name)}`);
      }
    }
  }
  return out;
}
