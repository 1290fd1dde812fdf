import { defineConfig } from 'vitest/config';

/** The CDK and Terraform deployers' suites (synth, cdk-nag, Terraform parsing, parity across SAM, CDK and Terraform). */
export const DEPLOYER_SUITES = ['tests/infra/cdk/**', 'tests/infra/terraform/**', 'tests/infra/parity.test.ts'];

/** The built `sam-local-gateway` CLI run as child processes (one Node start per case, about 15 s in all). */
export const CLI_SUITES = ['tests/emulator/tools/cli/*.test.ts'];

/**
 * Under CI, a JSON report beside the console's, so .ci/run can add up every step's pass/fail counts: each step names
 * its own file (VITEST_JSON_REPORT), or a later step's report would replace an earlier one's.
 */
export function ciReporters(): ['default'] | ['default', ['json', { outputFile: string }]] {
  return process.env.CI ? ['default', ['json', { outputFile: process.env.VITEST_JSON_REPORT ?? '.ci/out/vitest.json' }]] : ['default'];
}

/**
 * The slow suites CI runs as steps of their own, outside `npm test` (which must stay within 5 minutes on a
 * 2-core machine): the packed gateway installed into a project outside the workspace (tests/package), the docs
 * page in a real browser (tests/browser), the CLI as child processes (`npm run test:cli`) and the deployers
 * (`npm run test:infra`).
 */
export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts', 'tests/browser/**/*.test.ts', ...CLI_SUITES, ...DEPLOYER_SUITES.map((glob) => (glob.endsWith('**') ? `${glob}/*.test.ts` : glob))],
    globalSetup: ['tests/support/build-gateway.ts', 'tests/support/temp-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ciReporters(),
  },
});
