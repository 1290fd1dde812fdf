/**
 * I9.5 redeployment of the CDK stack: the Deployment's logical id hashes the resolved RestApi, so a changed
 * contract (read fresh from openapi/api.yaml at synth) makes a new Deployment, and the stage moves to it.
 * The contract is changed in memory only: readContract is wrapped to apply an edit, the file is never written.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Json } from '../../../infra/contract.js';
import { resourcesOf, type CfnResource } from '../support/cfn.js';
import { synthesize, type SynthesizedStack } from '../support/cdk.js';

type Doc = { [key: string]: Json };
const contractEdit = vi.hoisted(() => ({ apply: undefined as ((doc: Doc) => void) | undefined }));

vi.mock('../../../infra/contract.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../infra/contract.js')>();
  return {
    ...actual,
    readContract: (path?: string): Doc => {
      const doc = actual.readContract(path);
      contractEdit.apply?.(doc);
      return doc;
    },
  };
});

/** Synthesize with these settings, the contract read with `edit` applied (none: as on disk). */
async function synthesizeWith(settings: Record<string, unknown>, edit?: (doc: Doc) => void): Promise<SynthesizedStack> {
  contractEdit.apply = edit;
  try {
    return await synthesize(settings);
  } finally {
    contractEdit.apply = undefined;
  }
}

/** The logical id of the one Deployment, and the one the stage points at. */
function deploymentOf(s: SynthesizedStack): { deployment: string; stageDeployment: Json | undefined; deletionPolicy: string | undefined } {
  const deployments = resourcesOf(s.json, 'AWS::ApiGateway::Deployment');
  const stages = resourcesOf(s.json, 'AWS::ApiGateway::Stage');
  expect(deployments).toHaveLength(1);
  expect(stages).toHaveLength(1);
  const [id, deployment] = deployments[0] as [string, CfnResource];
  const [, stage] = stages[0] as [string, CfnResource];
  return { deployment: id, stageDeployment: stage.Properties?.DeploymentId, deletionPolicy: deployment.DeletionPolicy };
}

const changedVersion = (doc: Doc): void => {
  (doc.info as Doc).version = '0.0.0-changed';
};
const changedDescription = (doc: Doc): void => {
  const listTasks = (doc.paths as Doc)['/tasks'] as { get: Doc };
  listTasks.get.summary = `${String(listTasks.get.summary)} (changed)`;
};

let reference: SynthesizedStack;
beforeAll(async () => {
  // Prepare: the stack from the contract as it is, with the default settings.
  reference = await synthesizeWith({});
}, 600_000);

describe('I9.5 a changed contract makes a new Deployment; an unchanged one keeps it', () => {
  it.each<[string, Record<string, unknown>, ((doc: Doc) => void) | undefined, boolean]>([
    ['the same contract and settings again', {}, undefined, false],
    ['enableWaf=true (a web ACL on the stage, the Body unchanged)', { enableWaf: 'true' }, undefined, false],
    ['a changed info.version of the contract', {}, changedVersion, true],
    ['a changed operation summary of the contract', {}, changedDescription, true],
    ['a changed allowedOrigin (the CORS header mappings in the Body)', { allowedOrigin: 'https://app.example.com' }, undefined, true],
  ])('%s: new deployment %s', async (_, settings, edit, redeployed) => {
    // Act
    const other = deploymentOf(await synthesizeWith(settings, edit));
    // Assess
    const before = deploymentOf(reference);
    expect(other.deployment !== before.deployment).toBe(redeployed);
    expect(other.stageDeployment).toEqual({ Ref: other.deployment });
    expect(before.stageDeployment).toEqual({ Ref: before.deployment });
  }, 120_000);

  it('the deployment id is TaskApi/Deployment plus a hash, and old deployments are not retained (no retainDeployments)', () => {
    // Act
    const { deployment, deletionPolicy } = deploymentOf(reference);
    // Assess
    expect(deployment).toMatch(/^TaskApiDeployment[0-9A-F]{8}[0-9a-f]{32}$/);
    expect(deletionPolicy).toBeUndefined();
  });
});
