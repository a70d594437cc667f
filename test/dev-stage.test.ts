/**
 * `npm run dev` on stage, in the pinned Chromium: the audience page shows slides only (no error,
 * no run control, no run status), the presenter view has them; a run whose output holds `"` can
 * be started; a live run that ends otherwise than the stored output shows a diff to the presenter
 * and `u` puts the stored output back on every page; the countdown from `talk-length`; black and
 * white screen; the phone layout; the link to Marp's deck object (marp-deck.ts).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../scripts/core/paths.ts'
import { launchBrowser } from '../scripts/browser/browser.ts'
import { startDev, waitFor, type DevProcess } from './helpers/dev-server.ts'
import { catchMarpDeck } from '../scripts/dev/marp-deck.ts'
import { MARP_SELECTORS } from '../scripts/marp/marp-contract.ts'

const DECK = `---
title: On stage
talk-length: 30min
---

## Quote

\`\`\`{.output run="demo/quote.py"}
\`\`\`

## Changes

\`\`\`{.output run="demo/change.py"}
\`\`\`

::: notes
Run it *live*.
:::

## Broken

\`\`\`{.output run="demo/broken.py"}
\`\`\`
`

let project: string
let dev: DevProcess
let browser: Browser
let audience: Page
let presenter: Page
const file = (...parts: string[]) => path.join(project, ...parts)
/** Screenshots for the report (looked at by hand): .cache/screens/. */
const screens = path.join(projectRoot, '.cache', 'screens')

const activeId = (page: Page) => page.evaluate(() => document.querySelector('.bespoke-marp-active section')?.id ?? '')
/** The text of slide `id`'s output block. */
const output = (page: Page, id: string) => page.evaluate((slide) => document.querySelector(`section[id="${slide}"] pre[data-output-block] code`)?.textContent ?? null, id)
const panel = (page: Page) => page.evaluate(() => document.getElementById('dev-presenter')?.textContent ?? '')
/** Everything of the page a projector could show, as text. */
const pageText = (page: Page) => page.evaluate(() => document.body.innerText + document.body.textContent)
/**
 * Moves the talk to slide `id` from the presenter view (a slide a key press, no steps in this
 * deck), so that each test starts where it needs to, whatever ran before it.
 */
async function goTo(id: number): Promise<void> {
  for (;;) {
    const shown = Number(await activeId(audience))
    if (shown === id) return
    await presenter.keyboard.press(shown < id ? 'ArrowRight' : 'ArrowLeft')
    await waitFor(`the audience page past slide ${shown}`, async () => Number(await activeId(audience)) !== shown)
  }
}

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-stage-'))
  for (const dir of ['slides', 'snippets/demo', 'theme', 'gate']) mkdirSync(file(dir), { recursive: true })
  writeFileSync(file('slides', 'talk.md'), DECK)
  writeFileSync(file('snippets', 'demo', 'quote.py'), 'print(\'say "hi" -> <ok> & done\')\n')
  // Prints what the build stores; with the gate there (a live run on stage), something else and exit status 3.
  writeFileSync(
    file('snippets', 'demo', 'change.py'),
    `import os, sys\nif os.path.exists(${JSON.stringify(file('gate', 'live'))}):\n    print("first line")\n    print("live result")\n    sys.exit(3)\nprint("first line")\nprint("stored result")\n`,
  )
  writeFileSync(file('snippets', 'demo', 'broken.py'), 'print("fine")\n')
  for (const name of readdirSync(path.join(projectRoot, 'theme'))) copyFileSync(path.join(projectRoot, 'theme', name), file('theme', name))
  mkdirSync(screens, { recursive: true })
  ;[dev, browser] = await Promise.all([startDev(file('slides', 'talk.md'), project), launchBrowser()])
  audience = await browser.newPage()
  await audience.setViewport({ width: 1280, height: 720 })
  await audience.goto(dev.url, { waitUntil: 'load' })
  presenter = await browser.newPage()
  await presenter.setViewport({ width: 1280, height: 720 })
  await presenter.goto(dev.presenterUrl, { waitUntil: 'load' })
  await waitFor('the presenter panel', async () => (await panel(presenter)) !== '')
  // Keys pressed before a page has joined the server's session move that page only.
  for (const page of [audience, presenter]) await waitFor('the page joined', () => page.evaluate(() => document.documentElement.dataset.devJoined === 'true'))
})

afterAll(async () => {
  await browser?.close()
  if (dev?.child.exitCode === null) dev.child.kill('SIGINT')
  rmSync(project, { recursive: true, force: true })
})

describe('npm run dev on stage', () => {
  it("links to Marp's deck object on every page (else the reason: a Marp upgrade broke marp-deck.ts)", async () => {
    for (const page of [audience, presenter]) {
      const link = await waitFor('the deck link', () => page.evaluate(() => document.documentElement.dataset.devDeck))
      expect(link).toBe('linked')
    }
  })

  it("names the cause when Marp's deck object cannot be reached (what a Marp upgrade that breaks the link shows)", async () => {
    const page = await browser.newPage()
    try {
      const script = `(${catchMarpDeck.toString()})(() => { document.body.dataset.found = 'yes' }, (reason) => { document.body.dataset.reason = reason }, ${JSON.stringify(MARP_SELECTORS.deckRoot)})`
      // Marp's markup without the sync plugin's mark; then a deck object that lacks calls.
      await page.setContent(`<html><head><script>var __name=function(f){return f};${script}</script></head><body><div class="bespoke-marp-parent"></div></body></html>`, { waitUntil: 'load' })
      expect(await page.evaluate(() => document.body.dataset.reason)).toBe("Marp's sync plugin no longer marks its deck object with `Object.defineProperty(deck, 'syncKey', ...)`")
      const lacking = `Object.defineProperty({ slide: () => 0, slides: [] }, 'syncKey', { value: 'k' })`
      await page.setContent(`<html><head><script>var __name=function(f){return f};${script}</script></head><body><script>${lacking}</script></body></html>`, { waitUntil: 'load' })
      expect(await waitFor('the reason', () => page.evaluate(() => document.body.dataset.reason))).toBe("Marp's deck object has no next(), prev(), on()")
      expect(await page.evaluate(() => document.body.dataset.found ?? null)).toBeNull()
    } finally {
      await page.close()
    }
  })

  it('counts down from the talk length once the talk starts, beside the elapsed time', async () => {
    const timers = () => presenter.evaluate(() => ({ left: document.getElementById('dev-countdown')?.textContent ?? '', elapsed: document.getElementById('dev-elapsed')?.textContent ?? '', pace: document.getElementById('dev-pace')?.textContent ?? '' }))
    // On the title slide with the timer restarted (t): the talk has not started.
    await goTo(1)
    await presenter.keyboard.press('t')
    await waitFor('the timer restarted', async () => (await timers()).pace.includes('not started'))
    expect(await timers()).toEqual({ left: '30:00', elapsed: '0:00', pace: expect.stringContaining('not started') })
    // Slide 1 is the title slide: the talk starts with the move to slide 2.
    await presenter.keyboard.press('ArrowRight')
    await waitFor('the audience page on slide 2', async () => (await activeId(audience)) === '2')
    const running = await waitFor('the countdown running', async () => {
      const shown = await timers()
      return /^29:[0-5]\d$/.test(shown.left) && shown
    })
    expect(running.elapsed).toMatch(/^0:0\d$/)
    // Slide 2 of 4, a minute in: two slides left, some 14 minutes each, ahead of an even pace.
    expect(running.pace).toMatch(/^2 slides left \(1[45]:\d\d each\), \d+:\d\d ahead$/)
  })

  it('puts run controls in the presenter view only, also on an output holding a double quote', async () => {
    // The stored output (a run on stage earlier would have put its own text in place).
    await presenter.keyboard.press('u')
    await waitFor('the stored output', async () => (await output(audience, '2')) === 'say "hi" -> <ok> & done\n')
    const controls = (page: Page) => page.evaluate(() => [...document.querySelectorAll('pre[data-output-block]')].map((pre) => pre.querySelectorAll('button.dev-run').length))
    expect(await controls(presenter)).toEqual([1, 1, 1])
    expect(await audience.evaluate(() => document.querySelectorAll('pre[data-output-block]').length)).toBe(3)
    expect(await controls(audience)).toEqual([0, 0, 0])
    // The control of the quoting block runs it: the audience sees the same text, streamed in.
    await presenter.$eval('section[id="2"] pre[data-output-block] button.dev-run', (button) => (button as HTMLButtonElement).click())
    await waitFor('the run reported done', async () => (await panel(presenter)).includes('demo/quote.py: ended with exit status 0'))
    expect(await output(audience, '2')).toBe('say "hi" -> <ok> & done')
    expect(await panel(presenter)).not.toContain('Differs')
  })

  it('shows a live run that ends otherwise as a diff in the presenter view; u puts the stored output back on every page', async () => {
    await goTo(3)
    expect(await output(audience, '3')).toBe('first line\nstored result\n')
    writeFileSync(file('gate', 'live'), '')
    await presenter.keyboard.press('r')
    await waitFor('the live output on the audience page', async () => (await output(audience, '3')) === 'first line\nlive result')
    const shown = await waitFor('the diff in the presenter view', () => presenter.evaluate(() => document.querySelector('#dev-presenter .dev-diff')?.textContent))
    expect(shown).toBe('exit: stored 0, live 3\n  first line\n- stored result\n+ live result')
    // And in the terminal.
    await waitFor('the run in the terminal', () => dev.output().includes('on stage: snippets/demo/change.py ended with exit status 3'))
    expect(dev.output()).toContain('differs from the stored output (u in the presenter view puts it back):\nexit: stored 0, live 3\n  first line\n- stored result\n+ live result')
    // Run status is the presenter's: the audience's block has no state and no note.
    expect(await audience.evaluate(() => document.querySelector<HTMLElement>('section[id="3"] pre[data-output-block]')?.dataset.devRunState ?? null)).toBeNull()
    expect(await pageText(audience)).not.toContain('exit status')
    await presenter.screenshot({ path: path.join(screens, 'presenter-diff.png') })
    await audience.screenshot({ path: path.join(screens, 'audience-live-run.png') })
    await presenter.keyboard.press('u')
    await waitFor('the stored output back on the audience page', async () => (await output(audience, '3')) === 'first line\nstored result\n')
    await waitFor('the stored output back in the presenter view', async () => (await output(presenter, '3'))?.startsWith('first line\nstored result\n'))
    expect(await presenter.evaluate(() => document.querySelector('#dev-presenter .dev-diff'))).toBeNull()
    rmSync(file('gate', 'live'))
  })

  it('keeps a broken snippet off the audience page: the presenter view shows the error', async () => {
    writeFileSync(file('snippets', 'demo', 'broken.py'), 'print("fine"\n')
    const error = await waitFor('the error in the presenter view', () => presenter.evaluate(() => document.getElementById('dev-error')?.textContent))
    expect(error).toContain('SyntaxError')
    expect(error).toMatch(/talk\.md:\d+:\d+/)
    const text = await pageText(audience)
    expect(text).not.toContain('SyntaxError')
    expect(text).not.toContain('did not build')
    expect(await audience.evaluate(() => document.querySelectorAll('#dev-error-overlay, #dev-presenter, button.dev-run').length)).toBe(0)
    // The next-slide preview inside the presenter view shows no error either.
    const frame = presenter.frames().find((candidate) => candidate.url().includes('view=next'))
    expect(await frame?.evaluate(() => document.body.textContent?.includes('SyntaxError'))).toBe(false)
    await audience.screenshot({ path: path.join(screens, 'audience-broken-snippet.png') })
    await presenter.screenshot({ path: path.join(screens, 'presenter-broken-snippet.png') })
    writeFileSync(file('snippets', 'demo', 'broken.py'), 'print("fine")\n')
    await waitFor('the error gone', async () => presenter.evaluate(() => document.getElementById('dev-error') === null))
  })

  it('blacks out and whites out the audience page with b and w, and shows the slides again with the same key', async () => {
    const cover = () => audience.evaluate(() => {
      const element = document.getElementById('dev-screen')
      return element ? getComputedStyle(element).backgroundColor : null
    })
    await presenter.keyboard.press('b')
    await waitFor('a black screen', async () => (await cover()) === 'rgb(0, 0, 0)')
    // The presenter's panel hears it from the server too, maybe after the audience page.
    await waitFor('the presenter told', async () => (await panel(presenter)).includes('screen black'))
    await audience.screenshot({ path: path.join(screens, 'audience-black.png') })
    await presenter.keyboard.press('b')
    await waitFor('the slides again', async () => (await cover()) === null)
    await presenter.keyboard.press('w')
    await waitFor('a white screen', async () => (await cover()) === 'rgb(255, 255, 255)')
    await presenter.keyboard.press('w')
    await waitFor('the slides again', async () => (await cover()) === null)
  })

  it('has a phone layout: large previous and next, the notes and the timers', async () => {
    await goTo(3)
    const phone = await browser.newPage()
    await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true })
    await phone.goto(dev.url.replace(/\/$/, '/?view=phone'), { waitUntil: 'load' })
    await waitFor('the phone layout on slide 3', () => phone.evaluate(() => document.getElementById('dev-phone-slide')?.textContent?.startsWith('3 / ')))
    expect(await phone.evaluate(() => document.getElementById('dev-phone-notes')?.innerHTML)).toContain('<em>live</em>')
    expect(await phone.evaluate(() => document.getElementById('dev-countdown')?.textContent)).toMatch(/^\d+:\d\d$/)
    const size = await phone.evaluate(() => document.getElementById('dev-phone-next')!.getBoundingClientRect().height)
    expect(size).toBeGreaterThan(200)
    await phone.screenshot({ path: path.join(screens, 'phone.png') })
    await phone.tap('#dev-phone-next')
    await waitFor('the audience page on slide 4', async () => (await activeId(audience)) === '4')
    await phone.tap('#dev-phone-prev')
    await waitFor('the audience page on slide 3', async () => (await activeId(audience)) === '3')
    await phone.close()
    expect(existsSync(path.join(screens, 'phone.png'))).toBe(true)
  })

  it('shows errors on the audience page when the presenter asks for it (--show-errors, a workshop)', async () => {
    const workshop = await startDev(file('slides', 'talk.md'), project, ['--show-errors'])
    const page = await browser.newPage()
    try {
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(workshop.url, { waitUntil: 'load' })
      await waitFor('the deck link', () => page.evaluate(() => document.documentElement.dataset.devDeck === 'linked'))
      writeFileSync(file('snippets', 'demo', 'broken.py'), 'print("fine"\n')
      const overlay = await waitFor('the error overlay', () => page.evaluate(() => document.getElementById('dev-error-overlay')?.textContent))
      expect(overlay).toContain('SyntaxError')
      // Still no run control and no presenter panel there.
      expect(await page.evaluate(() => document.querySelectorAll('#dev-presenter, button.dev-run').length)).toBe(0)
    } finally {
      writeFileSync(file('snippets', 'demo', 'broken.py'), 'print("fine")\n')
      await page.close()
      const exited = new Promise((resolve) => workshop.child.once('exit', resolve))
      workshop.child.kill('SIGINT')
      await exited
    }
  })

  it('beyond loopback (--host), the phone address carries the token that moving the slides needs; the audience address cannot move them', async () => {
    // 127.0.0.2 is not loopback to the server (it asks for the token) but is reachable here.
    const remote = await startDev(file('slides', 'talk.md'), project, ['--host', '127.0.0.2'])
    const pages: Page[] = []
    try {
      const phoneUrl = /phone\s+(http\S+)/.exec(remote.output())?.[1] ?? ''
      expect(phoneUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/\?view=phone&token=[0-9a-f]{32}$/)
      const room = await browser.newPage()
      const phone = await browser.newPage()
      pages.push(room, phone)
      await room.goto(remote.url, { waitUntil: 'load' })
      await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true })
      await phone.goto(phoneUrl, { waitUntil: 'load' })
      await waitFor('the phone layout', () => phone.evaluate(() => document.getElementById('dev-phone-slide')?.textContent?.startsWith('1 / ')))
      await waitFor('the phone joined', () => phone.evaluate(() => document.documentElement.dataset.devJoined === 'true'))
      await phone.tap('#dev-phone-next')
      await waitFor('the audience page on slide 2', async () => (await activeId(room)) === '2')
      // Without the token (the audience address), a move or a presenter key is refused.
      const status = (action: string, body: unknown) => room.evaluate((url, json) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }).then((response) => response.status), action, JSON.stringify(body))
      expect(await status('/__dev/navigate', { index: 0, fragment: 0, from: 'x' })).toBe(403)
      expect(await status('/__dev/control', { action: 'black' })).toBe(403)
      // A key pressed on the audience page moves that page only (its post is refused): the phone stays.
      await room.keyboard.press('ArrowLeft')
      await waitFor('the audience page on slide 1', async () => (await activeId(room)) === '1')
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(await phone.evaluate(() => document.getElementById('dev-phone-slide')?.textContent)).toMatch(/^2 \/ 4/)
    } finally {
      for (const page of pages) await page.close()
      const exited = new Promise((resolve) => remote.child.once('exit', resolve))
      remote.child.kill('SIGINT')
      await exited
    }
  })
})
