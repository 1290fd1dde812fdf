/** cdk-nag AwsSolutions on the CDK stack: clean, and each acknowledgement answers a real finding with a one-line reason. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { bundleFunctions, DEFAULT_BUNDLE_DIR } from '../../../infra/bundle.js';
import { buildApp, type BuildOptions } from '../../../infra/cdk/app.js';

interface Finding {
  rule: string;
  path: string;
}
interface Ack {
  rule: string;
  path: string;
  reason: string;
}

const outdir = (): string => mkdtempSync(join(tmpdir(), 'task-api-nag-'));
const build = (opts: Partial<BuildOptions>) => buildApp({ bundleDir: DEFAULT_BUNDLE_DIR, cfnValidation: false, outdir: outdir(), ...opts });

/** Synthesize with the pack and no acknowledgements: the synth fails, and its report lists every finding. */
function findingsOf(settings: Record<string, unknown>): Finding[] {
  const { app } = build({ settings, acknowledge: false });
  expect(() => app.synth()).toThrow(/AwsSolutions/);
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap((p) => p.violations.flatMap((v) => v.violatingConstructs.map((c) => ({ rule: v.ruleName, path: c.constructPath }))));
}

let acks: Ack[];
let findings: Finding[];
let wafFindings: Finding[];

beforeAll(async () => {
  await bundleFunctions(DEFAULT_BUNDLE_DIR);
  const { stack } = build({});
  acks = stack.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ rule: id.replace(/^Annotation::/, ''), path: c.node.path, reason }))),
  );
  findings = findingsOf({});
  wafFindings = findingsOf({ enableWaf: true });
}, 600_000);

const covers = (ack: { rule: string; path: string }, f: Finding): boolean => f.rule === ack.rule && (f.path === ack.path || f.path.startsWith(`${ack.path}/`));

describe('AwsSolutions checks', () => {
  it('the stack synthesizes with the pack: every finding is acknowledged', () => {
    const { app } = build({});
    expect(() => app.synth()).not.toThrow();
  });

  it('every finding is acknowledged on the construct it arises in (or an ancestor)', () => {
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => !acks.some((a) => covers(a, f)))).toEqual([]);
  });

  it('each acknowledgement answers a finding and gives its reason in one line', () => {
    for (const ack of acks) {
      expect(findings.some((f) => covers(ack, f)), `${ack.rule} on ${ack.path} answers no finding`).toBe(true);
      expect(ack.reason).toMatch(/^[^\n]{20,200}$/);
    }
  });

  it('APIG3 (stage without a web ACL) is acknowledged only while the WAF switch is off', () => {
    expect(findings.map((f) => f.rule)).toContain('AwsSolutions-APIG3');
    expect(wafFindings.map((f) => f.rule)).not.toContain('AwsSolutions-APIG3');
    expect(acks.filter((a) => a.rule === 'AwsSolutions-APIG3')).toHaveLength(1);
  });

  it('APIG1 and APIG6 hold without acknowledgement: access logs and execution logging for every method', () => {
    expect(findings.filter((f) => /APIG[16]/.test(f.rule))).toEqual([]);
  });

  it('a non-compliant resource added to the stack fails the synth (the pack is really applied)', () => {
    const { app, stack } = build({});
    new sqs.Queue(stack, 'Unchecked');
    expect(() => app.synth()).toThrow(/AwsSolutions/);
    const report = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions-SQS');
  });
});
