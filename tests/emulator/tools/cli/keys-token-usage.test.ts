/** The built `sam-local-gateway` CLI as a child process: keys, token and usage, with --parameter-overrides. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support/run.js';

describe('sam-local-gateway keys / token / usage --parameter-overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tools-overrides-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const template = join(dir, 'template.yaml');
  writeFileSync(
    template,
    `Parameters:
  WithPlan: { Type: String, Default: 'no', AllowedValues: ['yes', 'no'] }
Conditions:
  PlanWanted: !Equals [!Ref WithPlan, 'yes']
Resources:
  Key: { Type: AWS::ApiGateway::ApiKey, Condition: PlanWanted, Properties: { Enabled: true } }
  Plan: { Type: AWS::ApiGateway::UsagePlan, Condition: PlanWanted, Properties: {} }
  PlanKey: { Type: AWS::ApiGateway::UsagePlanKey, Condition: PlanWanted, Properties: { KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan } }
  Pool: { Type: AWS::Cognito::UserPool, Condition: PlanWanted, Properties: {} }
  Client: { Type: AWS::Cognito::UserPoolClient, Condition: PlanWanted, Properties: { UserPoolId: !Ref Pool } }
`,
  );

  it.each([
    { given: 'no override', args: [] as string[], want: { plans: [] as string[] } },
    { given: 'the override that creates the plan', args: ['--parameter-overrides', 'WithPlan=yes'], want: { plans: ['Plan'] } },
  ])('keys reads the stack as start-api would with $given', async ({ args, want }) => {
    // Act
    const run = await cli(['keys', '-t', template, ...args]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as Record<string, string>)).toEqual(want.plans);
  });

  it('token mints for a pool that exists only under an override (and has none without it)', async () => {
    // Act
    const withPool = await cli(['token', '--sub', 'alice', '-t', template, '--parameter-overrides', 'WithPlan=yes']);
    const without = await cli(['token', '--sub', 'alice', '-t', template]);

    // Assess
    expect(withPool.code, withPool.stderr).toBe(0);
    expect(withPool.stdout.trim().split('.')).toHaveLength(3);
    expect(without.code).toBe(1);
    expect(without.stdout).toBe('');
  });

  it('a malformed override is a usage error, not a stack trace', async () => {
    const run = await cli(['usage', '-t', template, '--parameter-overrides', 'WithPlan']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/parameter-overrides/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
