/**
 * `invoke` names the invoked function's settings that a local run lacks, as start-api's report does: sam init's
 * hello-durable templates are run with `sam local invoke`, and their DurableConfig made the function fail unexplained.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invokeFunction } from '../../../emulator/invoke.js';

const dir = mkdtempSync(join(tmpdir(), 'invoke-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'src'));
writeFileSync(join(dir, 'src', 'app.mjs'), 'export const handler = async () => ({ ok: true });\n');
writeFileSync(
  join(dir, 'template.yaml'),
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Durable:',
    '    Type: AWS::Serverless::Function',
    '    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, DurableConfig: { ExecutionTimeout: 900 } }',
    '  InVpc:',
    '    Type: AWS::Serverless::Function',
    "    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] } }",
    '',
  ].join('\n'),
);

describe('invoke: the invoked function`s settings not applied locally', () => {
  it.each([
    { fn: 'Durable', want: /^NOT APPLIED {2}Resources\.Durable\.Properties\.DurableConfig: durable execution is not emulated/, other: 'InVpc' },
    { fn: 'InVpc', want: /^NOT APPLIED {2}Resources\.InVpc\.Properties\.VpcConfig: /, other: 'Durable' },
  ])('$fn: its own setting is said on the log, the other function`s is not', async ({ fn, want, other }) => {
    // Act
    const logged: string[] = [];
    const outcome = await invokeFunction({ templatePath: join(dir, 'template.yaml'), functionLogicalId: fn, event: {}, localDir: join(dir, `local-${fn}`), log: (line) => logged.push(line) });

    // Assess
    expect(outcome).toMatchObject({ kind: 'ok', payload: { ok: true } });
    expect(logged.filter((line) => line.startsWith('NOT APPLIED'))).toEqual([expect.stringMatching(want)]);
    expect(logged.join('\n')).not.toContain(`Resources.${other}.`);
  });
});
