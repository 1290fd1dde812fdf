/**
 * Stable identifiers the emulator gives identity resources, derived from their logical ids so that a
 * template's `Ref`/`Fn::GetAtt` values, issued tokens and local state agree across restarts and tools.
 */
import { createHash, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of `length` characters from `alphabet` (crypto-quality). */
export function randomToken(length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

// These derivations must agree with emulator/template/stack.ts (refResource/getAtt), which resolves the
// template's `Ref`s to the same ids; tests/emulator/identity/tools.test.ts checks that they do.

/** The 10-hex-character id the template loader gives resources (sha256 of the seed). */
function loaderId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 10);
}

/** Cognito user pool id, in the real `<region>_<alphanumerics>` format (accepted by aws-jwt-verify). */
export function userPoolIdFor(region: string, logicalId: string): string {
  return `${region}_${loaderId(logicalId).slice(0, 9)}`;
}

/** ARN of a user pool, as `Fn::GetAtt Pool.Arn` and Cognito authorizer `providerARNs` name it. */
export function userPoolArnFor(region: string, accountId: string, logicalId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${userPoolIdFor(region, logicalId)}`;
}

/** Cognito app client id (`Ref` of AWS::Cognito::UserPoolClient). */
export function userPoolClientIdFor(logicalId: string, accountId: string): string {
  return loaderId(`${logicalId}:${accountId}`);
}

/** API key id (`Ref` of AWS::ApiGateway::ApiKey). */
export function apiKeyIdFor(logicalId: string, accountId: string): string {
  return loaderId(`${logicalId}:${accountId}`);
}

/** Usage plan id (`Ref` of AWS::ApiGateway::UsagePlan). */
export function usagePlanIdFor(logicalId: string, accountId: string): string {
  return loaderId(`${logicalId}:${accountId}`);
}

/** Default physical name of a secret without `Name`: CloudFormation-style `<stack>-<LogicalId>`. */
export function defaultSecretName(logicalId: string, stackName = 'local'): string {
  return `${stackName}-${logicalId}`;
}

/** Secret ARN (`Ref` of AWS::SecretsManager::Secret): the name plus a 6-character suffix as AWS appends. */
export function secretArnFor(region: string, accountId: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-AbCdEf`;
}

/**
 * Whether a resolved reference (`KeyId`, `UsagePlanId`, `UserPoolId`...) names a resource: its emulator id,
 * its logical id, or a still-unresolved `{ Ref: LogicalId }` all count.
 */
export function refersTo(value: unknown, logicalId: string, ids: string[]): boolean {
  if (typeof value === 'string') return value === logicalId || ids.includes(value);
  if (value !== null && typeof value === 'object' && 'Ref' in value) return (value as { Ref: unknown }).Ref === logicalId;
  return false;
}
