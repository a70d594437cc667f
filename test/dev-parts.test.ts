/** The dev server's pure parts: which paths it could ever serve, which slides swap in place, notes. */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Deck } from '../scripts/slides/deck-model.ts'
import { renderNotes, replaceNotes } from '../scripts/render/notes.ts'
import { patchOutputs } from '../scripts/dev/output-patch.ts'
import { changedSlides } from '../scripts/dev/patch.ts'
import type { StageBlock } from '../scripts/dev/page.ts'
import { safePath } from '../scripts/dev/server.ts'
import { startupText } from '../scripts/cli/dev-command.ts'
import { difference } from '../scripts/dev/stage-run.ts'
import { parseDuration, parseSettings } from '../scripts/reader/settings.ts'
import { VFile } from 'vfile'

describe('safePath', () => {
  it.each([
    ['/', true],
    ['/__dev/events', true],
    ['/../package.json', false],
    ['/a/../../b', false],
    ['/%2e%2e/package.json', false],
    ['/%2E%2E%2Fetc%2Fpasswd', false],
    ['/..%5c..%5cwindows', false],
    ['//etc/passwd', false],
    ['/%2F%2Fetc', false],
    ['/a%00b', false],
    ['/%zz', false],
    ['relative', false],
  ])('%s -> %s', (raw, safe) => {
    expect(safePath(raw)).toBe(safe)
  })
})

const page = (head: string, sections: string[], tail = '<div class="bespoke-marp-note" data-index="0">n</div>') =>
  `<head><style>${head}</style></head><div id=":$p">${sections
    .map((section) => `<svg data-marpit-svg="" viewBox="0 0 1280 720"><foreignObject width="1280" height="720">${section}</foreignObject></svg>`)
    .join('')}</div>${tail}`
const block: StageBlock = { id: 'a1', slide: 1, request: { kind: 'run', snippet: 'a.py', timeoutMs: 10_000, select: [] }, shape: { traceback: 'full', marker: '...' }, stored: { text: 'x', exit: '0' } }

describe('changedSlides', () => {
  const before = { html: page('red', ['<section id="1">a</section>', '<section id="2">b</section>']), blocks: [block] }
  it('names the slides whose markup changed', () => {
    expect(changedSlides(before, { html: page('red', ['<section id="1">a</section>', '<section id="2">c</section>']), blocks: [block] })).toEqual([1])
  })
  it('asks for a reload when the styles, the slide count, the notes or the blocks change', () => {
    expect(changedSlides(before, { html: page('blue', ['<section id="1">a</section>', '<section id="2">c</section>']), blocks: [block] })).toBeUndefined()
    expect(changedSlides(before, { html: page('red', ['<section id="1">a</section>']), blocks: [block] })).toBeUndefined()
    expect(changedSlides(before, { html: page('red', ['<section id="1">a</section>', '<section id="2">c</section>'], '<div class="bespoke-marp-note" data-index="0">m</div>'), blocks: [block] })).toBeUndefined()
    expect(changedSlides(before, { html: page('red', ['<section id="1">a</section>', '<section id="2">c</section>']), blocks: [] })).toBeUndefined()
  })
  it('swaps a slide whose block shows a new stored output', () => {
    expect(changedSlides(before, { html: page('red', ['<section id="1">a</section>', '<section id="2">c</section>']), blocks: [{ ...block, stored: { text: 'y', exit: '1' } }] })).toEqual([1])
  })
  it('asks for a reload when a changed slide has steps (Marp collected them at load)', () => {
    const stepped = { html: page('red', ['<section id="1">a</section>', '<section id="2"><div data-marpit-fragment>b</div></section>']), blocks: [block] }
    expect(changedSlides(stepped, { html: page('red', ['<section id="1">a</section>', '<section id="2"><div data-marpit-fragment>c</div></section>']), blocks: [block] })).toBeUndefined()
    // A slide with steps that did not change does not matter.
    expect(changedSlides(stepped, { html: page('red', ['<section id="1">z</section>', '<section id="2"><div data-marpit-fragment>b</div></section>']), blocks: [block] })).toEqual([0])
  })
})

describe('patchOutputs', () => {
  const out = (text: string, line = 4) => `<pre class="console output" data-line="${line}"><code>${text}\n</code></pre>`
  const lint = (text: string) => `<pre class="console lint"><code>${text}\n</code></pre>`
  const markdown = (a: string, b: string, title = 'One') => `## ${title}\n\n${out(a)}\n\n${lint(b)}\n\n---\n\n${out('x &amp; y', 9)}\n`
  const html = (a: string, b: string) => `<section><h2>One</h2>\n${out(a)}\n${lint(b)}\n</section><section>\n${out('x &amp; y', 9)}\n</section>`
  const before = { markdown: markdown('old\nlines', 'a.py:1:1 E1'), html: html('old\nlines', 'a.py:1:1 E1') }

  it('exchanges the output and lint blocks that changed, in the page as Marp rendered it', () => {
    expect(patchOutputs(before, markdown('new &lt;out&gt;', 'a.py:2:1 E1'))).toBe(html('new &lt;out&gt;', 'a.py:2:1 E1'))
  })
  it('refuses any other change, a change in the number of blocks, and a page without the blocks as they were', () => {
    expect(patchOutputs(before, markdown('new', 'a.py:1:1 E1', 'Two'))).toBeUndefined()
    expect(patchOutputs(before, `${markdown('new', 'a.py:1:1 E1')}\n${out('more')}\n`)).toBeUndefined()
    expect(patchOutputs({ ...before, html: before.html.replace('old\nlines', 'old<br>lines') }, markdown('new', 'a.py:1:1 E1'))).toBeUndefined()
  })
  it('leaves blocks that are not alone on their lines (inside a list or a quote) to Marp', () => {
    const quoted = { markdown: `> ${out('a')}\n`, html: `<blockquote>\n${out('a')}\n</blockquote>` }
    expect(patchOutputs(quoted, `> ${out('b')}\n`)).toBeUndefined()
  })
})

describe('notes', () => {
  const deck = {
    slides: [
      { kind: 'content', title: [], titleText: 'A', body: [], classes: [] },
      {
        kind: 'content',
        title: [],
        titleText: 'B',
        classes: [],
        body: [
          { type: 'paragraph', children: [{ type: 'text', value: 'On the slide' }] },
          {
            type: 'fencedDiv',
            attributes: { classes: ['notes'], values: {} },
            closed: true,
            children: [{ type: 'paragraph', children: [{ type: 'text', value: 'Say ' }, { type: 'emphasis', children: [{ type: 'text', value: 'this' }] }, { type: 'text', value: ' with ' }, { type: 'inlineCode', value: 'a < b' }] }],
          },
        ],
      },
    ],
  } as unknown as Deck

  it('renders each slide\'s notes from their Markdown', () => {
    expect([...renderNotes(deck)]).toEqual([[1, '<p>Say <em>this</em> with <code>a &#x3C; b</code></p>']])
  })

  it('puts them into Marp\'s note elements, by slide index', () => {
    const html = '<div class="bespoke-marp-note" data-index="1" tabindex="0"><p>Say *this* with `a &lt; b`</p></div><div class="bespoke-marp-note" data-index="3" tabindex="0"><p>x</p></div>'
    expect(replaceNotes(html, renderNotes(deck))).toBe(
      '<div class="bespoke-marp-note" data-index="1" tabindex="0"><p>Say <em>this</em> with <code>a &#x3C; b</code></p></div><div class="bespoke-marp-note" data-index="3" tabindex="0"><p>x</p></div>',
    )
  })
})

describe('startupText', () => {
  const server = { url: 'http://127.0.0.1:5/', presenterUrl: 'http://127.0.0.1:5/?view=presenter', token: undefined, host: '127.0.0.1' }
  it('names the deck once, and the other decks there are', () => {
    const text = startupText(path.resolve('slides', 'b.md'), 3, server)
    expect(text.split('\n').filter((line) => line.includes('Presenting'))).toEqual([`Presenting ${path.join('slides', 'b.md')} (one of 3 decks: name another to present it)`])
    expect(startupText(path.resolve('slides', 'b.md'), 1, server).split('\n').slice(0, 3)).toEqual([`Presenting ${path.join('slides', 'b.md')}`, '  audience   http://127.0.0.1:5/', '  presenter  http://127.0.0.1:5/?view=presenter'])
  })
  it('prints the phone address and every key', () => {
    const text = startupText('/x/a.md', 1, { ...server, phoneUrl: 'http://10.0.0.2:5/?view=phone&token=abc' })
    expect(text).toContain('  phone      http://10.0.0.2:5/?view=phone&token=abc')
    for (const key of ['b (or .) black screen', 'w white screen', 'r runs', 'u puts the stored outputs back', 't restarts']) expect(text).toContain(key)
  })
  it('warns first when listening beyond loopback', () => {
    expect(startupText('/x/a.md', 1, { ...server, token: 'abc', host: '0.0.0.0' })).toMatch(/^Warning: listening on 0\.0\.0\.0, reachable from other machines/)
  })
})

describe('difference (a live run against the stored output)', () => {
  it('is undefined when the text and the exit status are the same (trailing newlines aside)', () => {
    expect(difference({ text: 'a\nb', exit: '0' }, { text: 'a\nb\n', exit: '0' })).toBeUndefined()
  })
  it('gives a line diff, stored lines with -, live ones with +', () => {
    expect(difference({ text: 'a\nsay "hi"\nc', exit: '0' }, { text: 'a\nsay "bye"\nc', exit: '0' })).toBe('  a\n- say "hi"\n+ say "bye"\n  c')
  })
  it('names another exit status, also when the text is the same', () => {
    expect(difference({ text: 'a', exit: '0' }, { text: 'a', exit: '1' })).toBe('exit: stored 0, live 1')
    expect(difference({ text: 'a', exit: '0' }, { text: '', exit: 'none' })).toBe('exit: stored 0, live none (stopped)\n- a\n+ ')
  })
})

describe('parseDuration (talk-length, --talk-length)', () => {
  it.each([
    ['30min', 1800],
    ['45 m', 2700],
    ['1h', 3600],
    ['1h30min', 5400],
    ['90s', 90],
    ['25:00', 1500],
    ['1:05:00', 3900],
  ])('%s -> %i s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds)
  })
  it.each(['', '30', 'soon', '0min', '5:75', '-3min'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
  it('reads the front matter keys, and names a bad value at its position', () => {
    const file = new VFile({ path: 'talk.md' })
    expect(parseSettings('talk-length: 45min\nshow-errors: true\n', { line: 2, column: 1, offset: 4 }, file)).toMatchObject({ talkLength: 2700, showErrors: true })
    expect(() => parseSettings('title: T\ntalk-length: soon\n', { line: 2, column: 1, offset: 4 }, file)).toThrow('Expected `talk-length` to be a length of time such as `30min`, `1h15min` or `25:00`, not `soon`')
    expect(file.messages.at(-1)?.place).toMatchObject({ line: 3, column: 14 })
  })
})
