import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report lets .ci/run print a plain `N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: '.cache/vitest-results.json' }]],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // End-to-end tests start Chromium; two at a time is what a 2-core machine takes.
    maxWorkers: 2,
    minWorkers: 1,
  },
})
