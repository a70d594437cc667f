/**
 * Hostile input, second round (issue 20): one table per class, a row per variant. Rows that check
 * a message and its position run in-process (prepareDeck, then the Marp Markdown, and
 * formatMessages as the CLI prints them); a few run the CLI (a build starts Node and Chromium).
 * After every row, the output folder, the stored outputs and a folder outside the project are
 * byte-identical to what they were before it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBrowser } from './helpers/browser.ts'
import { prepareDeck } from '../scripts/build/stages.ts'
import { codeBlocks } from '../scripts/render/code-blocks.ts'
import { escapeTerminal, formatMessages } from '../scripts/core/report.ts'
import { deckToMarp } from '../scripts/marp/markdown.ts'
import { renderNotes } from '../scripts/render/notes.ts'
import { replacePaths } from '../scripts/snippets/normalize.ts'
import type { Deck } from '../scripts/slides/deck-model.ts'
import { projectRoot, runCli, runCliProcess } from './helpers/cli.ts'
import { startDev, waitFor } from './helpers/dev-server.ts'
import { snapshot } from './helpers/snapshot.ts'

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-hostile-input-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A 1 x 1 grey PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64')
const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'
const SNIPPETS: Record<string, string> = {
  'demo/hello.py': 'print("hello")\n',
  'demo/-x.py': 'import sys\nprint("ran", sys.argv[0])\n',
  'demo/aaa.py': 'print("a" * 40 + "b")\n',
  'demo/reject.mjs': 'await Promise.reject(new Error("boom"))\n',
  'demo/trojan.py': 'access = "user"\nif access != "user\u202e \u2066# Check if admin\u2069 \u2066":\n    print("admin")\n',
}

interface Project {
  dir: string
  out: string
  /** A folder outside the project that symlinks and absolute paths lead to. */
  outside: string
}

function project(): Project {
  const dir = mkdtempSync(path.join(work, 'case-'))
  const outside = mkdtempSync(path.join(work, 'outside-'))
  const out = path.join(dir, 'dist')
  mkdirSync(out)
  writeFileSync(path.join(out, 'talk.html'), '<p>previous html</p>')
  writeFileSync(path.join(out, 'talk.pdf'), '%PDF previous')
  for (const [name, content] of Object.entries(SNIPPETS)) {
    mkdirSync(path.dirname(path.join(dir, 'snippets', name)), { recursive: true })
    writeFileSync(path.join(dir, 'snippets', name), content)
  }
  writeFileSync(path.join(outside, 'secret.py'), 'print(open("/etc/hostname").read())\n')
  writeFileSync(path.join(outside, 'id_rsa'), SECRET)
  writeFileSync(path.join(outside, 'id_rsa.png'), SECRET)
  writeFileSync(path.join(outside, 'plot.png'), PNG)
  return { dir, out, outside }
}

/** Every file in a folder, byte for byte (the folder outside the project). */
function files(dir: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) found[path.relative(dir, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name), 'latin1')
  }
  return found
}

interface Row {
  name: string
  /** The deck; `$OUT` is the folder outside the project. */
  deck: string
  /** Files in the project (relative names; `$OUT` in a value is replaced). */
  files?: Record<string, string | Buffer>
  /** Symlinks in the project: name -> target (`$OUT` is replaced). */
  links?: Record<string, string>
  /** Whether the deck fails (a fatal message). */
  fatal: boolean
  /** Against the messages as the CLI prints them. */
  messages: RegExp[]
  absent?: RegExp[]
  check?: (result: { deck: Deck | undefined; marp: string | undefined; file: VFile; p: Project }) => void | Promise<void>
}

async function runRow(row: Row): Promise<void> {
  const p = project()
  const fill = (text: string) => text.replaceAll('$OUT', p.outside)
  for (const [name, content] of Object.entries(row.files ?? {})) {
    mkdirSync(path.dirname(path.join(p.dir, name)), { recursive: true })
    writeFileSync(path.join(p.dir, name), typeof content === 'string' ? fill(content) : content)
  }
  for (const [name, target] of Object.entries(row.links ?? {})) symlinkSync(fill(target), path.join(p.dir, name))
  const before = snapshot(p)
  const outsideBefore = files(p.outside)
  const file = new VFile({ path: path.join(p.dir, 'talk.md'), value: fill(row.deck) })
  let deck: Deck | undefined
  let marp: string | undefined
  try {
    deck = await prepareDeck(file, 'reuse')
    marp = deckToMarp(deck, { file })
  } catch (error) {
    if (!(error instanceof VFileMessage)) throw error
  }
  const printed = formatMessages(file)
  for (const message of row.messages) expect(printed).toMatch(message)
  for (const message of row.absent ?? []) expect(printed).not.toMatch(message)
  expect(file.messages.some((message) => message.fatal === true), printed).toBe(row.fatal)
  expect(printed, 'no raw control characters reach the terminal').not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/)
  await row.check?.({ deck, marp, file, p })
  expect(snapshot(p)).toEqual(before)
  expect(files(p.outside)).toEqual(outsideBefore)
}

const block = (attributes: string) => `\`\`\`{${attributes}}\n\`\`\`\n`

describe('symlinks: checked at their real location before "inside the project"', () => {
  const rows: Row[] = [
    {
      name: 'file= through a symlink to a file outside: an error, its content not shown',
      deck: `## S\n\n${block('.python file="demo/key.py"')}`,
      links: { 'snippets/demo/key.py': '$OUT/id_rsa' },
      fatal: true,
      messages: [/talk\.md:3:1 error `demo\/key\.py` is a symlink to `.*\/id_rsa`, outside the snippets folder: not read or run \(snippet-file\)/],
      check: ({ marp }) => expect(marp ?? '').not.toContain('OPENSSH'),
    },
    {
      name: 'run= in a symlinked folder outside: an error, nothing run, no output stored outside',
      deck: `## S\n\n${block('.output run="ext/secret.py"')}`,
      links: { 'snippets/ext': '$OUT' },
      fatal: true,
      messages: [/talk\.md:3:1 error `ext\/secret\.py` is a symlink to `.*\/secret\.py`, outside the snippets folder: not read or run/],
    },
    {
      name: 'file= in a symlinked folder outside',
      deck: `## S\n\nText.\n\n${block('.python file="ext/secret.py"')}`,
      links: { 'snippets/ext': '$OUT' },
      fatal: true,
      messages: [/talk\.md:5:1 error `ext\/secret\.py` is a symlink to/],
    },
    {
      name: 'a .outputs folder that is a symlink outside: no output is stored there',
      deck: `## S\n\n${block('.output run="demo/hello.py"')}`,
      links: { 'snippets/demo/.outputs': '$OUT' },
      fatal: true,
      messages: [/talk\.md:3:1 error `demo\/\.outputs` is a symlink to `.*`, outside the snippets folder: no output is stored there/],
    },
    {
      name: 'a symlink that stays inside snippets/ is read as before',
      deck: `## S\n\n${block('.python file="demo/alias.py"')}`,
      links: { 'snippets/demo/alias.py': 'hello.py' },
      fatal: false,
      messages: [],
      check: ({ marp }) => expect(marp).toContain('print("hello")'),
    },
  ]
  it.each(rows)('$name', runRow)

  it('CLI: run= through a symlinked folder outside: exit 1, dist/ and the stored outputs as they were, nothing written outside', async () => {
    const p = project()
    symlinkSync(p.outside, path.join(p.dir, 'snippets', 'ext'))
    writeFileSync(path.join(p.dir, 'talk.md'), `## S\n\n${block('.output run="ext/secret.py"')}`)
    const before = snapshot(p)
    const result = await runCli(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir })
    expect(result.stderr).toMatch(/^talk\.md:3:1 error `ext\/secret\.py` is a symlink to/m)
    expect(result.status).toBe(1)
    expect(snapshot(p)).toEqual(before)
    expect(readdirSync(p.outside).sort()).toEqual(['id_rsa', 'id_rsa.png', 'plot.png', 'secret.py'])
  })

  it('the dev server with symlink loops in snippets/ serves the deck (pinned Chromium, within 10 s)', async () => {
    const p = project()
    mkdirSync(path.join(p.dir, 'snippets', 'loop'))
    symlinkSync('../loop', path.join(p.dir, 'snippets', 'loop', 'self'))
    symlinkSync('b', path.join(p.dir, 'snippets', 'a'))
    symlinkSync('a', path.join(p.dir, 'snippets', 'b'))
    symlinkSync('..', path.join(p.dir, 'snippets', 'up'))
    writeFileSync(path.join(p.dir, 'talk.md'), '## Looped\n\nServed despite the loops.\n')
    const page = await (await testBrowser()).newPage()
    const dev = await startDev('talk.md', p.dir)
    try {
      // From the server's first line to the slide's text in the browser.
      const text = await waitFor('the deck in the browser', async () => {
        await page.goto(dev.url, { waitUntil: 'load' })
        const body = await page.evaluate(() => document.querySelector('section')?.textContent ?? '')
        return body.includes('Served despite the loops') ? body : undefined
      }, 10_000)
      expect(text).toContain('Looped')
      expect(dev.child.exitCode).toBeNull()
      expect(dev.output()).not.toMatch(/ELOOP|Unhandled|at async/)
    } finally {
      dev.child.kill('SIGTERM')
      await page.close()
    }
  })
})

describe('images: checked by their bytes; outside the project warned', () => {
  const rows: Row[] = [
    {
      name: 'a text file named id_rsa.png in the body: an error, not embedded',
      deck: '## S\n\n![key](id_rsa.png)\n',
      files: { 'id_rsa.png': SECRET },
      fatal: true,
      messages: [/talk\.md:3:1 error Image `id_rsa\.png` is not an image\/png file: its bytes are no image; not embedded \(image-content\)/],
    },
    {
      name: 'an absolute path outside the project to a text file named .png: warned outside, refused by its bytes',
      deck: '## S\n\n![key]($OUT/id_rsa.png)\n',
      fatal: true,
      messages: [/talk\.md:3:1 warning Image `.*id_rsa\.png` is outside the project/, /talk\.md:3:1 error Image `.*id_rsa\.png` is not an image\/png file/],
    },
    {
      name: 'titlegraphic: a text file named .png, outside: positioned at its front-matter line',
      deck: '---\ntitle: T\ntitlegraphic: $OUT/id_rsa.png\n---\n\n## S\n\nText.\n',
      fatal: true,
      messages: [/talk\.md:3:1 warning Image `.*id_rsa\.png` is outside the project/, /talk\.md:3:1 error Image `.*id_rsa\.png` is not an image\/png file/],
    },
    {
      name: 'a real PNG given by an absolute path outside the project: a warning, embedded',
      deck: '## S\n\n![plot]($OUT/plot.png)\n',
      fatal: false,
      messages: [/talk\.md:3:1 warning Image `.*plot\.png` is outside the project \(`.*plot\.png`\): it is embedded in the HTML/],
      check: ({ marp }) => expect(marp).toContain(`data:image/png;base64,${PNG.toString('base64')}`),
    },
    {
      name: 'a symlink in the project to an image outside: warned at its real path',
      deck: '## S\n\n![plot](img/plot.png)\n',
      files: { 'img/.keep': '' },
      links: { 'img/plot.png': '$OUT/plot.png' },
      fatal: false,
      messages: [/talk\.md:3:1 warning Image `img\/plot\.png` is outside the project \(`.*outside-.*\/plot\.png`\)/],
    },
    {
      name: 'a symlink named .png to /dev/zero: an error, never read',
      deck: '## S\n\n![z](z.png)\n',
      links: { 'z.png': '/dev/zero' },
      fatal: true,
      messages: [/talk\.md:3:1 warning Image `z\.png` is outside the project/, /talk\.md:3:1 error Image `z\.png` is not a file \(`\/dev\/zero`\); not embedded/],
    },
    {
      name: 'a PNG named .jpg: an error naming what its bytes are',
      deck: '## S\n\n![plot](plot.jpg)\n',
      files: { 'plot.jpg': PNG },
      fatal: true,
      messages: [/talk\.md:3:1 error Image `plot\.jpg` is not an image\/jpeg file: its bytes are an image\/png \(give it its right extension\)/],
    },
    {
      name: 'an SVG and a PNG in the project: no message',
      deck: '## S\n\n![a](a.svg) ![b](b.png)\n',
      files: { 'a.svg': '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n', 'b.png': PNG },
      fatal: false,
      messages: [],
      absent: [/Image/],
    },
  ]
  it.each(rows)('$name', runRow)

  it('CLI: id_rsa.png as titlegraphic: exit 1, dist/ as it was', async () => {
    const p = project()
    writeFileSync(path.join(p.dir, 'id_rsa.png'), SECRET)
    writeFileSync(path.join(p.dir, 'talk.md'), '---\ntitle: T\ntitlegraphic: id_rsa.png\n---\n\n## S\n')
    const before = snapshot(p)
    const result = await runCli(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir })
    expect(result.stderr).toMatch(/^talk\.md:3:1 error Image `id_rsa\.png` is not an image\/png file/m)
    expect(result.status).toBe(1)
    expect(snapshot(p)).toEqual(before)
  })
})

describe('snippet names are never read as options', () => {
  const rows: Row[] = [
    {
      name: 'run="demo/-x.py" runs the file (passed as ./-x.py)',
      deck: `## S\n\n${block('.output run="demo/-x.py"')}`,
      fatal: false,
      messages: [],
      absent: [/Unknown option/],
      check: ({ marp }) => expect(marp).toContain('ran ./-x.py'),
    },
    {
      name: 'file="demo/-x.py" shows the file',
      deck: `## S\n\n${block('.python file="demo/-x.py"')}`,
      fatal: false,
      messages: [],
      check: ({ marp }) => expect(marp).toContain('print("ran", sys.argv[0])'),
    },
  ]
  it.each(rows)('$name', runRow)
})

describe('URL schemes in notes filtered as on slides', () => {
  const notes = (link: string) => `## S\n\nText.\n\n::: notes\nSee [here](${link}) and <${link}>.\n:::\n`
  it.each([
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    ['vbscript:msgbox(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['file:///etc/passwd', false],
    ['https://example.com/', true],
  ] as Array<[string, boolean]>)('%s (kept: %s)', async (link, kept) => {
    const file = new VFile({ path: path.join(work, 'notes.md'), value: notes(link) })
    const deck = await prepareDeck(file, 'reuse')
    const html = renderNotes(deck).get(0) ?? ''
    expect(html).toContain('here')
    expect(html.includes(`href="${link}"`)).toBe(kept)
    expect(/href="\s*(javascript|vbscript|data|file):/i.test(html)).toBe(false)
  })
})

describe('raw HTML that runs script: a warning at its line (kept, as pandoc keeps raw HTML)', () => {
  const rows: Row[] = [
    { name: '<script> block', deck: '## S\n\nText.\n\n<script>alert(1)</script>\n', fatal: false, messages: [/talk\.md:5:1 warning Raw HTML with `<script>`: it runs when the HTML is opened .*\(raw-html-script\)/] },
    { name: 'onerror= on an inline image', deck: '## S\n\nA picture <img src=x onerror="alert(1)"> here.\n', fatal: false, messages: [/talk\.md:3:11 warning Raw HTML with `onerror=`/] },
    { name: 'onload= on a block tag, on the second line of a block', deck: '## S\n\n<div>\n<svg onload="alert(1)"></svg>\n</div>\n', fatal: false, messages: [/talk\.md:4:1 warning Raw HTML with `onload=`/] },
    { name: 'a javascript: URL in raw HTML', deck: '## S\n\n<a href="javascript:alert(1)">x</a> text\n', fatal: false, messages: [/talk\.md:3:1 warning Raw HTML with a `javascript:` URL/] },
    { name: 'an {=html} raw block with a script', deck: '## S\n\n```{=html}\n<script>alert(1)</script>\n```\n', fatal: false, messages: [/talk\.md:3:1 warning Raw HTML with `<script>`/] },
    { name: 'harmless raw HTML: no warning', deck: '## S\n\n<b>bold</b> and <span class="x">span</span>\n', fatal: false, messages: [], absent: [/raw-html-script/] },
  ]
  it.each(rows)('$name', runRow)
})

describe('control characters escaped in every terminal message', () => {
  const rows: Row[] = [
    {
      name: 'ESC and BEL in a front-matter value (OSC 0, the window title)',
      deck: '---\naspectratio: "43\x1b]0;pwned\x07"\n---\n\n## S\n',
      fatal: true,
      messages: [/talk\.md:2:14 error Expected `aspectratio` to be one of .*, not `43\\x1b\]0;pwned\\x07`/],
    },
    {
      name: 'OSC 52 (the clipboard) in an attribute',
      deck: `## S\n\n${block('.output run="demo/hello.py" max-lines="\x1b]52;c;cm0gLXJmIH4K\x07"')}`,
      fatal: true,
      messages: [/talk\.md:3:1 error Expected `max-lines` to be a positive whole number, not `\\x1b\]52;c;cm0gLXJmIH4K\\x07`/],
    },
    {
      name: 'a CSI (C1) and a bidi override in a missing snippet name',
      deck: `## S\n\n${block('.python file="demo/\x9b31m\u202eyp.olleh"')}`,
      fatal: true,
      messages: [/talk\.md:3:1 error Cannot find snippet `demo\/\\x9b31m\\u202eyp\.olleh`/],
    },
  ]
  it.each(rows)('$name', runRow)

  it('escapeTerminal keeps line feeds and tabs, escapes the rest', () => {
    expect(escapeTerminal('a\x1b[31mb\x07\n\tc\x7f\u202ed')).toBe('a\\x1b[31mb\\x07\n\tc\\x7f\\u202ed')
  })
})

describe('user patterns (replace=) run with a time budget', () => {
  const rows: Row[] = [
    {
      name: 'a pattern that backtracks without end: stopped, an error at its block',
      deck: `## S\n\n${block('.output run="demo/aaa.py" replace="^(a+)+$=>X"')}`,
      fatal: true,
      messages: [/talk\.md:3:1 error The pattern in `replace` \(`\^\(a\+\)\+\$`\) ran longer than 2 s on the output and was stopped: it backtracks without end .*\(snippet-shape\)/],
    },
    {
      name: 'an ordinary pattern replaces as before',
      deck: `## S\n\n${block('.output run="demo/hello.py" replace="h(el)lo=>H$1P"')}`,
      fatal: false,
      messages: [],
      check: ({ marp }) => expect(marp).toContain('HelP'),
    },
    {
      name: 'a pattern that is no regular expression: an error',
      deck: `## S\n\n${block('.output run="demo/hello.py" replace="(=>x"')}`,
      fatal: true,
      messages: [/talk\.md:3:1 error Bad regular expression in `replace`/],
    },
  ]
  it.each(rows)('$name', runRow)
})

describe('ranges checked against the block before they are expanded', () => {
  const code = '```{.python #ATTR#}\na = 1\nb = 2\nc = 3\n```\n'
  const rows: Row[] = [
    ['highlight="1-99999999999"', /talk\.md:3:1 error The line range `1-99999999999` in highlight="1-99999999999" is outside the block, which has 3 lines \(code-highlight\)/],
    ['highlight="1-100000000"', /talk\.md:3:1 error The line range `1-100000000` .* is outside the block, which has 3 lines/],
    ['highlight="2|4"', /talk\.md:3:1 error The line range `4` in highlight="2\|4" is outside the block/],
    ['highlight="3-1"', /talk\.md:3:1 error The line range `3-1` in highlight="3-1" is backwards/],
    [`.numberLines startFrom="${'9'.repeat(400)}"`, /talk\.md:3:1 error Expected `startFrom` to be a whole number of at most 9 digits, not `9{40}\.\.\.`/],
    ['startFrom="x"', /talk\.md:3:1 error Expected `startFrom` to be a whole number/],
  ].map(([attribute, message]) => ({ name: String(attribute), deck: `## S\n\n${code.replace('#ATTR#', String(attribute))}`, fatal: true, messages: [message as RegExp] }))
  rows.push(
    { name: 'lines="1-99999999999" on a file', deck: `## S\n\n${block('.python file="demo/hello.py" lines="1-99999999999"')}`, fatal: true, messages: [/talk\.md:3:1 error Lines `1-99999999999` are outside `snippets\/demo\/hello\.py`, which has 1 lines/] },
    { name: 'highlight="2-3" within the block', deck: `## S\n\n${code.replace('#ATTR#', '.numberLines startFrom="-5" highlight="2-3"')}`, fatal: false, messages: [], check: ({ marp }) => expect(marp).toMatch(/number-from=-5 steps=2,3/) },
  )
  it.each(rows)('$name', runRow)
})

describe('line endings normalised when a deck is read', () => {
  it('a CRLF deck: positions as in the editor, no CR in the code the highlighter caches', async () => {
    const file = new VFile({ path: path.join(work, 'crlf.md'), value: '## S\r\n\r\n```python\r\nprint(1)\r\n```\r\n\r\n\\foo{x}\r\n' })
    const deck = await prepareDeck(file, 'reuse')
    expect(codeBlocks(deck)).toEqual([{ code: 'print(1)\n', lang: 'python' }])
    expect(formatMessages(file)).toMatch(/crlf\.md:7:1 warning/)
  })

  it('CLI: a CRLF deck keeps its highlighting on the second build', async () => {
    const p = project()
    writeFileSync(path.join(p.dir, 'talk.md'), '## S\r\n\r\n```python\r\ndef f(x):\r\n    return x\r\n```\r\n')
    const colours = () => (readFileSync(path.join(p.out, 'talk.html'), 'utf8').match(/<span style="color:#[0-9A-Fa-f]{6}/g) ?? []).length
    const first = await runCli(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir })
    expect(first.status, first.stderr).toBe(0)
    const once = colours()
    expect(once).toBeGreaterThan(0)
    const second = await runCli(['build', 'talk.md', '--html', '--force', '--out', p.out], { cwd: p.dir })
    expect(second.status, second.stderr).toBe(0)
    expect(colours()).toBe(once)
  })
})

describe('the PDF\'s fonts come from npm: emoji, symbols, italics', () => {
  /** Builds `markdown` as talk.md into a PDF: its path and what pdffonts says of it. */
  async function pdfOf(markdown: string): Promise<{ pdf: string; fonts: string }> {
    const p = project()
    writeFileSync(path.join(p.dir, 'talk.md'), markdown)
    const result = await runCli(['build', 'talk.md', '--pdf', '--out', p.out], { cwd: p.dir })
    expect(result.status, result.stderr).toBe(0)
    const pdf = path.join(p.out, 'talk.pdf')
    const fonts = spawnSync('pdffonts', [pdf], { encoding: 'utf8' })
    expect(fonts.status).toBe(0)
    return { pdf, fonts: fonts.stdout }
  }

  it('CLI: an emoji in a title, text and code is drawn with the embedded Noto Emoji', async () => {
    const { fonts } = await pdfOf('---\ntitle: "Party \u{1F389}"\n---\n\n## Snake \u{1F40D}\n\nRocket \u{1F680}.\n\n```text\ndone \u2728\n```\n')
    // Both pages (the title page, the slide) draw glyphs from the emoji font.
    expect(fonts.match(/NotoEmoji-Regular/g)?.length ?? 0).toBeGreaterThanOrEqual(2)
  })

  it('CLI: *italic* is italic in a font that has an italic (Fira Sans), upright in one that has none (Fira Code), as beamer falls back', async () => {
    const build = async (font: string, text: string) => {
      const { pdf, fonts } = await pdfOf(`---\ntitle: T\n${font ? `mainfont: "${font}"\n` : ''}---\n\n## Words\n\n${text}\n`)
      const png = spawnSync('pdftoppm', ['-png', '-r', '40', '-f', '2', '-l', '2', pdf], { maxBuffer: 1 << 26 }).stdout as Buffer
      return { fonts, png }
    }
    expect((await build('', 'Some *slanted* words.')).fonts).toContain('FiraSans-Italic')
    const [italic, plain] = [await build('Fira Code', 'Some *slanted* words.'), await build('Fira Code', 'Some slanted words.')]
    expect(italic.fonts).not.toMatch(/Italic|Oblique/)
    // Not the browser's slanted upright either: the page is the one without the emphasis.
    expect(italic.png.length).toBeGreaterThan(0)
    expect(italic.png.equals(plain.png)).toBe(true)
  })

  it('CLI: arrows and mathematical symbols in text and code are drawn with the embedded Noto Sans Math, no system font, no emoji', async () => {
    const { fonts } = await pdfOf('## Symbols\n\nA \u2192 B \u21D2 C \u2194 D, x \u2264 y \u2260 z, \u2200 n \u2208 \u211D, \u25B6 \u2713.\n\n```text\nstate \u21D2 next \u2264 limit \u2260 0 \u2192 done \u2194 \u2713\n```\n')
    const names = fonts.split('\n').slice(2).map((row) => row.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, '')).filter(Boolean)
    expect(names).toContain('NotoSansMath-Regular')
    // Only the theme's fonts: none the machine happens to have (DejaVu, Liberation, ...); and no
    // emoji font: \u2194 and \u25B6 are text, not Noto Emoji's boxed pictures.
    for (const name of names) expect(name).toMatch(/^(FiraSans|FiraCode|FiraMono|CMUTypewriter|NotoSansMath)/)
  })
})

describe('bidi control characters in code: warned and shown', () => {
  const rows: Row[] = [
    {
      name: 'a snippet file (Trojan Source)',
      deck: `## S\n\n${block('.python file="demo/trojan.py"')}`,
      fatal: false,
      messages: [/talk\.md:3:1 warning Code holds bidirectional control characters \(U\+202E, U\+2066, U\+2069\) \(line 2 of the code\): .*CVE-2021-42574.* \(bidi-control\)/],
      check: ({ marp }) => {
        expect(marp).toContain('"user<U+202E> <U+2066># Check if admin<U+2069> <U+2066>"')
        expect(marp).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
      },
    },
    {
      name: 'a fenced block in the deck: at the line that holds it',
      deck: '## S\n\n```python\nok = 1\nx = "\u2067abc\u2069"\n```\n',
      fatal: false,
      messages: [/talk\.md:5:1 warning Code holds bidirectional control characters \(U\+2067, U\+2069\)/],
    },
    {
      name: 'inline code',
      deck: '## S\n\nSee `a\u202eb`.\n',
      fatal: false,
      messages: [/talk\.md:3:5 warning Code holds bidirectional control characters \(U\+202E\)/],
      check: ({ marp }) => expect(marp).toContain('`a<U+202E>b`'),
    },
  ]
  it.each(rows)('$name', runRow)
})

describe('deep nesting: rendered, or a positioned error', () => {
  const list = (depth: number) => Array.from({ length: depth }, (_, i) => `${'    '.repeat(i)}- level ${i + 1}`).join('\n')
  const quote = (depth: number) => `${'> '.repeat(depth)}deep quote`
  const render = async (markdown: string) => {
    const { default: createEngine } = await import('../scripts/render/engine.ts')
    return createEngine({}).render(markdown).html
  }
  it.each([
    ['a 12-level outline', `## S\n\n${list(12)}\n`, '<li>', 12, 'level 12'],
    ['a 21-level list', `## S\n\n${list(21)}\n`, '<li>', 21, 'level 21'],
    ['quotes 25 deep', `## S\n\n${quote(25)}\n`, '<blockquote>', 25, 'deep quote'],
    ['quotes 100 deep', `## S\n\n${quote(100)}\n`, '<blockquote>', 100, 'deep quote'],
  ] as Array<[string, string, string, number, string]>)('%s is rendered whole', async (_name, markdown, tag, count, text) => {
    const file = new VFile({ path: path.join(work, 'deep.md'), value: markdown })
    const deck = await prepareDeck(file, 'reuse')
    expect(formatMessages(file)).toBe('')
    const html = await render(deckToMarp(deck, { file }))
    expect(html.split(tag).length - 1).toBe(count)
    expect(html).toContain(text)
  })

  const rows: Row[] = [
    { name: 'quotes 101 deep: an error at the quote too deep (before parsing)', deck: `## S\n\n${quote(101)}\n`, fatal: true, messages: [/talk\.md:3:201 error Block quotes nested more than 100 deep here: at most 100 are rendered \(flatten the outline\) \(deep-nesting\)/] },
    { name: 'quotes 5000 deep: refused before parsing', deck: `## S\n\n${quote(5000)}\n`, fatal: true, messages: [/talk\.md:3:201 error Block quotes nested more than 100 deep here/] },
    { name: '3000 list markers on one line: refused before parsing', deck: `## S\n\n${'- '.repeat(3000)}x\n`, fatal: true, messages: [/talk\.md:3:1 error Lists nested more than 100 deep here \(indented 6000 columns\)/] },
    { name: 'lists 2000 deep: refused before parsing', deck: `## S\n\n${list(2000)}\n`, fatal: true, messages: [/talk\.md:103:1 error Lists nested more than 100 deep here \(indented 402 columns\)/] },
    { name: 'lists 101 deep, two columns a level: an error at the list too deep (after parsing)', deck: `## S\n\n${list(101).replace(/^((?:    )*)/gm, (indent) => indent.slice(indent.length / 2))}\n`, fatal: true, messages: [/talk\.md:103:201 error Lists nested 101 deep here: at most 100 are rendered/] },
  ]
  it.each(rows)('$name', runRow)
})

describe('a TMPDIR that cannot be written is named as the cause', () => {
  it.each([
    ['missing', (dir: string) => path.join(dir, 'no-such-tmp'), /does not exist/],
    ['a file', (dir: string) => (writeFileSync(path.join(dir, 'tmpfile'), ''), path.join(dir, 'tmpfile')), /is not a folder/],
  ] as Array<[string, (dir: string) => string, RegExp]>)('TMPDIR %s: exit 1, not "run npm install", outputs kept', async (_name, tmp, why) => {
    const p = project()
    writeFileSync(path.join(p.dir, 'talk.md'), '## S\n\nText.\n')
    const tmpdir = tmp(p.dir)
    const before = snapshot(p)
    // A child process: the temporary folder is the process's, read where the browser is found.
    const result = await runCliProcess(['build', 'talk.md', '--out', p.out], { cwd: p.dir, env: { TMPDIR: tmpdir } })
    expect(result.stderr).toMatch(new RegExp(`^talk\\.md error The temporary folder \`${tmpdir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` \\(TMPDIR\\) ${why.source}: .*set TMPDIR to a writable folder`, 'm'))
    expect(result.stderr).not.toContain('npm install')
    expect(result.status).toBe(1)
    expect(snapshot(p)).toEqual(before)
  })
})

describe('a read-only TMPDIR (a read-only mount: the tests run as root, whom modes do not stop)', () => {
  it('CLI in a mount namespace of its own: exit 1, TMPDIR named, outputs kept', async () => {
    const p = project()
    writeFileSync(path.join(p.dir, 'talk.md'), '## S\n\nText.\n')
    const tmpdir = path.join(p.dir, 'readonly-tmp')
    mkdirSync(tmpdir)
    const before = snapshot(p)
    // unshare: a user and mount namespace, where TMPDIR is bind-mounted read-only over itself.
    const script = 'mount --bind "$TMPDIR" "$TMPDIR" && mount -o remount,bind,ro "$TMPDIR" && exec "$0" "$@"'
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('unshare', ['-rm', 'sh', '-c', script, process.execPath, path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', 'build', 'talk.md', '--out', p.out], {
        cwd: p.dir,
        env: { ...process.env, CI: '', TMPDIR: tmpdir },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('close', (status) => resolve({ status, stderr }))
    })
    expect(result.stderr).toMatch(/^talk\.md error The temporary folder `.*readonly-tmp` \(TMPDIR\) is on a read-only file system: .*set TMPDIR to a writable folder/m)
    expect(result.stderr).not.toContain('npm install')
    expect(result.status).toBe(1)
    expect(snapshot(p)).toEqual(before)
  })
})

describe('file URLs in output normalised like paths', () => {
  it('a Node stack with file:///.../snippets/x.mjs', async () => {
    await runRow({
      name: 'node',
      deck: `## S\n\n${block('.output run="demo/reject.mjs" exit="1"')}`,
      fatal: false,
      messages: [],
      check: ({ marp, p }) => {
        expect(marp).toMatch(/snippets\/demo\/reject\.mjs:1/)
        expect(marp).not.toContain('file://')
        expect(marp).not.toContain(p.dir)
      },
    })
  })
  it.each([
    ['file:///w/p/snippets/x.mjs:3:9', 'snippets/x.mjs:3:9'],
    ['at file:///w%20s/p/snippets/x.mjs:3', 'at file:///w%20s/p/snippets/x.mjs:3'],
    ['file:///w/p/other.mjs:1', './other.mjs:1'],
    ['see https://example.com/w/p/snippets', 'see https://example.com/w/p/snippets'],
  ])('%s -> %s', (from, to) => {
    expect(replacePaths(from, { snippetsDir: '/w/p/snippets', projectDir: '/w/p', replacements: [] })).toBe(to)
  })
  it('a project path with a space, as Node percent-encodes it', () => {
    expect(replacePaths('at file:///w%20s/p/snippets/x.mjs:3', { snippetsDir: '/w s/p/snippets', projectDir: '/w s/p', replacements: [] })).toBe('at snippets/x.mjs:3')
  })
})

describe('raw HTML inside a fenced div read as pandoc reads it', () => {
  const rows: Row[] = [
    {
      name: 'an HTML table in a div: the div holds it, the fence closes it',
      deck: '## S\n\n::: {.foo}\n<table>\n<tr><td>a</td></tr>\n</table>\n:::\n\nAfter.\n',
      fatal: false,
      messages: [],
      absent: [/Unclosed div/],
      check: ({ deck }) => {
        const div = deck!.slides[0]!.body[0] as unknown as { type: string; children: Array<{ type: string; value?: string }> }
        expect(div.type).toBe('fencedDiv')
        expect(div.children.map((child) => child.value).join('\n')).toBe('<table>\n<tr><td>a</td></tr>\n</table>')
        expect(deck!.slides[0]!.body[1]?.type).toBe('paragraph')
      },
    },
    {
      name: 'a <pre> in a div keeps a line of colons as its content',
      deck: '## S\n\n::: foo\n<pre>\n:::\n</pre>\n:::\n',
      fatal: false,
      messages: [],
      check: ({ deck }) => {
        const div = deck!.slides[0]!.body[0] as unknown as { children: Array<{ value?: string }> }
        expect(div.children[0]?.value).toBe('<pre>\n:::\n</pre>')
      },
    },
  ]
  it.each(rows)('$name', runRow)
})

describe('verify shows what a hand-edited committed output holds', () => {
  it('CLI: the diff\'s committed side is the file\'s text; nothing "replaced"; nothing written', async () => {
    const p = project()
    writeFileSync(path.join(p.dir, 'talk.md'), `## S\n\n${block('.output run="demo/hello.py"')}`)
    const built = await runCli(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir })
    expect(built.status, built.stderr).toBe(0)
    const stored = path.join(p.dir, 'snippets', 'demo', '.outputs', 'hello.py.out')
    writeFileSync(stored, readFileSync(stored, 'utf8').replace(/\nhello\n$/, '\nhello, edited by hand\n'))
    const before = snapshot(p)
    const result = await runCli(['verify', 'talk.md'], { cwd: p.dir })
    expect(result.stdout).toContain('the committed output is corrupt (its header says 6 bytes of output, the file has 22)')
    expect(result.stdout).toMatch(/^-hello, edited by hand$/m)
    expect(result.stdout).toMatch(/^\+hello$/m)
    expect(result.stderr).toMatch(/talk\.md:3:1 warning The stored output .* is corrupt .*: compared with a new run/)
    expect(result.stderr + result.stdout).not.toContain('replaced by a new run')
    expect(result.status).toBe(1)
    expect(snapshot(p)).toEqual(before)
  })
})

describe('a % title block only at the very start of the file', () => {
  const rows: Row[] = [
    { name: 'at the start: the title', deck: '% My title\n% Ada\n\n## S\n\ntext\n', fatal: false, messages: [], check: ({ deck }) => expect(deck!.settings.title).toBe('My title') },
    { name: 'after a blank line: a paragraph', deck: '\n% My title\n% Ada\n\n## S\n\ntext\n', fatal: false, messages: [], check: ({ deck }) => expect(deck!.settings.title).toBeUndefined() },
    {
      name: 'after YAML front matter: a paragraph',
      deck: '---\nlang: en\n---\n\n% Not a title block\n\n## S\n\ntext\n',
      fatal: false,
      messages: [],
      check: ({ deck, marp }) => {
        expect(deck!.settings.title).toBeUndefined()
        expect(marp).toContain('% Not a title block')
      },
    },
  ]
  it.each(rows)('$name', runRow)
})
