/**
 * The project's cache folder (.cache/, never committed): one file per entry under a folder per
 * kind, written atomically (a temporary file renamed into place), so that a crash or a concurrent
 * build never leaves a half-written entry, and an unreadable entry is a miss. A key must hold
 * everything that changes the cached result.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from './paths.ts'

export const cacheDir = path.join(projectRoot, '.cache')

function entryFile(kind: string, key: string): string {
  return path.join(cacheDir, kind, `${key}.json`)
}

export function readCache<T>(kind: string, key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(entryFile(kind, key), 'utf8')) as T
  } catch {
    return undefined
  }
}

export function writeCache(kind: string, key: string, value: unknown): void {
  writeAtomic(entryFile(kind, key), JSON.stringify(value))
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
