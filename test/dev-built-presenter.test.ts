/**
 * Presenting from `dist/<deck>.html` without the dev server: Marp's own presenter view
 * (`?view=presenter`) shows the speaker notes rendered from their Markdown, in the pinned Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBrowser } from './helpers/browser.ts'
import { runCli } from './helpers/cli.ts'

let project: string
beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-presenter-'))
  mkdirSync(path.join(project, 'slides'))
  writeFileSync(
    path.join(project, 'slides', 'talk.md'),
    `---
title: Presenter
---

## First

Text.

::: notes
Say *this* with \`code\`,
then **that**.

- a point
:::

## Second

More.
`,
  )
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

describe('the built HTML presenter view', () => {
  it('shows the notes rendered from their Markdown', async () => {
    const result = await runCli(['build', 'slides/talk.md', '--html', '--out', 'dist'], { cwd: project })
    expect(result.status, result.stderr).toBe(0)
    const page = await (await testBrowser()).newPage()
    try {
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(`${pathToFileURL(path.join(project, 'dist', 'talk.html')).href}?view=presenter#2`, { waitUntil: 'load' })
      // The presenter view's note panel shows the current slide's note (the title slide is 1).
      const note = await page.waitForFunction(() => {
        const shown = document.querySelector('.bespoke-marp-presenter-note-wrapper .bespoke-marp-note.active')
        return shown && { html: shown.innerHTML, text: shown.textContent ?? '' }
      })
      const { html, text } = (await note.jsonValue()) as { html: string; text: string }
      expect(html).toContain('<em>this</em>')
      expect(html).toContain('<code>code</code>')
      expect(html).toContain('<strong>that</strong>')
      expect(html).toMatch(/<li>a point<\/li>/)
      expect(text).not.toMatch(/[`*]/)
    } finally {
      await page.close()
    }
  })
})
