/**
 * The dev server's watcher (dev/watcher.ts) reports every save, also a second save of the same
 * file right after the first, which chokidar alone drops (it ignores a file's changes for 50 ms
 * after reporting one): a formatter rewriting what the editor just saved, a fix typed right after
 * a broken save.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { watchDeck } from '../scripts/dev/watcher.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-watcher-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('reports a save made right after the one it reported', async () => {
  const deck = path.join(dir, 'talk.md')
  writeFileSync(deck, 'first')
  const seen: string[] = []
  let resolveSecond: () => void = () => undefined
  const second = new Promise<void>((resolve) => (resolveSecond = resolve))
  const watcher = await watchDeck([dir], (files) => {
    expect(files).toEqual([deck])
    seen.push(readFileSync(deck, 'utf8'))
    // The next save at once, while chokidar still ignores the file.
    if (seen.length === 1) writeFileSync(deck, 'third')
    else resolveSecond()
  })
  try {
    writeFileSync(deck, 'second')
    await Promise.race([second, new Promise((_, reject) => setTimeout(() => reject(new Error(`the save right after was not reported; seen: ${JSON.stringify(seen)}`)), 5000))])
    expect(seen).toEqual(['second', 'third'])
  } finally {
    await watcher.close()
  }
})
