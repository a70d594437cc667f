/** Two decks named alike in different folders, built together: they would write the same dist/ files. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './helpers/cli.ts'

let project: string
beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-same-name-'))
  for (const folder of ['one', 'two']) {
    mkdirSync(path.join(project, folder, 'slides'), { recursive: true })
    writeFileSync(path.join(project, folder, 'slides', 'lazy.md'), `---\ntitle: ${folder}\n---\n\n## A slide\n\nText of ${folder}.\n`)
  }
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

describe('decks that would write the same files', () => {
  it('is an error naming both, before anything is built', async () => {
    const result = await runCli(['build', 'one/slides/lazy.md', 'two/slides/lazy.md', '--out', 'out'], { cwd: project })
    expect(result.status).toBe(2)
    expect(result.stderr.trim()).toBe(
      `deck: ${path.join('one', 'slides', 'lazy.md')} and ${path.join('two', 'slides', 'lazy.md')} would both write ${path.join('out', 'lazy')}.pdf and ${path.join('out', 'lazy')}.html: rename one, or build them one at a time with different --out folders`,
    )
    expect(existsSync(path.join(project, 'out'))).toBe(false)
  })

  it('builds them one at a time into different folders', async () => {
    for (const folder of ['one', 'two']) {
      const result = await runCli(['build', `${folder}/slides/lazy.md`, '--html', '--out', `dist-${folder}`], { cwd: project })
      expect(result.status, result.stderr).toBe(0)
      expect(existsSync(path.join(project, `dist-${folder}`, 'lazy.html'))).toBe(true)
    }
  })
})
