/**
 * The account and region a CDK stack was synthesized for. A stack with `env: { account, region }` (or
 * `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`, which the CDK CLI sets from the user's credentials and profile) is
 * environment-specific: CDK writes both literally into the ARNs it builds, such as LambdaRestApi's
 * `AWS::Lambda::Permission` SourceArn (`arn:aws:execute-api:us-east-2:111122223333:...`) and Cognito authorizers'
 * issuers. The cloud assembly's `manifest.json` beside the template records them as the stack artifact's
 * `environment` (`aws://<account>/<region>`; `unknown-account`/`unknown-region` for an environment-agnostic stack).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A region name (us-east-2, ap-southeast-1, us-gov-west-1...), not CDK's `unknown-region` or an unresolved token. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** An account id (12 digits), not CDK's `unknown-account` or an unresolved token. */
const ACCOUNT = /^\d{12}$/;

/**
 * The account and region of the CDK stack whose template is `templateFile`, per the cloud assembly's manifest beside
 * it (one read for both); each undefined when there is no manifest or the stack is agnostic of it.
 */
export function cdkStackEnvironment(templateFile: string): { account?: string; region?: string } {
  const [account, region] = stackEnvironment(templateFile) ?? [];
  return { ...(account !== undefined && ACCOUNT.test(account) ? { account } : {}), ...(region !== undefined && REGION.test(region) ? { region } : {}) };
}

/** [account, region] of the stack artifact whose template is `templateFile` in the manifest beside it. */
function stackEnvironment(templateFile: string): [string, string] | undefined {
  const file = resolvePath(templateFile);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dirname(file), 'manifest.json'), 'utf8'));
  } catch {
    // Not a cloud assembly (a SAM template, a template copied out of cdk.out): no environment to read.
    return undefined;
  }
  const artifacts = isRecord(manifest) && isRecord(manifest.artifacts) ? Object.values(manifest.artifacts) : [];
  for (const artifact of artifacts) {
    if (!isRecord(artifact) || artifact.type !== 'aws:cloudformation:stack' || !isRecord(artifact.properties)) continue;
    if (artifact.properties.templateFile !== basename(file) || typeof artifact.environment !== 'string') continue;
    const parts = /^aws:\/\/([^/]*)\/(.+)$/.exec(artifact.environment);
    return parts ? [parts[1]!, parts[2]!] : undefined;
  }
  return undefined;
}
