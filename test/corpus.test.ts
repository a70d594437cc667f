/**
 * Every public pandoc-beamer deck of the corpus goes through the whole pipeline to HTML without
 * a crash. What is not supported is a message with a position; the only errors allowed are
 * images the corpus leaves out on purpose (listed in its README).
 */
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, shared } from './helpers/cli.ts'

const corpusDir = shared('corpus', 'pandoc-beamer')
const decks = readdirSync(corpusDir).filter((name) => name.endsWith('.md') && name !== 'README.md').sort()
let outDir: string
let stderr: string

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'deck-corpus-'))
  const result = await runCli(['build', '--html', '--out', outDir, ...decks.map((name) => path.join(corpusDir, name))])
  stderr = result.stderr
  expect(result.status === 0 || result.status === 1).toBe(true)
})
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('corpus decks', () => {
  it('never crash (no stack trace)', async () => {
    expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
  })

  it.each(decks)('%s: builds, or fails only on a missing image, with positions', async (name) => {
    const lines = stderr.split('\n').filter((line) => line.includes(`${name}:`) || line.startsWith(`${path.relative(process.cwd(), path.join(corpusDir, name))} `))
    const messages = lines.filter((line) => / (error|warning|info) /.test(line))
    for (const message of messages) expect(message, 'every message has a position').toMatch(new RegExp(`${name.replace(/\./g, '\\.')}:\\d+:\\d+ `))
    const errors = messages.filter((line) => / error /.test(line))
    for (const error of errors) expect(error).toMatch(/\(missing-image\)$/)
    const html = path.join(outDir, name.replace(/\.md$/, '.html'))
    expect(existsSync(html)).toBe(errors.length === 0)
  })
})
