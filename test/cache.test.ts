import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CACHE_MAX_AGE_MS, pruneDaily, pruneEntries } from '../scripts/core/cache.ts'

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

  it('looks through a folder at most once a day (each look stats every entry)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-cache-'))
    dirs.push(dir)
    const now = Date.now()
    const old = (name: string) => {
      const file = path.join(dir, name)
      writeFileSync(file, '{}')
      const time = new Date(now - CACHE_MAX_AGE_MS - 60_000)
      utimesSync(file, time, time)
    }
    old('first.json')
    pruneDaily(dir, now)
    expect(readdirSync(dir)).toEqual(['.pruned'])
    old('second.json')
    pruneDaily(dir, now + 3600_000)
    expect(readdirSync(dir).sort(), 'an hour later: not looked through again').toEqual(['.pruned', 'second.json'])
    pruneDaily(dir, now + 25 * 3600_000)
    expect(readdirSync(dir), 'a day later: pruned').toEqual(['.pruned'])
  })

  it('accepts a folder that does not exist', () => {
    expect(() => pruneEntries(path.join(os.tmpdir(), 'deck-cache-missing-xyz'))).not.toThrow()
  })
})
