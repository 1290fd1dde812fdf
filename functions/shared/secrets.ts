/** Key material from Secrets Manager through Powertools Parameters, cached for five minutes per execution environment. */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { secretsClient } from './clients.js';

const provider = new SecretsProvider({ awsSdkV3Client: secretsClient });

/**
 * The key in a secret string: either the raw string or, as the template generates it
 * (`SecretStringTemplate: '{}'`, `GenerateStringKey: signingKey`), JSON `{"signingKey": "..."}`.
 */
export function keyFromSecretString(secret: string, secretId: string): string {
  const text = secret.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`Secret ${secretId}: looks like JSON but does not parse`);
    }
    const key = (parsed as { signingKey?: unknown }).signingKey;
    if (typeof key !== 'string' || key === '') throw new Error(`Secret ${secretId}: JSON has no non-empty "signingKey"`);
    return key;
  }
  if (text === '') throw new Error(`Secret ${secretId}: empty`);
  return text;
}

/** The signing key stored in `secretId` (cached 300 s). */
export async function signingKey(secretId: string): Promise<string> {
  const value = await provider.get(secretId, { maxAge: 300 });
  if (typeof value !== 'string') throw new Error(`Secret ${secretId}: expected a SecretString`);
  return keyFromSecretString(value, secretId);
}
