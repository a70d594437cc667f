/**
 * `npm run dev` end to end, in the pinned Chromium: a small deck in a project of its own (a copy
 * of the theme included), the server started as a user starts it, pages that follow edits on the
 * same slide, the presenter view driving the audience page, run on stage streaming, the server's
 * limits, and Ctrl-C leaving no process behind.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../scripts/core/paths.ts'
import { launchBrowser } from '../scripts/browser/browser.ts'
import { alive, descendants, listeningAddresses, startDev, waitFor, type DevProcess } from './helpers/dev-server.ts'

const DECK = (extra = '') => `---
title: Live
---

## Greeting

\`\`\`{.output run="demo/greet.py"}
\`\`\`

. . .

After the pause.
${extra}
## Notes

Some text.

::: notes
Say *this* with \`code\`.
:::

## Stream

\`\`\`{.output run="demo/stream.py"}
\`\`\`

## Count

\`\`\`{.output run="demo/count.py"}
\`\`\`

## Slow

\`\`\`{.output run="demo/slow.py"}
\`\`\`

## Colour

\`\`\`{.output run="demo/colour.py" color=true}
\`\`\`

## Reads

\`\`\`{.output run="demo/reads.py"}
\`\`\`

\`\`\`{.output run="demo/reads.mjs"}
\`\`\`
`

let project: string
let dev: DevProcess
let browser: Browser
let audience: Page
/** A presenter view, open throughout: runs on stage are started and watched there. */
let speaker: Page
const file = (...parts: string[]) => path.join(project, ...parts)
const gate = (name: string) => file('gate', name)

/** Three lines 300 ms apart; when the test arms the gate, the last waits until it is released. */
const STREAM = (armed: string, release: string) => `import os
import time

print("line 1", flush=True)
time.sleep(0.3)
print("line 2", flush=True)
time.sleep(0.3)
if os.path.exists(${JSON.stringify(armed)}):
    while not os.path.exists(${JSON.stringify(release)}):
        time.sleep(0.02)
print("line 3", flush=True)
`

/** Writes its process id; while the gate `slow` is there, it sleeps before printing. */
const SLOW = (text: string) => `import os
import time

with open(${JSON.stringify(gate('slow.pid'))}, "w") as out:
    out.write(str(os.getpid()))
while os.path.exists(${JSON.stringify(gate('slow'))}):
    time.sleep(0.02)
print(${JSON.stringify(text)})
`

/** The active slide's number and the text of its output block, in a deck page. */
const activeSlide = (page: Page) =>
  page.evaluate(() => {
    const section = document.querySelector('.bespoke-marp-active section')
    const steps = [...(section?.querySelectorAll('[data-bespoke-marp-fragment]') ?? [])]
    return {
      id: section?.id ?? '',
      output: section?.querySelector('pre.console code')?.textContent ?? '',
      step: steps.filter((step) => step.getAttribute('data-bespoke-marp-fragment') === 'active').length,
    }
  })

/** Waits until the page's current document has joined the server's session (after a reload too:
 * Marp puts a loaded page back on the slide in its address a task after the load, and the server's
 * hello puts it on the shared slide and step). */
const joined = (page: Page, what = 'the page joined') => waitFor(what, () => page.evaluate(() => document.documentElement.dataset.devJoined === 'true'))

/** The run-on-stage state (in the presenter view) and text of slide 4's output block. */
const stage = (page: Page) =>
  page.evaluate(() => {
    const pre = document.querySelector<HTMLElement>('section[id="4"] pre[data-output-block]')
    return { state: pre?.dataset.devRunState ?? '', text: pre?.querySelector('code')?.textContent ?? '' }
  })

function get(url: string, rawPath: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path: rawPath, method: body === undefined ? 'GET' : 'POST', headers }, (response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}
const postRun = (body: unknown) => get(dev.url, '/__dev/run', { 'content-type': 'application/json' }, JSON.stringify(body))

/** Runs stream.py on stage, held before its last line (until gate('release')), once its first line shows. */
async function startHeldStream(): Promise<void> {
  writeFileSync(gate('armed'), '')
  rmSync(gate('release'), { force: true })
  expect((await postRun({ snippet: 'demo/stream.py' })).status).toBe(202)
  await waitFor('the first line on the slide', async () => {
    const shown = await stage(speaker)
    // (The stored output, which has all three lines, shows until the run prints its first.)
    return shown.state === 'running' && shown.text.includes('line 1') && !shown.text.includes('line 3')
  })
}

/**
 * Moves the talk to slide `id`, step `step` (as a page's move does: every page follows) and waits
 * for the audience page to show it: each test starts where it needs to, whatever ran before it.
 */
async function moveTo(id: number, step = 0): Promise<void> {
  const moved = await get(dev.url, '/__dev/navigate', { 'content-type': 'application/json' }, JSON.stringify({ index: id - 1, fragment: step, from: 'test' }))
  expect(moved.status).toBe(204)
  await waitFor(`the audience page on slide ${id}, step ${step}`, async () => {
    const slide = await activeSlide(audience)
    return slide.id === String(id) && slide.step === step
  })
}

/** The greeting snippet's output now (each edit prints a new one). */
let greeting = 1

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-dev-'))
  for (const dir of ['slides', 'snippets/demo', 'theme', 'gate']) mkdirSync(file(dir), { recursive: true })
  writeFileSync(file('slides', 'talk.md'), DECK())
  writeFileSync(file('snippets', 'demo', 'greet.py'), 'print("hello 1")\n')
  writeFileSync(file('snippets', 'demo', 'helper.py'), 'SECRET = 1\n')
  writeFileSync(file('snippets', 'demo', 'count.py'), 'print("count 1")\n')
  writeFileSync(file('snippets', 'demo', 'slow.py'), SLOW('slow 1'))
  writeFileSync(file('snippets', 'demo', 'colour.py'), 'print("\\x1b[31mred\\x1b[0m plain")\n')
  writeFileSync(file('snippets', 'demo', 'stream.py'), STREAM(gate('armed'), gate('release')))
  // Snippets that read data files: one outside the watched folders, one beside the snippet.
  mkdirSync(file('data'))
  writeFileSync(file('data', 'values.txt'), 'python 1\n')
  writeFileSync(file('snippets', 'demo', 'reads.py'), 'from pathlib import Path\n\nprint(Path("../../data/values.txt").read_text().strip())\n')
  writeFileSync(file('snippets', 'demo', 'conf.json'), '{"value": "node 1"}\n')
  writeFileSync(file('snippets', 'demo', 'reads.mjs'), "import { readFileSync } from 'node:fs'\n\nconsole.log(JSON.parse(readFileSync('conf.json', 'utf8')).value)\n")
  for (const name of readdirSync(path.join(projectRoot, 'theme'))) copyFileSync(path.join(projectRoot, 'theme', name), file('theme', name))
  ;[dev, browser] = await Promise.all([startDev(file('slides', 'talk.md'), project), launchBrowser()])
  audience = await browser.newPage()
  await audience.setViewport({ width: 1280, height: 720 })
  await audience.goto(`${dev.url}#2`, { waitUntil: 'load' })
  speaker = await browser.newPage()
  await speaker.setViewport({ width: 1280, height: 720 })
  await speaker.goto(dev.presenterUrl, { waitUntil: 'load' })
  // Moves made before a page has joined the server's session are that page's own.
  for (const page of [audience, speaker]) await joined(page)
})

afterAll(async () => {
  await browser?.close()
  if (dev?.child.exitCode === null) dev.child.kill('SIGKILL')
  rmSync(project, { recursive: true, force: true })
})

describe('npm run dev', () => {
  it('listens on 127.0.0.1 only', () => {
    const url = new URL(dev.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(listeningAddresses(Number(url.port))).toEqual(['127.0.0.1'])
  })

  it('shows a snippet edit on the slide and step the page is on', async () => {
    await moveTo(2)
    await waitFor('slide 2 with the output', async () => (await activeSlide(audience)).output.includes(`hello ${greeting}`))
    await audience.keyboard.press('ArrowRight')
    await waitFor('the step after the pause', async () => (await activeSlide(audience)).step === 1)
    const page = await audience.evaluate(() => document.documentElement)
    greeting++
    writeFileSync(file('snippets', 'demo', 'greet.py'), `print("hello ${greeting}")\n`)
    await waitFor('the new output', async () => (await audience.evaluate(() => document.body.textContent ?? '')).includes(`hello ${greeting}`))
    await joined(audience, 'the reloaded page joined')
    expect(await activeSlide(audience)).toEqual({ id: '2', output: `hello ${greeting}\n`, step: 1 })
    // A new page, not the old one edited: the page reloaded.
    expect(await audience.evaluate((old) => old !== document.documentElement, page)).toBe(true)
  })

  it('shows a theme edit, the reloaded page painting no other slide or step than the one it was on', async () => {
    await moveTo(2, 1)
    const colour = () => audience.evaluate(() => getComputedStyle(document.querySelector('section[id="2"] > h2')!).color)
    expect(await colour()).not.toBe('rgb(1, 2, 3)')
    const theme = readFileSync(file('theme', 'frankfurt.css'), 'utf8')
    // Each animation frame of the new page (before its paint): the slide and step it shows, if visible.
    const frames = await audience.evaluateOnNewDocument(() => {
      const shown: string[] = ((window as unknown as { deckFrames: string[] }).deckFrames = [])
      const frame = () => {
        const active = document.querySelector('.bespoke-marp-active')
        const section = active?.querySelector('section')
        if (active && section && getComputedStyle(active).visibility === 'visible') shown.push(`${section.id}.${section.querySelectorAll("[data-bespoke-marp-fragment='active']").length}`)
        // Marp's controller (page number, arrows) is not the room's to see unless a pointer moves.
        const controller = document.querySelector('.bespoke-marp-osc')
        if (controller && getComputedStyle(controller).display !== 'none' && getComputedStyle(controller).visibility === 'visible') shown.push('controller')
        requestAnimationFrame(frame)
      }
      requestAnimationFrame(frame)
    })
    try {
      appendFileSync(file('theme', 'frankfurt.css'), '\nsection > h2 { color: rgb(1, 2, 3) !important; }\n')
      await waitFor('the new colour', async () => (await colour()) === 'rgb(1, 2, 3)')
      await joined(audience, 'the reloaded page joined')
      expect(await activeSlide(audience)).toMatchObject({ id: '2', step: 1 })
      const painted = await waitFor('a frame of the reloaded page', async () => {
        const list = await audience.evaluate(() => (window as unknown as { deckFrames: string[] }).deckFrames)
        return list.length > 0 && list
      })
      // Marp shows a loaded page's first slide before the one in its address, and its controller
      // for two seconds: neither on screen.
      expect(new Set(painted)).toEqual(new Set(['2.1']))
      // A pointer moved on it shows the controller, as Marp does.
      await audience.mouse.move(300, 300)
      await audience.mouse.move(320, 310)
      await waitFor("Marp's controller after a pointer move", () => audience.evaluate(() => getComputedStyle(document.querySelector('.bespoke-marp-osc')!).display !== 'none'))
    } finally {
      await audience.removeScriptToEvaluateOnNewDocument(frames.identifier)
      writeFileSync(file('theme', 'frankfurt.css'), theme)
    }
    await waitFor('the colour as it was', async () => (await colour()) !== 'rgb(1, 2, 3)')
  })

  it('shows a broken deck in the presenter view only (the audience keeps the last good one), and recovers', async () => {
    await moveTo(2, 1)
    // Opened now: it joins on the slide and step the audience page is on.
    const late = await browser.newPage()
    await late.setViewport({ width: 1280, height: 720 })
    await late.goto(dev.presenterUrl, { waitUntil: 'load' })
    await waitFor('the new presenter view on slide 2, step 1', async () => {
      const slide = await activeSlide(late)
      return slide.id === '2' && slide.step === 1
    })
    await late.close()
    const error = () => speaker.evaluate(() => document.getElementById('dev-error')?.textContent ?? null)
    writeFileSync(file('slides', 'talk.md'), DECK('\n```{.output run="demo/missing.py"}\n```\n'))
    // A rebuild may start between the watcher's events for one save: the error the presenter
    // settles on is the one that counts.
    let shown: string | null = null
    const text = await waitFor('the error in the presenter view', async () => {
      shown = await error()
      return shown?.includes('Cannot find snippet `demo/missing.py`') ? shown : null
    }, 30_000).catch((cause: Error) => expect.fail(`${cause.message}; the presenter view shows: ${shown}`))
    expect(text).toMatch(/talk\.md:\d+:\d+/)
    expect(await audience.evaluate(() => document.body.textContent?.includes('demo/missing.py'))).toBe(false)
    const slide = await activeSlide(audience)
    expect(slide).toEqual({ id: '2', output: expect.stringContaining(`hello ${greeting}`), step: 1 })
    writeFileSync(file('slides', 'talk.md'), DECK())
    await waitFor('the error gone', async () => (await error()) === null)
    expect((await activeSlide(audience)).output).toContain(`hello ${greeting}`)
  })

  it('has a presenter view with rendered notes and the next slide, whose keys move the audience page', async () => {
    await moveTo(2, 1)
    const presenter = await browser.newPage()
    await presenter.setViewport({ width: 1280, height: 720 })
    await presenter.goto(dev.presenterUrl, { waitUntil: 'load' })
    await waitFor('the presenter on slide 2', async () => (await activeSlide(presenter)).id === '2')
    await presenter.keyboard.press('ArrowRight')
    await waitFor('the audience page on slide 3', async () => (await activeSlide(audience)).id === '3')
    const note = await presenter.evaluate(() => {
      const element = document.querySelector('.bespoke-marp-note[data-index="2"]')
      return { html: element?.innerHTML ?? '', text: element?.textContent ?? '' }
    })
    expect(note.html).toContain('<em>this</em>')
    expect(note.html).toContain('<code>code</code>')
    expect(note.text).not.toContain('`')
    const next = await waitFor('the next-slide preview', async () => {
      const frame = presenter.frames().find((candidate) => candidate.url().includes('view=next'))
      const id = await frame?.evaluate(() => document.querySelector('.bespoke-marp-active section')?.id)
      return id === '4' && id
    })
    expect(next).toBe('4')
    await presenter.keyboard.press('ArrowRight')
    await waitFor('the audience page on slide 4', async () => (await activeSlide(audience)).id === '4')
    await presenter.close()
  })

  it('runs a snippet on stage and streams its output into the slide', async () => {
    writeFileSync(gate('armed'), '')
    rmSync(gate('release'), { force: true })
    await moveTo(4)
    await waitFor('the presenter view on slide 4', async () => (await activeSlide(speaker)).id === '4')
    const height = () => audience.evaluate(() => document.querySelector<HTMLElement>('section[id="4"] pre[data-output-block]')!.offsetHeight)
    const storedHeight = await height()
    await speaker.keyboard.press('r')
    // On the projector, the block keeps the stored output's height while the run writes into it.
    await waitFor('the first line on the audience page', async () => {
      const shown = await stage(audience)
      return shown.text.includes('line 1') && !shown.text.includes('line 3')
    })
    expect(await height()).toBe(storedHeight)
    const early = await waitFor('the first line on the slide', async () => {
      const shown = await stage(speaker)
      // The stored output (all three lines) shows until the run prints its first: then the line alone.
      return shown.state === 'running' && shown.text.includes('line 1') && !shown.text.includes('line 3') && shown.text
    })
    // The snippet cannot print its last line before the gate opens: the first was streamed.
    expect(early).toMatch(/^line 1\n?(line 2\n?)?$/)
    writeFileSync(gate('release'), '')
    const done = await waitFor('the whole output', async () => {
      const shown = await stage(speaker)
      return shown.state === 'done' && shown.text
    })
    expect(done).toBe('line 1\nline 2\nline 3')
    // Streamed into the audience page too (its events may come a moment after the presenter's),
    // without the run's state.
    const shown = await waitFor('the whole output on the audience page', async () => {
      const slide = await stage(audience)
      return slide.text === 'line 1\nline 2\nline 3' && slide
    })
    expect(shown).toEqual({ state: '', text: 'line 1\nline 2\nline 3' })
    rmSync(gate('release'))
  })

  it('keeps a streaming run to its block when a rebuild adds a block before it', async () => {
    await startHeldStream()
    // A new output block on slide 2: every block after it moves up one in the deck's order.
    writeFileSync(file('slides', 'talk.md'), DECK('\n```{.output run="demo/count.py"}\n```\n'))
    try {
      await waitFor('the new block on slide 2', () => audience.evaluate(() => document.querySelectorAll('section[id="2"] pre[data-output-block]').length === 2))
      writeFileSync(gate('release'), '')
      const done = await waitFor('the whole output in its block', async () => {
        const shown = await stage(speaker)
        return shown.state === 'done' && shown.text
      })
      expect(done).toBe('line 1\nline 2\nline 3')
      expect(await audience.evaluate(() => [...document.querySelectorAll('pre[data-output-block]')].filter((pre) => pre.textContent?.includes('line 1')).length)).toBe(1)
    } finally {
      // The deck as it was, whatever failed above: the next tests start from it.
      rmSync(gate('release'), { force: true })
      writeFileSync(file('slides', 'talk.md'), DECK())
      await waitFor('slide 2 as it was', () => audience.evaluate(() => document.querySelectorAll('section[id="2"] pre[data-output-block]').length === 1))
    }
  })

  it('shows a page opened during a run the run as the other pages show it, until u puts the stored outputs back', async () => {
    await startHeldStream()
    const late = await browser.newPage()
    try {
      await late.setViewport({ width: 1280, height: 720 })
      // A presenter view opened (or reloaded) mid-run: the run's text so far, then the rest.
      await late.goto(dev.presenterUrl, { waitUntil: 'load' })
      await waitFor('the run streaming on the page opened during it', async () => {
        const shown = await stage(late)
        return shown.state === 'running' && shown.text.includes('line 1') && !shown.text.includes('line 3')
      })
      writeFileSync(gate('release'), '')
      const done = async () => {
        const shown = await stage(late)
        return shown.state === 'done' && shown.text
      }
      expect(await waitFor('the whole output on the page opened during the run', done)).toBe('line 1\nline 2\nline 3')
      await late.reload({ waitUntil: 'load' })
      expect(await waitFor('the finished run on the page opened again', done)).toBe('line 1\nline 2\nline 3')
      await speaker.keyboard.press('u')
      await waitFor('the stored output back on the presenter view', async () => (await stage(speaker)).state === '')
      await late.reload({ waitUntil: 'load' })
      await joined(late)
      // Given time to receive what the server sends after its hello: no run state comes.
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect((await stage(late)).state).toBe('')
    } finally {
      rmSync(gate('release'), { force: true })
      await late.close()
    }
  })

  it('shows the stored output until a run on stage prints its first line', async () => {
    const block = (page: Page) =>
      page.evaluate(() => {
        const pre = document.querySelector<HTMLElement>('section[id="6"] pre[data-output-block]')
        return { state: pre?.dataset.devRunState ?? '', text: pre?.querySelector('code')?.textContent ?? '' }
      })
    const before = (await block(audience)).text
    expect(before).toMatch(/^slow \d+\n?$/)
    writeFileSync(gate('slow'), '')
    rmSync(gate('slow.pid'), { force: true })
    try {
      expect((await postRun({ snippet: 'demo/slow.py' })).status).toBe(202)
      // The run has started (it wrote its pid) and printed nothing yet: no empty box.
      await waitFor('the snippet running', () => existsSync(gate('slow.pid')) && readFileSync(gate('slow.pid'), 'utf8') !== '')
      await waitFor('the presenter view showing the run', async () => (await block(speaker)).state === 'running')
      expect((await block(speaker)).text).toBe(before)
      expect(await block(audience)).toEqual({ state: '', text: before })
    } finally {
      rmSync(gate('slow'), { force: true })
    }
    await waitFor('the run done', async () => (await block(speaker)).state === 'done')
  })

  it('streams a coloured block (color=true) in colour', async () => {
    // The stored output is coloured too: emptied first, the block shows only what the run sends.
    await speaker.evaluate(() => document.querySelector('section[id="7"] pre[data-output-block] code')?.replaceChildren())
    expect((await postRun({ snippet: 'demo/colour.py' })).status).toBe(202)
    const html = await waitFor('the coloured output', () =>
      speaker.evaluate(() => {
        const pre = document.querySelector<HTMLElement>('section[id="7"] pre[data-output-block]')
        return pre?.dataset.devRunState === 'done' && pre.querySelector('code')!.innerHTML
      }),
    )
    expect(html).toMatch(/^<span style="[^"]*color:\s*#[0-9a-f]{6}[^"]*">red<\/span> plain$/)
  })

  it('swaps an edited slide without steps in place, without a reload', async () => {
    await moveTo(4)
    await audience.evaluate(() => Object.assign(window, { devMark: 'same page' }))
    const count = `count ${Date.now()}`
    writeFileSync(file('snippets', 'demo', 'count.py'), `print("${count}")\n`)
    await waitFor('the new output on slide 5', () => audience.evaluate((text) => document.querySelector('section[id="5"] pre code')?.textContent?.includes(text), count))
    expect(await audience.evaluate(() => (window as { devMark?: string }).devMark)).toBe('same page')
    expect((await activeSlide(audience)).id).toBe('4')
    // The swapped block can run on stage from the presenter view as before; the audience has no control.
    await waitFor('the new output in the presenter view', () => speaker.evaluate((text) => document.querySelector('section[id="5"] pre code')?.textContent?.includes(text), count))
    expect(await speaker.evaluate(() => document.querySelectorAll('section[id="5"] pre[data-output-block] > button.dev-run').length)).toBe(1)
    expect(await audience.evaluate(() => document.querySelectorAll('button.dev-run').length)).toBe(0)
  })

  it('stops the run of an outdated snippet version, and shows the newest', async () => {
    writeFileSync(gate('slow'), '')
    rmSync(gate('slow.pid'), { force: true })
    writeFileSync(file('snippets', 'demo', 'slow.py'), SLOW('slow 2'))
    const pid = await waitFor('the snippet running', () => {
      const text = readFileSync(gate('slow.pid'), 'utf8')
      return text !== '' && alive(Number(text)) && Number(text)
    })
    // Edits in quick succession while it hangs: the hanging run is outdated.
    for (const version of [3, 4, 5]) writeFileSync(file('snippets', 'demo', 'slow.py'), SLOW(`slow ${version}`))
    await waitFor('the outdated run stopped', () => !alive(pid), 30_000)
    rmSync(gate('slow'))
    await waitFor('the newest output', () => audience.evaluate(() => document.querySelector('section[id="6"] pre code')?.textContent === 'slow 5\n'))
  })

  it('re-runs a snippet when a file it reads changes, and shows the new output', async () => {
    const outputs = () => audience.evaluate(() => [...document.querySelectorAll('section[id="8"] pre code')].map((code) => code.textContent))
    await waitFor('the first outputs on slide 8', async () => JSON.stringify(await outputs()) === JSON.stringify(['python 1\n', 'node 1\n']))
    writeFileSync(file('data', 'values.txt'), 'python 2\n')
    await waitFor('the new Python output', async () => (await outputs())[0] === 'python 2\n')
    writeFileSync(file('snippets', 'demo', 'conf.json'), '{"value": "node 2"}\n')
    await waitFor('the new Node.js output', async () => (await outputs())[1] === 'node 2\n')
    expect(dev.output()).toMatch(/ran snippets\/demo\/reads\.py/)
  })

  it('serves nothing but the deck, and runs only snippets the deck names', async () => {
    for (const rawPath of ['/../package.json', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/..%2f..%2fetc/passwd', '//etc/passwd', '/slides/talk.md', '/snippets/demo/greet.py', '/theme/']) {
      expect((await get(dev.url, rawPath)).status, rawPath).toBe(404)
    }
    expect((await get(dev.url, '/', { host: 'evil.example:80' })).status).toBe(403)
    // Another site open in the same browser can neither run snippets nor move the slides.
    const host = new URL(dev.url).host
    const foreign = { host, origin: 'http://evil.example', 'content-type': 'application/json' }
    expect((await get(dev.url, '/__dev/run', foreign, JSON.stringify({ snippet: 'demo/greet.py' }))).status).toBe(403)
    expect((await get(dev.url, '/__dev/navigate', foreign, JSON.stringify({ index: 0, fragment: 0, from: 'x' }))).status).toBe(403)
    expect((await get(dev.url, '/__dev/control', foreign, JSON.stringify({ action: 'black' }))).status).toBe(403)
    expect((await postRun({ snippet: 'demo/helper.py' })).status).toBe(404)
    expect((await postRun({ snippet: '../../package.json' })).status).toBe(404)
    expect((await postRun({ block: 'not-a-block' })).status).toBe(404)
  })

  it('prints the deck and its addresses once at start', () => {
    const lines = dev.output().split('\n')
    expect(lines.filter((line) => line.startsWith('Presenting ')), dev.output()).toEqual(['Presenting slides/talk.md'])
    expect(lines.filter((line) => /^\s+(audience|presenter)\s/.test(line))).toEqual([`  audience   ${dev.url}`, `  presenter  ${dev.presenterUrl}`])
    expect(lines.filter((line) => /^\s+phone\s/.test(line))).toEqual([`  phone      ${dev.url}?view=phone`])
  })

  it('stops on Ctrl-C with no process left', async () => {
    // A server of its own: the others' tests keep theirs.
    const own = await startDev(file('slides', 'talk.md'), project)
    const page = await browser.newPage()
    try {
      await page.goto(own.presenterUrl, { waitUntil: 'load' })
      await joined(page)
      const pid = own.child.pid!
      writeFileSync(gate('armed'), '')
      rmSync(gate('release'), { force: true })
      const run = await get(own.url, '/__dev/run', { 'content-type': 'application/json' }, JSON.stringify({ snippet: 'demo/stream.py' }))
      expect(run.status).toBe(202)
      await waitFor('the running snippet on the slide', async () => {
        const shown = await stage(page)
        return shown.state === 'running' && shown.text.includes('line 2')
      })
      const started = descendants(pid)
      expect(started.length).toBeGreaterThan(0)
      const exited = new Promise<number | null>((resolve) => own.child.once('exit', (code) => resolve(code)))
      own.child.kill('SIGINT')
      // 128 + SIGINT, as every command stopped by Ctrl-C.
      expect(await exited).toBe(130)
      expect(own.output().trim().split('\n').at(-1)).toMatch(/^Interrupted \(SIGINT\): stopped 1 running snippet; the dev server stopped$/)
      // Killed processes take a moment to be reaped; none may stay.
      await waitFor('every process of the server to end', () => started.every((child) => !alive(child)), 10_000)
    } finally {
      await page.close()
      if (own.child.exitCode === null) own.child.kill('SIGKILL')
    }
  })
})
