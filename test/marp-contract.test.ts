/**
 * Marp's markup under contract: one deck built (HTML), then each entry of
 * marp/marp-contract.ts looked for in the page, and marp-core's auto-scaling compared with what
 * the fit check writes where it has not run (browser/deck-page.ts). A failure names the package and
 * the assumption that no longer holds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FRAGMENT_ATTRIBUTE, MARP_SELECTORS, NOTE_ELEMENT, PRESENTING_SCRIPT, SLIDE_START } from '../scripts/marp/marp-contract.ts'
import { withPage } from './helpers/browser.ts'
import { runCli } from './helpers/cli.ts'

const DECK = `---
title: Contract
---

## Steps and notes

::: incremental
- one
- two
:::

::: notes
The note.
:::

## Wide code

\`\`\`python
value = ${'"a long string literal", '.repeat(8)}
\`\`\`
`

let dir: string
let html: string
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'deck-marp-contract-'))
  writeFileSync(path.join(dir, 'talk.md'), DECK)
  // Rendered by the build (marp-cli loads the engine as the bundled toolchain has it).
  const built = await runCli(['build', 'talk.md', '--html', '--allow-overflow', '--out', dir], { cwd: dir })
  expect(built.status, built.stderr).toBe(0)
  html = readFileSync(path.join(dir, 'talk.html'), 'utf8')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SOURCES: Record<keyof typeof MARP_SELECTORS, string> = {
  slide: '@marp-team/marpit (inline SVG slides)',
  section: '@marp-team/marpit (inline SVG slides)',
  slideSection: '@marp-team/marpit (inline SVG slides)',
  fragment: '@marp-team/marpit (fragmented lists)',
  fragmentState: '@marp-team/marp-cli (bespoke template: the state of a step)',
  activeFragment: '@marp-team/marp-cli (bespoke template: a step shown)',
  activeSlide: '@marp-team/marp-cli (bespoke template: the slide shown)',
  hiddenSlide: '@marp-team/marp-cli (bespoke template: slides not shown are aria-hidden)',
  deckRoot: '@marp-team/marp-cli (bespoke template: its root element)',
  controller: '@marp-team/marp-cli (bespoke template: its on-screen controller)',
  note: '@marp-team/marp-cli (bespoke template notes)',
  presenterView: '@marp-team/marp-cli (bespoke presenter view, ?view=presenter)',
  presenterNotes: '@marp-team/marp-cli (bespoke presenter view: the notes box)',
  presenterNoteWrapper: '@marp-team/marp-cli (bespoke presenter view: the note wrapper)',
  presenterTimer: '@marp-team/marp-cli (bespoke presenter view: its timer)',
  autoScalingHost: '@marp-team/marp-core (auto-scaling)',
  autoScaling: '@marp-team/marp-core (auto-scaling custom element)',
  autoScalingSvg: '@marp-team/marp-core (auto-scaling shadow DOM)',
  autoScalingWrapper: '@marp-team/marp-core (auto-scaling shadow DOM)',
  autoScalingContainer: '@marp-team/marp-core (auto-scaling shadow DOM)',
}

/** How many elements each selector finds, in the page as `view` shows it (a step moved on in the deck view). */
async function countSelectors(view: 'deck' | 'presenter'): Promise<Partial<Record<keyof typeof MARP_SELECTORS, number>>> {
  return withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 })
    const url = pathToFileURL(path.join(dir, 'talk.html')).href
    await page.goto(view === 'presenter' ? `${url}?view=presenter#2` : `${url}#2`, { waitUntil: 'load' })
    // Slide 2 (after the title page) has the steps: one key shows the first.
    if (view === 'deck') {
      await page.waitForSelector(MARP_SELECTORS.activeSlide)
      await page.keyboard.press('ArrowRight')
      await page.waitForSelector(MARP_SELECTORS.activeFragment, { timeout: 5000 }).catch(() => undefined)
    }
    return page.evaluate((marp: typeof MARP_SELECTORS, view: string) => {
      const all = (selector: string) => document.querySelectorAll(selector).length
      if (view === 'presenter') {
        return { presenterView: all(marp.presenterView), presenterNotes: all(marp.presenterNotes), presenterNoteWrapper: all(marp.presenterNoteWrapper), presenterTimer: all(marp.presenterTimer), deckRoot: all(marp.deckRoot) }
      }
      const hosts = [...document.querySelectorAll(marp.autoScalingHost)]
      const inner = hosts.map((host) => host.shadowRoot?.querySelector(marp.autoScaling)).find(Boolean)
      const root = inner?.shadowRoot
      const svg = root?.querySelector(marp.autoScalingSvg)
      const slides = [...document.querySelectorAll(marp.slide)]
      return {
        slide: slides.length,
        section: all(marp.section),
        // every slide's svg has its section
        slideSection: slides.every((slide) => slide.querySelector(marp.slideSection)) ? slides.length : 0,
        fragment: all(marp.fragment),
        fragmentState: all(marp.fragmentState),
        activeFragment: all(marp.activeFragment),
        activeSlide: all(marp.activeSlide),
        hiddenSlide: all(marp.hiddenSlide),
        deckRoot: all(marp.deckRoot),
        controller: all(marp.controller),
        note: all(marp.note),
        autoScalingHost: hosts.length,
        autoScaling: inner ? 1 : 0,
        autoScalingSvg: svg ? 1 : 0,
        autoScalingWrapper: root?.querySelector(marp.autoScalingWrapper) ? 1 : 0,
        autoScalingContainer: svg?.querySelector(marp.autoScalingContainer) ? 1 : 0,
      }
    }, MARP_SELECTORS, view)
  })
}

describe('Marp markup the toolchain reads', () => {
  it('the notes are written as render/notes.ts finds them', () => {
    const notes = [...html.matchAll(NOTE_ELEMENT)]
    expect(notes.length, '@marp-team/marp-cli: a note is `<div class="bespoke-marp-note" data-index="N">` in the HTML (marp/marp-contract.ts NOTE_ELEMENT)').toBe(1)
    expect(notes[0]![3]).toContain('The note.')
  })

  it('the HTML as written has the slides, steps and presenting script where dev/patch.ts and the fit check cut it', () => {
    expect(html.split(SLIDE_START).length - 1, `@marp-team/marpit: each slide's svg begins with \`${SLIDE_START}\` in the HTML (SLIDE_START)`).toBe(3)
    const slides = html.split(SLIDE_START).slice(1)
    expect(slides.map((slide) => slide.includes('<script')), '@marp-team/marp-core: its script is inside the last slide\'s svg and no other (SLIDE_START, browser/deck-page.ts part documents)').toEqual(slides.map((_, index) => index === slides.length - 1))
    expect(html, `@marp-team/marpit: a step carries \`${FRAGMENT_ATTRIBUTE}\` in the HTML (FRAGMENT_ATTRIBUTE)`).toContain(FRAGMENT_ATTRIBUTE)
    expect(html.match(new RegExp(PRESENTING_SCRIPT.source, 'g'))?.length, "@marp-team/marp-cli: bespoke.js is inlined as one <script> opening with its licence comment (PRESENTING_SCRIPT)").toBe(1)
  })

  it('every selector of marp/marp-contract.ts finds its element in the page', async () => {
    const found = { ...(await countSelectors('deck')), ...(await countSelectors('presenter')) }
    for (const key of Object.keys(MARP_SELECTORS) as Array<keyof typeof MARP_SELECTORS>) {
      expect(found[key], `${SOURCES[key]}: \`${MARP_SELECTORS[key]}\` (MARP_SELECTORS.${key}) finds nothing in a rendered deck`).toBeGreaterThan(0)
    }
    expect(found.slide).toBe(found.section)
  })

  it("marp-core's own auto-scaling gives the viewBox the fit check writes where it has not run", async () => {
    const boxes = await withPage(async (page) => {
      // As the fit check sees the page: print media, every slide laid out.
      await page.setViewport({ width: 1280, height: 720 })
      await page.emulateMediaType('print')
      await page.goto(pathToFileURL(path.join(dir, 'talk.html')).href, { waitUntil: 'load' })
      return page.evaluate(async (marp: typeof MARP_SELECTORS) => {
        await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)))
        await document.fonts.ready
        const measure = () => [...document.querySelectorAll(`${marp.section} ${marp.autoScalingHost}`)].map((host) => {
          const root = host.shadowRoot?.querySelector(marp.autoScaling)?.shadowRoot
          const svg = root?.querySelector<SVGSVGElement>(marp.autoScalingSvg)
          const wrapper = root?.querySelector<HTMLElement>(marp.autoScalingWrapper)
          const container = svg?.querySelector<HTMLElement>(marp.autoScalingContainer)
          if (!svg || !wrapper || !container) return undefined
          // browser/deck-page.ts settleSlides(): the formula of MarpAutoScaling.updateSVGRect()
          let width = container.offsetWidth
          if (host.getAttribute('data-auto-scaling') === 'downscale-only') width = Math.max(width, wrapper.clientWidth)
          return { marp: svg.getAttribute('viewBox'), ours: `0 0 ${width} ${container.offsetHeight}` }
        })
        // Marp's observers report within a few frames; given a second, its result must be ours.
        const started = performance.now()
        let boxes = measure()
        while (boxes.some((box) => box && box.marp !== box.ours) && performance.now() - started < 1000) {
          await new Promise((resolve) => requestAnimationFrame(resolve))
          boxes = measure()
        }
        return boxes
      }, MARP_SELECTORS)
    })
    expect(boxes.length, '@marp-team/marp-core: the code block of slide 2 is auto-scaled (`[data-auto-scaling]`)').toBeGreaterThan(0)
    for (const box of boxes) {
      expect(box, '@marp-team/marp-core: the auto-scaling element keeps its svg, wrapper and container in shadow roots').toBeDefined()
      expect(box!.marp, "@marp-team/marp-core: updateSVGRect() sets the viewBox to the container's size (browser/deck-page.ts settleSlides writes it so)").toBe(box!.ours)
    }
  })
})
