import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CACHE_MAX_AGE_MS, pruneEntries } from '../scripts/core/cache.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('cache pruning', () => {
  it('drops entries unused for longer than the maximum age and keeps the others', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-cache-'))
    dirs.push(dir)
    const now = Date.now()
    const entry = (name: string, ageMs: number) => {
      const file = path.join(dir, name)
      writeFileSync(file, '{}')
      const time = new Date(now - ageMs)
      utimesSync(file, time, time)
    }
    entry('old.json', CACHE_MAX_AGE_MS + 60_000)
    entry('recent.json', CACHE_MAX_AGE_MS - 60_000)
    entry('new.json', 0)
    // a prepared theme is a folder of files
    const folder = path.join(dir, 'old-theme')
    mkdirSync(folder)
    writeFileSync(path.join(folder, 'frankfurt.css'), '')
    const old = new Date(now - CACHE_MAX_AGE_MS - 60_000)
    utimesSync(folder, old, old)
    pruneEntries(dir, now)
    expect(readdirSync(dir).sort()).toEqual(['new.json', 'recent.json'])
  })

  it('accepts a folder that does not exist', () => {
    expect(() => pruneEntries(path.join(os.tmpdir(), 'deck-cache-missing-xyz'))).not.toThrow()
  })
})
