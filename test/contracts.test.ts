/**
 * Contracts with other packages' internals that the toolchain relies on without a public API.
 * Each test names the package and the assumption, and the file of ours that makes it, so that an
 * upgrade that breaks one fails here with its cause rather than somewhere downstream. (Marp's
 * markup, which needs a browser, is under contract in marp-contract.test.ts.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumFlags } from '../scripts/browser/puppeteer-coupling.ts'
import { findBrowser } from '../scripts/browser/browser.ts'
import { cacheDir } from '../scripts/core/cache.ts'
import { MATH_MODULES } from '../scripts/render/deferred-math.ts'
import { pandocMarkdown } from '../scripts/reader/parse.ts'
import { rememberThemePacks } from '../scripts/render/theme-packs.ts'

const require = createRequire(import.meta.url)
/** A file of an installed package, found from its entry point (not every package exports package.json). */
function packageFile(name: string, file: string): string {
  let dir = path.dirname(require.resolve(name))
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return path.join(dir, file)
}

describe('puppeteer-core (browser/puppeteer-coupling.ts)', () => {
  it('exports its pipe transport under internal/node/PipeTransport.js, built from (write, read)', async () => {
    const module = await import('puppeteer-core/internal/node/PipeTransport.js').catch((error: unknown) => ({ error }))
    expect('PipeTransport' in module, `puppeteer-core: \`internal/node/PipeTransport.js\` no longer exports PipeTransport (${String((module as { error?: unknown }).error ?? '')})`).toBe(true)
    const { PipeTransport } = module as typeof import('puppeteer-core/internal/node/PipeTransport.js')
    expect(PipeTransport.length, 'puppeteer-core: PipeTransport takes (pipeWrite, pipeRead)').toBe(2)
    for (const method of ['send', 'close'] as const) expect(typeof PipeTransport.prototype[method], `puppeteer-core: PipeTransport has ${method}()`).toBe('function')
  })

  it('exports the core Puppeteer class under internal/common/Puppeteer.js: the public class, which its entry extends, built from its settings', async () => {
    const module = await import('puppeteer-core/internal/common/Puppeteer.js').catch((error: unknown) => ({ error }))
    expect('Puppeteer' in module, `puppeteer-core: \`internal/common/Puppeteer.js\` no longer exports Puppeteer (${String((module as { error?: unknown }).error ?? '')})`).toBe(true)
    const { Puppeteer } = module as typeof import('puppeteer-core/internal/common/Puppeteer.js')
    const entry = await import('puppeteer-core')
    expect(entry.Puppeteer, 'puppeteer-core: the public Puppeteer class is the one of internal/common/Puppeteer.js').toBe(Puppeteer)
    expect(entry.default, 'puppeteer-core: its entry\'s `puppeteer` is a Puppeteer').toBeInstanceOf(Puppeteer)
    expect(Object.getPrototypeOf(entry.default).connect, 'puppeteer-core: its entry\'s connect() adds nothing to the core class\'s').toSatisfy((connect: unknown) => connect === Puppeteer.prototype.connect || String(connect).replace(/\s+/g, ' ').includes('return super.connect(options)'))
    expect(new Puppeteer({ isPuppeteerCore: true }).connect, 'puppeteer-core: new Puppeteer({ isPuppeteerCore }) has connect()').toBeTypeOf('function')
  })

  it('defaultArgs() gives a headless Chromium with our profile and our flags', async () => {
    const flags = (await chromiumFlags())('/tmp/profile-x', ['--remote-debugging-pipe'])
    for (const flag of ['--headless=new', '--user-data-dir=/tmp/profile-x', '--remote-debugging-pipe']) {
      expect(flags, `puppeteer-core: defaultArgs({ headless: true, userDataDir, args }) includes \`${flag}\``).toContain(flag)
    }
  })

  it('the flags kept in the cache are defaultArgs() itself, for any profile folder', async () => {
    const { default: puppeteer } = await import('puppeteer-core')
    rmSync(path.join(cacheDir, 'browser-flags'), { recursive: true, force: true })
    const fresh = await chromiumFlags()
    const cached = await chromiumFlags()
    expect(readdirSync(path.join(cacheDir, 'browser-flags')).filter((name) => name.startsWith('puppeteer-core-')), 'the flags were kept').toHaveLength(1)
    for (const [folder, extra] of [['/tmp/deck chromium-1 (x)', ['--remote-debugging-pipe', '--a=b']], ['relative/profile', []]] as const) {
      const expected = puppeteer.defaultArgs({ headless: true, userDataDir: folder, args: [...extra] })
      expect(fresh(folder, [...extra])).toEqual(expected)
      expect(cached(folder, [...extra])).toEqual(expected)
    }
  })
})

describe('@sparticuz/chromium (browser/browser.ts)', () => {
  it('executablePath() gives <tmpdir>/chromium, as it is, once that exists (the build takes it without loading the package)', async () => {
    const { default: chromium } = await import('@sparticuz/chromium')
    const unpacked = path.join(os.tmpdir(), 'chromium')
    expect(await chromium.executablePath(), '@sparticuz/chromium: executablePath() unpacks to <tmpdir>/chromium').toBe(unpacked)
    expect(existsSync(unpacked)).toBe(true)
    // The ES module (the one the build imports), beside the CommonJS build that require() resolves.
    const source = readFileSync(path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..', 'esm', 'index.js'), 'utf8')
    const method = source.slice(source.indexOf('static async executablePath('))
    expect(method.slice(0, method.indexOf('downloadAndExtract')), '@sparticuz/chromium: executablePath() returns <tmpdir>/chromium first thing when it exists').toMatch(/if \(existsSync\(join\(tmpdir\(\), "chromium"\)\)\) \{\s*return join\(tmpdir\(\), "chromium"\);/)
    expect((await findBrowser()).path).toBe(unpacked)
  })
})

describe('@marp-team/marp-core (render/deferred-math.ts)', () => {
  it('requires each math module the stand-ins replace at load, resolved from its own folder', () => {
    const marpRequire = createRequire(require.resolve('@marp-team/marp-core'))
    const source = readFileSync(packageFile('@marp-team/marp-core', 'lib/marp.js'), 'utf8')
    for (const id of MATH_MODULES) {
      expect(() => marpRequire.resolve(id), `@marp-team/marp-core: \`${id}\` resolves from its folder (the stand-in goes in require.cache under that file)`).not.toThrow()
      expect(source.includes(`require("${id}")`), `@marp-team/marp-core: lib/marp.js requires \`${id}\` at load (else the stand-in defers nothing)`).toBe(true)
    }
  })
})

describe('@marp-team/marpit (render/theme-packs.ts)', () => {
  // A theme with a size meta, the deck's own styles, a size directive (marp-core swaps the theme
  // for a resized copy before packing) and the options marp-cli renders with.
  const theme = '/* @theme packed */\n/* @size 4:3 960px 720px */\nsection { width: 1280px; height: 720px; color: #123; }\nh2 { font-size: 2em; }\n'
  const deck = (size: string, colour: string) => `---\ntheme: packed\nsize: ${size}\n---\n\n<style>\nsection { background: ${colour}; }\n</style>\n\n## One\n\nText\n`
  const engine = async (remember: boolean) => {
    const { Marp } = await import('@marp-team/marp-core')
    const marp = new Marp({ inlineSVG: true, html: true, minifyCSS: false })
    marp.themeSet.add(theme)
    const calls = { count: 0 }
    const pack = marp.themeSet.pack.bind(marp.themeSet)
    marp.themeSet.pack = (...args: Parameters<typeof pack>) => (calls.count++, pack(...args))
    if (remember) rememberThemePacks(marp.themeSet)
    return { marp, calls }
  }

  it('ThemeSet has the members the remembered pack reads: pack(), themes() of { name, css }, default, cssNesting', async () => {
    const { marp } = await engine(false)
    const themes = [...marp.themeSet.themes()]
    expect(themes.length, '@marp-team/marpit: ThemeSet#themes() lists the added themes').toBeGreaterThan(0)
    for (const added of themes) expect(typeof added.name === 'string' && typeof added.css === 'string', '@marp-team/marpit: a Theme has its name and CSS').toBe(true)
    expect(typeof marp.themeSet.default?.css, '@marp-team/marpit: ThemeSet#default is a Theme').toBe('string')
    expect(typeof marp.themeSet.cssNesting, '@marp-team/marpit: ThemeSet#cssNesting').toBe('boolean')
  })

  it('pack() depends on its arguments and the set\'s themes alone: a remembered pack is the CSS a render packs', async () => {
    const plain = await engine(false)
    for (const [size, colour] of [['4:3', '#fed'], ['16:9', '#fed'], ['4:3', '#abc']] as const) {
      const expected = plain.marp.render(deck(size, colour)).css
      // A new engine each time, as marp-cli makes one per render: the first packs, the second reads.
      const first = await engine(true)
      expect(first.marp.render(deck(size, colour)).css, `size ${size}, background ${colour}`).toBe(expected)
      const second = await engine(true)
      expect(second.marp.render(deck(size, colour)).css, `size ${size}, background ${colour}, remembered`).toBe(expected)
      expect(second.calls.count, 'the second render packed nothing').toBe(0)
    }
    // The three decks packed three different CSS (the key holds the size's theme and the styles).
    expect(new Set([['4:3', '#fed'], ['16:9', '#fed'], ['4:3', '#abc']].map(([size, colour]) => plain.marp.render(deck(size!, colour!)).css)).size).toBe(3)
  })
})

describe('@marp-team/marp-cli (render/marp-worker.ts)', () => {
  it('prints its progress through the console (it has no public quiet option), which its thread collects', async () => {
    const { marpCli } = await import('@marp-team/marp-cli')
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-marp-console-'))
    const printed: string[] = []
    const methods = ['log', 'info', 'warn', 'error'] as const
    const originals = methods.map((method) => console[method])
    for (const method of methods) console[method] = (...parts: unknown[]) => void printed.push(parts.map(String).join(' '))
    try {
      writeFileSync(path.join(dir, 'talk.md'), '# One\n')
      const code = await marpCli([path.join(dir, 'talk.md'), '--no-config-file', '--html', '-o', path.join(dir, 'talk.html'), '--no-stdin'])
      expect(code).toBe(0)
    } finally {
      methods.forEach((method, index) => (console[method] = originals[index]!))
      rmSync(dir, { recursive: true, force: true })
    }
    expect(printed.join('\n'), '@marp-team/marp-cli: marpCli() reports a conversion with console.* (render/marp-worker.ts collects it there)').toMatch(/talk\.md => .*talk\.html/)
  })
})

describe('micromark (reader/syntax/fenced-divs.ts, reader/remark-pandoc-*.ts)', () => {
  const documentSource = () => readFileSync(packageFile('micromark', 'lib/initialize/document.js'), 'utf8')

  it.each([
    ['containerState._closeFlow', 'a fence closes what is open inside its div (a paragraph, a list item)'],
    ['_tokenizer: childFlow', "a chunkFlow token carries its flow tokenizer (a fence line inside fenced code is content; fence line endings are not blank)"],
    ['currentConstruct.concrete', 'concrete constructs (fenced code, HTML) are not interrupted by a container'],
  ])('initialize/document.js still uses %s', (field, why) => {
    const used = new RegExp(`${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(documentSource())
    expect(used, `micromark: initialize/document.js no longer has \`${field}\`, which the fenced divs rely on: ${why}`).toBe(true)
  })

  it('initialize/document.js moves container exits in place (parsing stays linear in the deck)', () => {
    expect(documentSource(), "micromark: initialize/document.js goes through micromark-util-edit-map (4.0.3), whose consume() copies the document's whole event list at every list item or quote that ends, so parsing grows with the square of the deck: package.json holds micromark at 4.0.2 until that is fixed").not.toMatch(/\bEditMap\b/)
  })

  it('micromark-core-commonmark exposes the parts of blockQuote and htmlFlow the pandoc constructs reuse', async () => {
    const { blockQuote, htmlFlow } = await import('micromark-core-commonmark')
    expect(typeof blockQuote.tokenize, 'micromark-core-commonmark: blockQuote.tokenize (remark-pandoc-blockquote.ts starts a quote with it)').toBe('function')
    expect(typeof blockQuote.continuation?.tokenize, 'micromark-core-commonmark: blockQuote.continuation.tokenize').toBe('function')
    expect(typeof htmlFlow.tokenize, 'micromark-core-commonmark: htmlFlow.tokenize (remark-pandoc-html-blocks.ts calls it)').toBe('function')
    expect(typeof htmlFlow.resolveTo, 'micromark-core-commonmark: htmlFlow.resolveTo').toBe('function')
  })

  it('the behaviour those internals give: a fence closes a list inside its div; a fence line inside code is code', () => {
    const tree = pandocMarkdown().parse('::: note\n- item\n:::\n\nafter\n\n::: box\n```\n:::\n```\n:::\n')
    const kinds = tree.children.map((node) => node.type)
    expect(kinds, 'micromark: containers close at the fence (`_closeFlow`)').toEqual(['fencedDiv', 'paragraph', 'fencedDiv'])
    const box = tree.children[2] as { children: Array<{ type: string; value?: string }> }
    expect(box.children.map((node) => node.type), 'micromark: fenced code inside a div is concrete').toEqual(['code'])
    expect(box.children[0]!.value).toBe(':::')
  })
})
