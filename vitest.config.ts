import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The CLI runs as built JavaScript (emulator/dist), as `npm start` runs it.
    globalSetup: ['tests/support/build-gateway.ts'],
    // Suites start real servers (dynalite, the emulator): give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI also writes a JSON report so .ci/run can print the pass/fail counts.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/out/vitest.json' }]] : ['default'],
  },
});
