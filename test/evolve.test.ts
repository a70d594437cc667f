/**
 * Code that evolves on stage (marp/build-evolve.ts): a block that lists versions gives a PDF page
 * per version with its code and its real output; the HTML steps through them in the pinned
 * Chromium, morphing the code; an edit of one version makes its stored output stale (CI refuses,
 * a build re-runs it alone); a version that does not fit is named with its step; bad lists are
 * positioned errors; the dev server shows an edited version on its step.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Frame, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { testBrowser } from './helpers/browser.ts'
import { projectRoot } from '../scripts/core/paths.ts'
import { runCli } from './helpers/cli.ts'
import { readPdf } from './helpers/pdf.ts'
import { startDev, waitFor } from './helpers/dev-server.ts'

// Line 7: the code block; line 10: the output block; line 15: the block of regions.
const DECK = `---
title: Evolve
---

## A program grows

\`\`\`{.python file="evolve/v1.py|evolve/v2.py|evolve/v3.py"}
\`\`\`

\`\`\`{.output run="evolve/v1.py|evolve/v2.py|evolve/v3.py"}
\`\`\`

## Regions

\`\`\`{.python file="evolve/app.py" region="start|grown" highlight="1|2"}
\`\`\`
`

const VERSIONS = {
  'v1.py': 'def greet():\n    print("version", 1)\n\n\ngreet()\n',
  'v2.py': 'def greet(name):\n    print("version", 2, name)\n\n\ngreet("alpha")\n',
  'v3.py': 'def greet(name, times):\n    for _ in range(times):\n        print("version", 3, name)\n\n\ngreet("beta", 2)\n',
  'app.py': '# region start\ntotal = 1\n# endregion\n# region grown\ntotal = 1\ntotal += 41\n# endregion\nprint(total)\n',
  'long.py': Array.from({ length: 40 }, (_, i) => `print("line", ${i})`).join('\n') + '\n',
}

let project: string
const file = (...parts: string[]) => path.join(project, ...parts)
const deck = (name = 'talk.md') => file('slides', name)
const build = (args: string[], env: NodeJS.ProcessEnv = { CI: '' }) => runCli(['build', ...args, '--out', file('dist'), '--force'], { cwd: project, env })
/** A page's text without white space (pdf.js splits the code's tokens into items). */
const squeezed = (page: { items: Array<{ text: string }> }) => page.items.map((item) => item.text).join('').replace(/\s+/g, '')

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-evolve-'))
  mkdirSync(file('slides'))
  mkdirSync(file('snippets', 'evolve'), { recursive: true })
  writeFileSync(deck(), DECK)
  for (const [name, source] of Object.entries(VERSIONS)) writeFileSync(file('snippets', 'evolve', name), source)
  const result = await build([deck()])
  expect(result.status, result.stderr).toBe(0)
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

/** Puts v2.py back as the deck was built, its stored output and dist/ with it: what a test edits it undoes. */
async function restoreVersions(): Promise<void> {
  writeFileSync(file('snippets', 'evolve', 'v2.py'), VERSIONS['v2.py'])
  const result = await build([deck()])
  expect(result.status, result.stderr).toBe(0)
}

describe('a block that lists versions', () => {
  it('gives a PDF page per version, each with its code and its real output', async () => {
    const { pages } = await readPdf(file('dist', 'talk.pdf'))
    expect(pages).toHaveLength(6)
    const [, first, second, third, start, grown] = pages.map(squeezed)
    expect(first).toContain('print("version",1)')
    expect(first).toContain('version1')
    expect(first).not.toContain('version2')
    expect(second).toContain('defgreet(name):')
    expect(second).toContain('print("version",2,name)')
    expect(second).toContain('version2alpha')
    expect(second).not.toContain('version1')
    expect(third).toContain('for_inrange(times):')
    expect(third).toContain('version3betaversion3beta')
    expect(third).not.toContain('version2')
    expect(start).toContain('total=1')
    expect(start).not.toContain('total+=41')
    expect(grown).toContain('total+=41')
    // the stored outputs are the runs' own
    expect(readdirSync(file('snippets', 'evolve', '.outputs')).sort()).toEqual(['v1.py.out', 'v2.py.out', 'v3.py.out'])
  })

  it('keeps only the last version in a handout', async () => {
    writeFileSync(deck('handout.md'), DECK.replace('title: Evolve', 'title: Evolve\nhandout: true'))
    const result = await build([deck('handout.md')])
    expect(result.status, result.stderr).toBe(0)
    const { pages } = await readPdf(file('dist', 'handout.pdf'))
    expect(pages.map(squeezed).slice(1)).toEqual([expect.stringContaining('version3beta'), expect.stringContaining('total+=41')])
    expect(squeezed(pages[1]!)).not.toContain('version2')
  })

  it('steps through the versions in the HTML, one key press each, morphing the code', async () => {
    const page = await (await testBrowser()).newPage()
    try {
      await page.evaluateOnNewDocument('globalThis.__name = globalThis.__name || ((target) => target)')
      // Records the tokens shiki-magic-move lays out while it morphs.
      await page.evaluateOnNewDocument(`
        window.morphed = []
        new MutationObserver((records) => {
          for (const record of records) for (const node of record.addedNodes)
            if (node.nodeType === 1 && node.classList.contains('shiki-magic-move-item')) window.morphed.push(node.textContent)
        }).observe(document, { childList: true, subtree: true })`)
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(`${pathToFileURL(file('dist', 'talk.html')).href}#2`, { waitUntil: 'load' })
      expect(await shown(page)).toEqual(['defgreet():print("version",1)greet()', 'version1'])
      await page.keyboard.press('ArrowRight')
      expect(await shown(page)).toEqual(['defgreet(name):print("version",2,name)greet("alpha")', 'version2alpha'])
      const morphed = await page.evaluate(() => (window as unknown as { morphed: string[] }).morphed)
      // the old version's tokens were laid out, then the new one's came in
      expect(morphed).toContain('def')
      expect(morphed).toContain('"alpha"')
      await page.keyboard.press('ArrowRight')
      expect(await shown(page)).toEqual(['defgreet(name,times):for_inrange(times):print("version",3,name)greet("beta",2)', 'version3betaversion3beta'])
      await page.keyboard.press('ArrowLeft')
      expect(await shown(page)).toEqual(['defgreet(name):print("version",2,name)greet("alpha")', 'version2alpha'])
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('ArrowRight')
      // past the last version: the next slide, its first region with its highlighted line
      expect(await shown(page)).toEqual(['total=1'])
      await page.keyboard.press('ArrowRight')
      expect(await shown(page)).toEqual(['total=1total+=41'])
      expect(await page.evaluate(() => document.querySelector('.bespoke-marp-active .evolve-version.ev-2 .line.hl')?.textContent)).toBe('total += 41')
    } finally {
      await page.close()
    }
  })

  it('steps through the versions from the presenter view, whose preview shows the next one', async () => {
    const page = await (await testBrowser()).newPage()
    try {
      await page.evaluateOnNewDocument('globalThis.__name = globalThis.__name || ((target) => target)')
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(`${pathToFileURL(file('dist', 'talk.html')).href}?view=presenter#2`, { waitUntil: 'load' })
      expect((await shown(page))[1]).toBe('version1')
      await page.click('.bespoke-marp-presenter-info-page-next')
      expect((await shown(page))[1]).toBe('version2alpha')
      const preview = await waitFor('the next-step preview', () => page.frames().find((frame) => frame.url().includes('view=next')))
      await waitFor('the preview at the third version', async () => (await shown(preview))[1] === 'version3betaversion3beta')
    } finally {
      await page.close()
    }
  })

  it('makes an edited version\'s stored output stale: CI refuses it, a build re-runs that version alone', async () => {
    writeFileSync(file('snippets', 'evolve', 'v2.py'), VERSIONS['v2.py'].replace('"alpha"', '"gamma"'))
    onTestFinished(restoreVersions)
    const ci = await build([deck()], { CI: 'true' })
    expect(ci.status).toBe(1)
    expect(ci.stderr).toMatch(/talk\.md:10:1 error The stored output of `snippets\/evolve\/v2\.py` is stale/)
    expect(ci.stderr).not.toContain('snippets/evolve/v1.py` is stale')
    const rebuilt = await build([deck()])
    expect(rebuilt.status, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toContain('ran snippets/evolve/v2.py')
    expect(rebuilt.stderr).not.toContain('ran snippets/evolve/v1.py')
    expect(rebuilt.stderr).not.toContain('ran snippets/evolve/v3.py')
    const { pages } = await readPdf(file('dist', 'talk.pdf'))
    expect(squeezed(pages[2]!)).toContain('version2gamma')
    expect(readFileSync(file('snippets', 'evolve', '.outputs', 'v2.py.out'), 'utf8')).toContain('version 2 gamma')
    expect((await build([deck()], { CI: 'true' })).status).toBe(0)
  })

  it('verifies every version\'s stored output: one edited by hand is drift', async () => {
    const stored = file('snippets', 'evolve', '.outputs', 'v3.py.out')
    const recorded = readFileSync(stored, 'utf8')
    writeFileSync(stored, recorded.replace('version 3 beta', 'version 3 typo'))
    try {
      const verify = await runCli(['verify', deck()], { cwd: project })
      expect(verify.status).toBe(1)
      expect(verify.stdout).toContain('+++ snippets/evolve/v3.py (now)')
      expect(verify.stdout).toContain('-version 3 typo')
      expect(verify.stderr).toContain('3 outputs checked: 1 drifted')
    } finally {
      writeFileSync(stored, recorded)
    }
  })

  it('names a version that does not fit with its step, in the PDF and in the HTML', async () => {
    writeFileSync(deck('long.md'), '---\ntitle: Long\n---\n\n## Too long\n\n```{.python file="evolve/v1.py|evolve/long.py|evolve/v3.py"}\n```\n')
    for (const formats of [[], ['--html']]) {
      const result = await build([deck('long.md'), ...formats])
      expect(result.status).toBe(1)
      const errors = result.stderr.split('\n').filter((line) => line.includes('(overflow)'))
      expect(errors).toContainEqual(expect.stringMatching(/^slides\/long\.md:7:1 error Slide 2 "Too long" does not fit: code block "print\("line", 0\) .*" \(step 2 of 3: evolve\/long\.py\) goes below the slide/))
      expect(errors.join('\n')).not.toContain('step 1 of 3')
    }
  })
})

describe('bad lists of versions are errors at the block', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown version file', DECK.replace('evolve/v2.py|evolve/v3.py"}', 'evolve/v2.py|evolve/v4.py"}'), /^slides\/bad\.md:7:1 error Cannot find snippet `evolve\/v4\.py` in `snippets`; `evolve` has /m],
    ['an unknown version to run', DECK.replace('run="evolve/v1.py|evolve/v2.py|evolve/v3.py"', 'run="evolve/v1.py|evolve/v2.py|evolve/v9.py"'), /^slides\/bad\.md:10:1 error Cannot find snippet `evolve\/v9\.py`/m],
    ['code and output with different counts', DECK.replace('run="evolve/v1.py|evolve/v2.py|evolve/v3.py"', 'run="evolve/v1.py|evolve/v2.py"'), /^slides\/bad\.md:10:1 error This block has 2 versions and the one before it on the slide \(line 7\) has 3: a slide's versioned blocks step together/m],
    ['files and regions with different counts', DECK.replace('file="evolve/app.py" region="start|grown"', 'file="evolve/app.py|evolve/v1.py|evolve/v2.py" region="start|grown"'), /^slides\/bad\.md:15:1 error `file` lists 3 versions and `region` 2/m],
    ['highlight groups that are not one per version', DECK.replace('highlight="1|2"', 'highlight="1|2|1"'), /^slides\/bad\.md:15:1 error `highlight` on a block of 2 versions takes one group of lines per version/m],
    ['an empty version', DECK.replace('evolve/v1.py|evolve/v2.py|evolve/v3.py"}', 'evolve/v1.py||evolve/v3.py"}'), /^slides\/bad\.md:7:1 error Expected versions with `\|` between them, not `evolve\/v1\.py\|\|evolve\/v3\.py`/m],
  ]
  for (const [what, source, message] of cases) {
    it(what, async () => {
      writeFileSync(deck('bad.md'), source)
      const result = await build([deck('bad.md'), '--html'])
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(message)
    })
  }
})

describe('the dev server', () => {
  it('re-runs an edited version and shows it on its step', async () => {
    mkdirSync(file('theme'), { recursive: true })
    for (const name of readdirSync(path.join(projectRoot, 'theme'))) copyFileSync(path.join(projectRoot, 'theme', name), file('theme', name))
    const [dev, page] = await Promise.all([startDev(deck(), project), testBrowser().then((browser) => browser.newPage())])
    try {
      await page.evaluateOnNewDocument('globalThis.__name = globalThis.__name || ((target) => target)')
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(`${dev.url}#2`, { waitUntil: 'load' })
      await waitFor('the first version', async () => (await shown(page))[1] === 'version1')
      await page.keyboard.press('ArrowRight')
      await waitFor('the second version', async () => (await shown(page))[1] === 'version2alpha')
      writeFileSync(file('snippets', 'evolve', 'v2.py'), VERSIONS['v2.py'].replace('"alpha"', '"delta"'))
      onTestFinished(restoreVersions)
      const after = await waitFor('the edited second version', async () => {
        const versions = await shown(page)
        return versions[1] === 'version2delta' && versions
      })
      expect(after).toEqual(['defgreet(name):print("version",2,name)greet("delta")', 'version2delta'])
      expect(dev.output()).toContain('ran snippets/evolve/v2.py')
    } finally {
      await page.close()
      if (dev.child.exitCode === null) dev.child.kill('SIGKILL')
    }
  })
})

/**
 * The versions the active slide shows, once any morph is over: each visible version's code (or
 * output) without white space, code first.
 */
async function shown(page: Page | Frame): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('.bespoke-marp-active [data-morphing]'))
  return page.evaluate(() =>
    [...document.querySelectorAll('.bespoke-marp-active .evolve-version')]
      .filter((element) => getComputedStyle(element).visibility === 'visible')
      .map((element) => (element.querySelector('code')?.textContent ?? '').replace(/\s+/g, '')),
  )
}
