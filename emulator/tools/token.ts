/**
 * `sam-local-gateway token --sub <id> [...]`: print one token for local calls, and nothing else on stdout.
 * Cognito ID token (or access token with --access) signed with the local pool key the emulator verifies with;
 * or, with --admin-token, an HS256 JWT signed with the local value of the template's authorizer secret.
 * Works whether or not the emulator runs: both read the same local folder (created here if absent).
 */
import { loadTemplate } from '../template/load.js';
import { TemplateError, type LoadedTemplate } from '../template/model.js';
import { CognitoPools } from '../identity/cognito.js';
import { stacksOf } from '../template/nested.js';
import { adminTokenClaims, signHs256 } from '../identity/hs256.js';
import { LocalState, localDirFor } from '../identity/local-state.js';
import { secretsFromTemplate, signingValue } from '../identity/secret-values.js';
import { overridesArg, parseCommand, templateArg, UsageError } from './args.js';

export const TOKEN_USAGE = `usage:     (npm run --silent token -- ... in the Task API)
  sam-local-gateway token --sub <id> [--email e] [--groups a,b] [--scope s] [--access] [--ttl seconds]
                          [-t, --template template.yaml] [--parameter-overrides "K=V ..."] [--pool LogicalId|Stack/LogicalId] [--client LogicalIdOrId]
  sam-local-gateway token --admin-token --sub <id> --roles admin[,x] [--email e] [--ttl seconds]
                          [-t, --template template.yaml] [--secret LogicalId]`;

const VALUE_FLAGS = ['sub', 'email', 'groups', 'scope', 'ttl', 'template', 'parameter-overrides', 'pool', 'client', 'roles', 'secret'];
const SWITCHES = ['access', 'admin-token'];

/** Build the token for parsed arguments against a loaded template. */
export function tokenFor(args: Record<string, string | true>, template: LoadedTemplate, state: LocalState): string {
  const text = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  const list = (name: string) => text(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const sub = text('sub');
  if (!sub) throw new UsageError('--sub is required', TOKEN_USAGE);
  const ttl = text('ttl');
  const ttlSeconds = ttl === undefined ? undefined : Number(ttl);
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)) throw new UsageError('--ttl must be a positive number of seconds', TOKEN_USAGE);
  if (args['admin-token']) {
    const roles = list('roles');
    if (!roles?.length) throw new UsageError('--admin-token needs --roles admin[,x]', TOKEN_USAGE);
    const claims = adminTokenClaims({ sub, roles, ...(text('email') ? { email: text('email') } : {}), ...(ttlSeconds ? { ttlSeconds } : {}) });
    return signHs256(claims, signingValue(pickSecret(template, state, text('secret'))));
  }
  // Every stack's pools: a nested stack's pool is named `Stack/Pool`.
  const stacks = stacksOf(template).map(({ path, template: t }) => ({ path, pools: CognitoPools.fromTemplate(t, state) }));
  const pools = stacks[0]!.pools;
  pools.link(stacks);
  return pools.issueToken({
    sub,
    tokenUse: args.access ? 'access' : 'id',
    ...(text('pool') ? { pool: text('pool') } : {}),
    ...(text('client') ? { clientId: text('client') } : {}),
    ...(text('email') ? { email: text('email') } : {}),
    ...(list('groups') ? { groups: list('groups') } : {}),
    ...(text('scope') ? { scope: text('scope') } : {}),
    ...(ttlSeconds ? { ttlSeconds } : {}),
  });
}

function pickSecret(template: LoadedTemplate, state: LocalState, logicalId: string | undefined) {
  const secrets = secretsFromTemplate(template, state);
  if (logicalId) {
    const found = secrets.find((s) => s.logicalId === logicalId);
    if (!found) throw new TemplateError(template.path, `Resources.${logicalId}`, 'is not an AWS::SecretsManager::Secret');
    return found;
  }
  if (secrets.length === 1) return secrets[0] as (typeof secrets)[number];
  // Several secrets: the one a Lambda authorizer function is given in its environment is the signing key.
  const read = authorizerEnvironmentValues(template);
  const candidates = secrets.filter((s) => read.has(s.arn) || read.has(s.name));
  if (candidates.length === 1) return candidates[0] as (typeof secrets)[number];
  const names = secrets.map((s) => s.logicalId).join(', ') || 'none';
  throw new TemplateError(template.path, 'Resources', `--admin-token cannot tell which secret signs tokens; pass --secret LogicalId (found: ${names})`);
}

/** Every environment value of the functions that the APIs' Lambda authorizers invoke. */
function authorizerEnvironmentValues(template: LoadedTemplate): Set<string> {
  const values = new Set<string>();
  for (const api of template.apis) {
    const components = api.openapi.components as { securitySchemes?: Record<string, Record<string, unknown>> } | undefined;
    for (const scheme of Object.values(components?.securitySchemes ?? {})) {
      const authorizer = scheme['x-amazon-apigateway-authorizer'] as { authorizerUri?: unknown } | undefined;
      const fn = typeof authorizer?.authorizerUri === 'string' ? template.functionForUri(authorizer.authorizerUri) : undefined;
      for (const value of Object.values(fn?.environment ?? {})) values.add(value);
    }
  }
  return values;
}

/** A token the template's authorizers accept: Cognito-signed (R7) or HS256 for a Lambda authorizer. */
export async function tokenCommand(argv: string[]): Promise<string> {
  const args = parseCommand(argv, VALUE_FLAGS, SWITCHES, TOKEN_USAGE);
  if (!args) return TOKEN_USAGE;
  const templatePath = templateArg(args);
  const template = await loadTemplate(templatePath, overridesArg(args));
  return tokenFor(args, template, new LocalState(localDirFor(templatePath)));
}
