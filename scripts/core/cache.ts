/**
 * The project's cache (.cache/, never committed), for every cache of the toolchain: fit verdicts,
 * highlighted code, up-to-date records, the interpreter, the theme with its fonts (the toolchain
 * bundle of scripts/launch.mjs lives beside them, written the same way). One file per entry under
 * a folder per kind, written atomically (a temporary file renamed into place), so that a crash or
 * a concurrent build never leaves half an entry, and an unreadable entry is a miss. A key holds
 * everything that changes the cached result; toolchainFingerprint() stands for the toolchain's
 * own code, theme and locked dependencies, codeFingerprint() for its code and dependencies alone.
 * Entries not used for 30 days are dropped when their kind is next written (a hit renews an
 * entry), so that old toolchains' and decks' entries do not pile up.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from './paths.ts'

export const cacheDir = path.join(projectRoot, '.cache')

function entryFile(kind: string, key: string): string {
  return path.join(cacheDir, kind, `${key}.json`)
}

export const CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000

export function readCache<T>(kind: string, key: string): T | undefined {
  const file = entryFile(kind, key)
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as T
    renewEntry(file)
    return value
  } catch {
    return undefined
  }
}

export function writeCache(kind: string, key: string, value: unknown): void {
  writeAtomic(entryFile(kind, key), JSON.stringify(value))
  pruneOnce(kind)
}

/** Marks an entry (file or folder) used now: pruning keeps it. */
export function renewEntry(file: string): void {
  try {
    const now = new Date()
    utimesSync(file, now, now)
  } catch {
    // a read-only cache still serves
  }
}

const pruned = new Set<string>()
/** How often a kind's entries are looked through: a stat of each (4000 of them took 60 ms). */
const PRUNE_EVERY_MS = 24 * 3600 * 1000

/**
 * Drops the kind's entries (files or folders) unused for CACHE_MAX_AGE_MS: once per process, and
 * at most once a day (a stamp in the kind's folder says when it was last done).
 */
export function pruneOnce(kind: string, now = Date.now()): void {
  if (pruned.has(kind)) return
  pruned.add(kind)
  pruneDaily(path.join(cacheDir, kind), now)
}

/** pruneEntries() unless it ran on `dir` less than a day before `now`. */
export function pruneDaily(dir: string, now = Date.now()): void {
  const stamp = path.join(dir, PRUNE_STAMP)
  try {
    if (now - statSync(stamp).mtimeMs < PRUNE_EVERY_MS) return
  } catch {
    // never pruned
  }
  pruneEntries(dir, now)
  try {
    writeFileSync(stamp, '')
    const time = new Date(now)
    utimesSync(stamp, time, time)
  } catch {
    // a read-only cache, or the folder went
  }
}

const PRUNE_STAMP = '.pruned'

export function pruneEntries(dir: string, now = Date.now()): void {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const file = path.join(dir, name)
    try {
      if (now - statSync(file).mtimeMs > CACHE_MAX_AGE_MS) rmSync(file, { recursive: true, force: true })
    } catch {
      // removed by a concurrent build
    }
  }
}

/** Writes `file` whole or not at all. */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    writeFileSync(tmp, content)
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}

/** A short key from the given parts (strings or bytes). */
export function cacheKey(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex').slice(0, 32)
}

export function hashFile(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return undefined
  }
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(file, pattern)
    return pattern.test(entry.name) ? [file] : []
  })
}

let codeHash: string | undefined
/**
 * The toolchain's own code and locked dependencies: part of every key they could change. Read
 * once per process (the code that runs is the code loaded).
 */
export function codeFingerprint(): string {
  codeHash ??= filesHash([...filesUnder(path.join(projectRoot, 'scripts'), /\.(ts|mjs|cjs|py)$/), path.join(projectRoot, 'package-lock.json')])
  return codeHash
}

/**
 * The toolchain's code, locked dependencies and theme, for what depends on all three (a deck's
 * build). The theme is read at each call: a process that watches (`--watch`, the dev server)
 * sees it edited.
 */
export function toolchainFingerprint(): string {
  return createHash('sha256').update(codeFingerprint()).update(filesHash(filesUnder(path.join(projectRoot, 'theme'), /\.css$/))).digest('hex')
}

function filesHash(files: string[]): string {
  const hash = createHash('sha256')
  for (const file of files.sort()) hash.update(path.relative(projectRoot, file)).update(hashFile(file) ?? '')
  return hash.digest('hex')
}
