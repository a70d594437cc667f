import { defineConfig } from 'vitest/config'

/**
 * Two tiers. `unit`: in process, no browser and no build in a child process (the reader, the
 * writer, the stages up to parsing, the message printer, contracts that need no browser): fast,
 * run on every change (`npm run test:unit`). `e2e`: the CLI as a user runs it, Chromium, the dev
 * server (`npm run test:e2e`). `npm test` runs both. A new test file goes into `e2e` unless it is
 * listed here.
 */
const UNIT = [
  'asyncio-deck',
  'attributes',
  'cache',
  'conformance',
  'contracts',
  'corpus-blocks',
  'messages',
  'dev-parts',
  'dev-watcher',
  'fenced-divs',
  'headline',
  'layers',
  'snippet-runner',
  'snippet-text',
  'transforms',
].map((name) => `test/${name}.test.ts`)

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain `N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: '.cache/vitest-results.json' }]],
    // Three files at a time on a 2-core machine: most end-to-end files wait (snippets, child
    // processes, the dev server) more than they compute, so a third overlaps a waiting one
    // (measured at load ~5: 154 -> 128-131 s; with two busy loops 159 and 189 s, against 185 s
    // reported with two).
    maxWorkers: 3,
    // A worker runs its files one after another in one process: Node, the bundle, marp and
    // puppeteer load once per worker, not once per file, and the worker's builds share one browser
    // (helpers/cli.ts, helpers/browser.ts; ended by helpers/worker-end.ts): Chromium starts 15
    // times instead of 30 to 50, and the suite takes 84-94 s instead of ~140 s on a quiet machine.
    // What a test changes of the process (the working folder, the environment) it restores
    // (helpers/cli.ts runCli).
    isolate: false,
    // As many kept as started: a worker that tinypool ends as idle while others run makes vitest
    // report "Terminating worker thread" and stop the run (vitest 3.2, tinypool 1.1, isolate: false).
    minWorkers: 3,
    // The unit tier's pool: one thread beside the three end-to-end workers (more only slow their
    // start on two cores); `npm run test:unit` alone takes three (package.json), its minimum
    // equal to its maximum for the reason given at minWorkers.
    poolOptions: { threads: { maxThreads: 1, minThreads: 1 } },
    projects: [
      // Worker threads, a pool of their own: vitest runs a pool's projects one after another
      // when files share workers, and pools side by side, so the unit tier runs beside the
      // end-to-end one instead of after it (none of its tests changes the working folder).
      { extends: true, test: { name: 'unit', include: UNIT, testTimeout: 60_000, pool: 'threads' } },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: UNIT, testTimeout: 120_000, hookTimeout: 300_000 },
      },
    ],
  },
})
