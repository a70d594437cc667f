/**
 * Fixture tests of the Markdown front end: test/fixtures/<case>/input.md gives output.md (the
 * Marp Markdown) and messages.txt (warnings with positions). `UPDATE=1` rewrites the expected files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runFrontEnd } from './helpers/fixtures.ts'

const root = path.join(import.meta.dirname, 'fixtures')
const cases = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'input.md')))

describe('front end fixtures', () => {
  it.each(cases)('%s', async (name) => {
    const dir = path.join(root, name)
    const result = await runFrontEnd(path.join(dir, 'input.md'))
    const expected = { 'output.md': result.markdown ?? '', 'messages.txt': result.messages ? `${result.messages}\n` : '' }
    for (const [file, actual] of Object.entries(expected)) {
      const target = path.join(dir, file)
      if (process.env.UPDATE) writeFileSync(target, actual)
      const wanted = existsSync(target) ? readFileSync(target, 'utf8') : ''
      expect(actual, `${name}/${file}`).toBe(wanted)
    }
  })
})
