import { defineConfig } from 'vitest/config';

/**
 * The slow suites CI runs as steps of their own, outside `npm test`: the packed gateway installed into a
 * project outside the workspace (tests/package), and the docs page in a real browser (tests/browser).
 */
export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts', 'tests/browser/**/*.test.ts'],
    globalSetup: ['tests/support/build-gateway.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
