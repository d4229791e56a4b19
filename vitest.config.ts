import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'contracts/**/*.contract.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Builds dist/ when stale: the CLI, signal and consumer tests run the compiled package.
    globalSetup: ['test/support/build.ts'],
    pool: 'forks',
    // Nothing here keeps module-level state (stores are created per app), so test files need not pay
    // for a fresh process each (about 2 s apiece); two workers use both cores.
    isolate: false,
    maxWorkers: 2,
    // The JSON report feeds .ci/run's plain "N passed, N failed" line (CI does not read vitest's summary).
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
