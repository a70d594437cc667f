import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { VFile } from 'vfile'
import { afterEach, describe, expect, it } from 'vitest'
import { CACHE_MAX_AGE_MS, pruneDaily, pruneEntries } from '../scripts/core/cache.ts'
import { projectRoot } from '../scripts/core/paths.ts'
import { deckProcessor } from '../scripts/build/stages.ts'
import { parseRemembered } from '../scripts/reader/parse-cache.ts'

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

describe("the reader's tree remembered (reader/parse-cache.ts)", () => {
  const corpusDir = path.resolve(projectRoot, '..', 'shared', 'corpus', 'pandoc-beamer')
  const decks = [path.join(projectRoot, 'slides', 'asyncio.md'), ...readdirSync(corpusDir).filter((name) => name.endsWith('.md') && name !== 'README.md').map((name) => path.join(corpusDir, name))]

  it.each(decks.map((deck) => [path.basename(deck), deck]))('%s: the tree read back is the tree a parse gives', (_, deck) => {
    const value = readFileSync(deck, 'utf8').replace(/\r\n?/g, '\n')
    const fresh = deckProcessor().parse(new VFile({ path: deck, value }))
    const first = parseRemembered(deckProcessor(), new VFile({ path: deck, value }), undefined)
    // Read back: no parse (a processor whose parse throws), the same tree, prototypes included.
    // (The folder's entries are not counted: the other test workers' builds add theirs.)
    const noParse = { parse: () => expect.fail('parsed again') }
    const second = parseRemembered(noParse, new VFile({ path: deck, value }), undefined)
    expect(isDeepStrictEqual(first, fresh)).toBe(true)
    expect(isDeepStrictEqual(second, fresh)).toBe(true)
  })

  it('a changed text, or other settings, is parsed again', () => {
    const value = `---\ntitle: Remembered ${Date.now()}\n---\n\n## One\n\nText\n`
    const calls = { count: 0 }
    const counting = { parse: (file: VFile) => (calls.count++, deckProcessor().parse(file)) }
    parseRemembered(counting, new VFile({ path: 'a.md', value }), undefined)
    parseRemembered(counting, new VFile({ path: 'a.md', value }), undefined)
    expect(calls.count).toBe(1)
    const changed = parseRemembered(counting, new VFile({ path: 'a.md', value: value.replace('Text', 'Other text') }), undefined)
    expect(calls.count).toBe(2)
    expect(JSON.stringify(changed)).toContain('Other text')
    parseRemembered(counting, new VFile({ path: 'a.md', value }), { aspectratio: '43' })
    expect(calls.count).toBe(3)
  })
})
