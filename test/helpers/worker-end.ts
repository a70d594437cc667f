/**
 * vitest runs all the test files of a worker in one process (`isolate: false`, vitest.config.ts),
 * so a browser a helper starts serves every file of its worker, and ends with the worker. tinypool
 * stops a worker with SIGTERM, whose default would kill the worker alone: Chromium would quit when
 * its pipe closes, but leave its profile in the temporary folder.
 */
const cleanups: Array<() => Promise<void>> = []

/** Runs `cleanup` when the worker is stopped, then lets it go. */
export function atWorkerEnd(cleanup: () => Promise<void>): void {
  if (cleanups.length === 0) {
    process.once('SIGTERM', () => {
      void Promise.allSettled(cleanups.map((run) => run())).finally(() => process.exit(143))
    })
  }
  cleanups.push(cleanup)
}
