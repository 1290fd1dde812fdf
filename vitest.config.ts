import { configDefaults, defineConfig } from 'vitest/config';
import { ciReporters, CLI_SUITES, DEPLOYER_SUITES } from './vitest.slow.config.js';

export default defineConfig({
  test: {
    // The CLI runs as built JavaScript (emulator/dist), as `npm start` runs it.
    globalSetup: ['tests/support/build-gateway.ts', 'tests/support/temp-root.ts'],
    // Suites start real servers (dynalite, the emulator): give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three forks on the 2-core machine: the suites wait on child processes and servers much of the time (two forks
    // kept the CPU about 60% busy). Measured here: 261 s with two, 207 s and 178 s with three, every test passing.
    maxWorkers: 3,
    // CI also writes a JSON report so .ci/run can print the pass/fail counts (one file per CI step: see .ci/run).
    reporters: ciReporters(),
    projects: [
      // Everything; the HTTP contract suite here runs against the REST API (template.yaml's default).
      // The slower suites have their own scripts and CI steps (vitest.slow.config.ts): npm run test:package,
      // test:browser, test:infra (the CDK and Terraform deployers: aws-cdk-lib alone takes seconds to load per file),
      // and the same HTTP contract suite against the HTTP API variant, npm run test:contract:http (it kept npm test
      // just under issue 14's 5 minutes), and the CLI as child processes, npm run test:cli (npm test neared 5 minutes
      // again at 285 s).
      { extends: true, test: { name: 'default', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, 'tests/package/**', 'tests/browser/**', ...CLI_SUITES, ...DEPLOYER_SUITES] } },
    ],
  },
});
