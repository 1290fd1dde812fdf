/**
 * The value of each AWS::SecretsManager::Secret: its SecretString, or for GenerateSecretString a random value
 * generated the way Secrets Manager does and kept stable in the local folder; with neither, none (an empty secret).
 */
import { createHash, randomInt } from 'node:crypto';
import { TemplateError, type IdentityResources } from '../template/model.js';
import { defaultSecretName, secretArnFor } from './local-ids.js';
import type { LocalState } from './local-state.js';

export interface SecretRecord {
  logicalId: string;
  name: string;
  arn: string;
  secretString: string;
  /** `created`: by a CreateSecret call to the embedded endpoint, not in the template. */
  source: 'template' | 'generated' | 'created';
  /** GenerateSecretString.GenerateStringKey, when the generated value sits inside a JSON template. */
  generatedKey?: string;
  /** The AWSCURRENT version's id, once a CreateSecret or PutSecretValue made it (a template secret's is derived). */
  versionId?: string;
  /** The AWSCURRENT version's SecretBinary (base64), when it was given one instead of a SecretString. */
  secretBinary?: string;
  /** When that version was made (ms since the epoch). */
  createdDate?: number;
  /** Created without a value: no AWSCURRENT version yet. */
  noValue?: boolean;
  /** A DeleteSecret without ForceDeleteWithoutRecovery marked it for deletion at this time (ms since the epoch). */
  deletionDate?: number;
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

/** Every secret of the template with its local value; names default to `<stack>-<LogicalId>` as the loader's Ref. */
export function secretsFromTemplate(
  template: { region: string; accountId: string; identity: IdentityResources; path: string },
  state: LocalState,
  stackName = 'local',
): SecretRecord[] {
  return template.identity.secrets.map(({ logicalId, properties }) => {
    const where = `Resources.${logicalId}.Properties`;
    const name = typeof properties.Name === 'string' ? properties.Name : defaultSecretName(logicalId, stackName);
    const arn = secretArnFor(template.region, template.accountId, name);
    if (typeof properties.SecretString === 'string') {
      return { logicalId, name, arn, secretString: properties.SecretString, source: 'template' };
    }
    const spec = properties.GenerateSecretString;
    // CloudFormation creates a secret without either as an empty one (no AWSCURRENT version): its value is put later.
    if (spec === undefined || spec === null) return { logicalId, name, arn, secretString: '', source: 'template', noValue: true };
    if (typeof spec !== 'object') throw new TemplateError(template.path, `${where}.GenerateSecretString`, 'must be a map of generation options');
    const options = spec as Record<string, unknown>;
    // The stored value is keyed by the generation options too: changing them in the template regenerates it.
    const fingerprint = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12);
    const secretString = state.getOrCreate('secrets', `${logicalId}#${fingerprint}`, () =>
      generateSecretString(options, template.path, `${where}.GenerateSecretString`),
    );
    const record: SecretRecord = { logicalId, name, arn, secretString, source: 'generated' };
    if (typeof options.GenerateStringKey === 'string') record.generatedKey = options.GenerateStringKey;
    return record;
  });
}

/** A value as Secrets Manager's GenerateSecretString makes it (length, exclusions, JSON template + key). */
export function generateSecretString(options: Record<string, unknown>, file = 'template', key = 'GenerateSecretString'): string {
  const length = options.PasswordLength === undefined ? 32 : Number(options.PasswordLength);
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new TemplateError(file, `${key}.PasswordLength`, 'must be an integer 1-4096');
  const excluded = new Set(String(options.ExcludeCharacters ?? ''));
  const yes = (v: unknown) => v === true || v === 'true';
  const classes = [
    yes(options.ExcludeLowercase) ? '' : LOWER,
    yes(options.ExcludeUppercase) ? '' : UPPER,
    yes(options.ExcludeNumbers) ? '' : DIGITS,
    yes(options.ExcludePunctuation) ? '' : PUNCTUATION,
    yes(options.IncludeSpace) ? ' ' : '',
  ]
    .map((set) => [...set].filter((c) => !excluded.has(c)).join(''))
    .filter(Boolean);
  if (classes.length === 0) throw new TemplateError(file, key, 'excludes every character');
  const requireEach = options.RequireEachIncludedType === undefined || yes(options.RequireEachIncludedType);
  const value = randomFrom(classes, length, requireEach && length >= classes.length);
  const template = options.SecretStringTemplate;
  const field = options.GenerateStringKey;
  if (template === undefined && field === undefined) return value;
  if (typeof template !== 'string' || typeof field !== 'string') {
    throw new TemplateError(file, key, 'SecretStringTemplate and GenerateStringKey go together');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch {
    throw new TemplateError(file, `${key}.SecretStringTemplate`, 'must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TemplateError(file, `${key}.SecretStringTemplate`, 'must be a JSON object');
  }
  return JSON.stringify({ ...(parsed as Record<string, unknown>), [field]: value });
}

function randomFrom(classes: string[], length: number, requireEach: boolean): string {
  const all = classes.join('');
  const chars = Array.from({ length }, () => all[randomInt(all.length)] as string);
  if (requireEach) {
    // Put one character of each class at distinct random positions.
    const positions = [...Array(length).keys()];
    for (const set of classes) {
      const at = positions.splice(randomInt(positions.length), 1)[0] as number;
      chars[at] = set[randomInt(set.length)] as string;
    }
  }
  return chars.join('');
}

/** The value to sign with for a secret: the generated field when it sits in a JSON template, else the whole string. */
export function signingValue(secret: SecretRecord): string {
  if (!secret.generatedKey) return secret.secretString;
  const parsed = JSON.parse(secret.secretString) as Record<string, unknown>;
  return String(parsed[secret.generatedKey]);
}

/** Find a secret as Secrets Manager resolves a SecretId: name, full ARN, or ARN without its random suffix. */
export function findSecret(secrets: SecretRecord[], secretId: string): SecretRecord | undefined {
  return secrets.find(
    (s) => s.name === secretId || s.arn === secretId || s.arn.slice(0, -7) === secretId || s.logicalId === secretId,
  );
}
