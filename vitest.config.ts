import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'contracts/**/*.contract.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The JSON report feeds .ci/run's plain "N passed, N failed" line (CI does not read vitest's summary).
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
