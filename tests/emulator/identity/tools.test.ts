import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { CognitoAuthorizer } from '../../../emulator/identity/cognito-authorizer.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { LOCAL_DIR_ENV, LocalState } from '../../../emulator/identity/local-state.js';
import { apiKeyIdFor, usagePlanIdFor } from '../../../emulator/identity/local-ids.js';
import { secretsFromTemplate, signingValue } from '../../../emulator/identity/secret-values.js';
import { parseIdentitySources } from '../../../emulator/identity/security.js';
import { tempLocalState } from './support/fixtures.js';

const run = promisify(execFile);
const TEMPLATE = join(import.meta.dirname, '../fixtures/identity-app/template.yaml');
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

describe('CLI tools: sam-local-gateway token and keys (the built CLI, run as child processes)', () => {
  const local = tempLocalState();
  const env = { ...process.env, [LOCAL_DIR_ENV]: local.state.dir };
  let template: LoadedTemplate;
  let pools: CognitoPools;
  const tool = (name: string, args: string[]) => run(process.execPath, ['emulator/dist/cli.js', name, ...args], { env, cwd: join(import.meta.dirname, '../../..') });

  beforeAll(async () => {
    template = await loadTemplate(TEMPLATE);
  });
  afterAll(() => local.cleanup());

  /** The Cognito authorizer an API would have, over the pool ARN as the loader resolves `!GetAtt UserPool.Arn`. */
  const verifier = () => {
    pools = CognitoPools.fromTemplate(template, new LocalState(local.state.dir)); // the folder the tool used
    return new CognitoAuthorizer(pools, {
      schemeName: 'CognitoAuth',
      type: 'cognito_user_pools',
      headerName: 'Authorization',
      identitySources: parseIdentitySources('method.request.header.Authorization'),
      ttlSeconds: 300,
      providerARNs: [String(references().poolArn)],
    });
  };
  const references = () => JSON.parse(String(template.identity.secrets[1]!.properties.SecretString)) as Record<string, string>;

  it('the loader resolves Refs to the ids the identity modules use (pool, client, key, plan, secret)', () => {
    pools = CognitoPools.fromTemplate(template, new LocalState(local.state.dir));
    const link = template.identity.usagePlanKeys[0]!.properties;
    expect(references().poolArn).toBe(pools.pool('UserPool').arn);
    expect(references().clientId).toBe(pools.pool('UserPool').clients[0]!.id);
    expect(link.KeyId).toBe(apiKeyIdFor('ApiKey', template.accountId));
    expect(link.UsagePlanId).toBe(usagePlanIdFor('UsagePlan', template.accountId));
    expect(references().secretArn).toBe(secretsFromTemplate(template, new LocalState(local.state.dir))[0]!.arn);
  });

  it('token prints exactly one ID token that the Cognito authorizer accepts, with the given claims', async () => {
    const { stdout, stderr } = await tool('token', ['--sub', 'user-7', '--email', 'u7@example.com', '--groups', 'admin,users', '--template', TEMPLATE]);
    const token = stdout.slice(0, -1);
    expect(stdout.endsWith('\n') && JWT.test(token)).toBe(true);
    expect(stderr).toBe('');
    const outcome = await verifier().authorize({ Authorization: token }, []);
    expect(outcome).toMatchObject({ ok: true, principalId: 'user-7', authorizer: { claims: { email: 'u7@example.com', 'cognito:groups': 'admin,users', token_use: 'id' } } });
  });

  it('token --access prints an access token accepted for a matching scope', async () => {
    const { stdout } = await tool('token', ['--sub', 'user-8', '--access', '--scope', 'tasks/read', '--ttl', '120', '--template', TEMPLATE]);
    const authorizer = verifier();
    expect(await authorizer.authorize({ Authorization: stdout.trim() }, ['tasks/read'])).toMatchObject({ ok: true, principalId: 'user-8' });
    expect(await authorizer.authorize({ Authorization: stdout.trim() }, [])).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED' });
  });

  it('token --admin-token prints an HS256 JWT signed with the local secret value, with sub/email/roles/iat/exp/iss', async () => {
    const { stdout } = await tool('token', ['--admin-token', '--sub', 'admin-1', '--roles', 'admin,ops', '--email', 'a@x.io', '--secret', 'AuthorizerSecret', '--template', TEMPLATE]);
    const [h, p, s] = stdout.trim().split('.') as [string, string, string];
    const secret = secretsFromTemplate(template, new LocalState(local.state.dir))[0]!.secretString;
    expect(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')).toBe(s);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'admin-1', email: 'a@x.io', roles: ['admin', 'ops'], iss: 'task-api' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('keys prints each usage plan mapped to the local key value the emulator checks', async () => {
    const { stdout } = await tool('keys', ['--template', TEMPLATE]);
    const printed = JSON.parse(stdout) as Record<string, string>;
    const registry = ApiKeyRegistry.fromTemplate(template, new LocalState(local.state.dir));
    expect(Object.keys(printed)).toEqual(['UsagePlan']);
    const api = template.apis[0]!;
    expect(registry.checkApiKey({ source: 'HEADER', headerValue: printed.UsagePlan, restApiId: api.restApiId, stage: api.stageName })).toMatchObject({ ok: true });
  });

  it('token --admin-token picks the secret the Lambda authorizer function reads when the template has several (Task API)', async () => {
    const taskApi = join(import.meta.dirname, '../../../template.yaml');
    const { stdout } = await tool('token', ['--admin-token', '--sub', 'ops-1', '--roles', 'admin', '--template', taskApi]);
    const loaded = await loadTemplate(taskApi);
    const secrets = secretsFromTemplate(loaded, new LocalState(local.state.dir));
    const [h, p, s] = stdout.trim().split('.');
    const macWith = (logicalId: string) => {
      const record = secrets.find((x) => x.logicalId === logicalId)!;
      return createHmac('sha256', signingValue(record)).update(`${h}.${p}`).digest('base64url');
    };

    expect(macWith('AdminJwtSecret')).toBe(s);
    expect(macWith('CursorSigningSecret')).not.toBe(s);
  });

  it.each([
    { args: ['--email', 'x@y.z'], want: /--sub is required/ },
    { args: ['--sub', 'u', '--bogus'], want: /unknown option --bogus/ },
    { args: ['--admin-token', '--sub', 'u'], want: /--admin-token needs --roles/ },
    { args: ['--sub', 'u', '--pool', 'Nope'], want: /Resources\.Nope: is not an AWS::Cognito::UserPool/ },
    // No Lambda authorizer in this fixture names either secret, so the tool cannot choose.
    { args: ['--admin-token', '--sub', 'u', '--roles', 'admin'], want: /cannot tell which secret signs tokens; pass --secret LogicalId \(found: AuthorizerSecret, ReferencesSecret\)/ },
  ])('token fails clearly on stderr with exit 1 and empty stdout: $args', async ({ args, want }) => {
    const error = (await tool('token', [...args, '--template', TEMPLATE]).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stdout).toBe('');
    expect(error.stderr).toMatch(want);
  });
});
