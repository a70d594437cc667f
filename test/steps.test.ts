/** Pauses and incremental lists step through in the HTML (Marp's bespoke fragments). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBrowser } from './helpers/browser.ts'
import { runCli } from './helpers/cli.ts'

let dir: string
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'deck-steps-'))
  writeFileSync(
    path.join(dir, 'talk.md'),
    '## Steps\n\nFirst.\n\n. . .\n\nSecond.\n\n::: incremental\n- a\n- b\n:::\n',
  )
  const result = await runCli(['build', 'talk.md', '--html', '--out', 'dist'], { cwd: dir })
  expect(result.status, result.stderr).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('steps in the HTML', () => {
  it('hide what follows a pause, then the list items, one key press at a time', async () => {
    const page = await (await testBrowser()).newPage()
    try {
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(pathToFileURL(path.join(dir, 'dist', 'talk.html')).href, { waitUntil: 'load' })
      const visible = () =>
        page.evaluate(() =>
          ['Second.', 'a', 'b'].map((text) => {
            const element = [...document.querySelectorAll('section p, section li')].find((e) => e.textContent?.trim() === text)
            return element ? getComputedStyle(element).visibility === 'visible' : false
          }),
        )
      expect(await visible()).toEqual([false, false, false])
      await page.keyboard.press('ArrowRight')
      expect(await visible()).toEqual([true, false, false])
      await page.keyboard.press('ArrowRight')
      expect(await visible()).toEqual([true, true, false])
      await page.keyboard.press('ArrowRight')
      expect(await visible()).toEqual([true, true, true])
    } finally {
      await page.close()
    }
  })
})
