/**
 * Outputs that ran in a build that then failed (a slide that does not fit, another snippet's
 * error) are kept in the cache, not in snippets/: a failed build leaves the stored outputs as they
 * were. The next build takes such an output instead of running its snippet again, when its key
 * (the freshness key of a stored output: the code, what it imports and read, the interpreter,
 * the options) still matches; a build that succeeds stores it. Never under CI=true (frozen: the
 * stored outputs only) nor with --rerun.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import { cacheDir, cacheKey, pruneOnce, writeAtomic } from '../core/cache.ts'
import { formatStored, readStored, type StoredOutput } from './store.ts'

const entry = (storeFile: string) => path.join(cacheDir, 'pending-outputs', `${cacheKey(storeFile)}.out`)

/** Keeps an output that ran, for the store file it would go to. */
export function keepPending(storeFile: string, stored: StoredOutput): void {
  try {
    writeAtomic(entry(storeFile), formatStored(stored))
    pruneOnce('pending-outputs')
  } catch {
    // not kept: the next build runs the snippet
  }
}

/** The output kept for this store file, if any (its freshness is the caller's to check). */
export function readPending(storeFile: string): StoredOutput | undefined {
  return readStored(entry(storeFile))
}

/** Once stored (or outdated), the kept output goes. */
export function forgetPending(storeFile: string): void {
  rmSync(entry(storeFile), { force: true })
}
