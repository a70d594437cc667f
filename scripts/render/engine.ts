/**
 * The Marp engine marp-cli uses (its `--engine` module): Marp Core with Shiki as its
 * highlighter, raw HTML allowed (the structure of a slide comes as HTML wrappers), and no
 * emoji images (they would load from a CDN and break the offline HTML).
 */
import type { MarpOptions } from '@marp-team/marp-core'
import { highlight } from './highlight.ts'
import { deferMathLibraries } from './deferred-math.ts'
import { rememberThemePacks } from './theme-packs.ts'

// Loaded after the math libraries are deferred (a static import would load it first).
deferMathLibraries()
const { Marp } = await import('@marp-team/marp-core')

// The grammars a deck needs are loaded by the renderer (render/marp.ts) before Marp runs.

export default function createEngine(options: MarpOptions): InstanceType<typeof Marp> {
  // As pandoc reads Markdown: curly quotes and dashes (its `smart` extension), and a line break
  // in a paragraph is a space (Marp's default turns it into <br>).
  const marp = new Marp({ ...options, html: true, emoji: { shortcode: false, unicode: false }, minifyCSS: false })
  // The theme's CSS through Marp's plugins, done once for the same theme and styles.
  rememberThemePacks(marp.themeSet)
  // commonmark's nesting limit (20) drops lists deeper than 9 and quotes deeper than 20, text and
  // all; the reader refuses more than MAX_NESTING (slides/remark-nesting.ts), well under this.
  marp.markdown.set({ typographer: true, breaks: false, maxNesting: 1000 })
  // Marp starts from markdown-it's commonmark preset, where the typographer's rules are off.
  marp.markdown.enable(['replacements', 'smartquotes'])
  // The info after the language carries line numbers and highlighted lines (code-lines.ts).
  marp.highlighter = (code: string, lang: string, attrs?: string) => highlight(code, lang || 'text', attrs)
  // A fence's deck line comes in its info string too (`python data-line=12`, written by
  // marp/markdown.ts) and becomes an attribute of its <code>: the fit check names it.
  marp.markdown.core.ruler.push('deck-line', (state: { tokens: Array<{ type: string; info: string; attrSet(name: string, value: string): void }> }) => {
    for (const token of state.tokens) {
      const match = token.type === 'fence' ? /(?:^|\s)data-line=(\d+)/.exec(token.info) : null
      if (!match) continue
      token.info = token.info.replace(match[0], '')
      token.attrSet('data-line', match[1]!)
    }
  })
  // Each slide a region a screen reader announces: "slide", with its number and title (the first
  // heading on it: the frame title, else the title page's or section page's name).
  type Token = { type: string; tag: string; content: string; children: Token[] | null; attrSet(name: string, value: string): void; attrGet(name: string): string | null }
  marp.markdown.core.ruler.push('deck-slide-labels', (state: { tokens: Token[] }) => {
    let number = 0
    let slide: Token | undefined
    let label: string | undefined
    const finish = () => slide && slide.attrSet('aria-label', label ? `${number}: ${label}` : `${number}`)
    state.tokens.forEach((token, index) => {
      if (token.type === 'marpit_slide_open') {
        finish()
        number++
        slide = token
        label = undefined
        token.attrSet('role', 'region')
        token.attrSet('aria-roledescription', 'slide')
      } else if (slide && label === undefined && token.type === 'heading_open' && token.tag === 'h2') {
        const inline = state.tokens[index + 1]
        const text = inline?.children ? inline.children.map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : '')).join('') : (inline?.content ?? '')
        label = text.trim() || undefined
      } else if (slide && label === undefined && token.type === 'html_block') {
        const named = /class="(?:title|section-page)"[^>]*>([^<]+)</.exec(token.content)?.[1]?.trim()
        if (named) label = named
      }
    })
    finish()
  })
  return marp
}
