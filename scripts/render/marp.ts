/**
 * Renders Marp Markdown to HTML through marp-cli's public API, in a thread of its own
 * (marp-worker.ts: marp-cli prints with the console, which is that thread's alone there; its
 * lines are shown only when a conversion fails). No browser: the PDF is printed from this HTML by
 * browser/pdf.ts, in the build's one browser.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { FONT_FACES_FILE, prepareThemes } from './theme.ts'
import { withHeadlineAssets } from './headline-assets.ts'
import { headlineStyle } from './headline-dots.ts'
import { fillHeadlines } from '../marp/headline.ts'
import { cacheKey, readCache, writeCache } from '../core/cache.ts'
import { replaceNotes } from './notes.ts'
import { EVOLVE_MARK, evolveAssets } from './evolve-assets.ts'
import type { CodeBlock } from './highlight.ts'
import { engineModule, marpThread, RenderError } from './marp-thread.ts'

export { preloadRenderer, releaseRenderer, RenderError } from './marp-thread.ts'

export interface RenderRequest {
  /** The generated Marp Markdown file. */
  input: string
  output: string
  /** The deck's colour theme and its sections' slide counts, for the headline's dot images. */
  headline?: { colortheme: string; sectionSizes: number[] }
  /** The theme folder (default: the project's theme/). */
  themeDir?: string
  /** Speaker notes rendered from their Markdown, by slide index (notes.ts), for the presenter view. */
  notes?: Map<number, string>
  /** The headlines the Markdown's stand-ins stand for (marp/markdown.ts MarpDeck). */
  headlines?: readonly string[]
}

/** Highlights the deck's code blocks in Marp's thread before Marp asks for them (its hook is synchronous). */
export async function prepareHighlighting(blocks: CodeBlock[]): Promise<void> {
  const done = await marpThread().run({ type: 'highlight', blocks })
  if (done.error) throw new RenderError(`Highlighting failed:\n${done.error}`)
}

/**
 * Renders the bespoke HTML (presenting template) and gives the text written (the fit check reads
 * it from here, not again from the file); calls may overlap (they queue in the thread).
 */
export async function render(request: RenderRequest): Promise<string> {
  // The fonts go into the page after Marp (FONT_FACES_FILE): the same rules, not processed by it.
  const themeDir = prepareThemes(request.themeDir, { fonts: false })
  // The HTML comes back from the thread (`-o -`): only this thread writes request.output.
  const args = [request.input, '--no-config-file', '--engine', engineModule, '--theme-set', themeDir, '--html', '-o', '-', '--no-stdin', '--bespoke.progress']
  const rendered = marpThread().run({ type: 'render', args })
  rendered.catch(() => undefined) // awaited below
  // Drawn (when not cached) and read while Marp's thread renders; a failed render is reported first.
  const assets = settled(() => ({
    style: request.headline ? cachedHeadlineStyle(themeDir, request.headline) : '',
    fonts: `<style>${readFileSync(path.join(themeDir, FONT_FACES_FILE), 'utf8')}</style>`,
  }))
  const done = await rendered
  if (done.error) throw new RenderError(`Marp could not render the HTML:\n${[...done.log, done.error].join('\n')}`)
  if (done.code !== 0 || !done.output) throw new RenderError(`Marp could not render the HTML (exit ${done.code}):\n${done.log.join('\n')}`)
  const { style, fonts } = assets()
  const filled = fillHeadlines(done.output, request.headlines ?? [])
  // The page is put together around its head's end: the fonts (2.3 MB) join last, so that what
  // goes into the body is added to 0.2 MB of text, not to 2.5 MB.
  const headEnd = filled.indexOf('</head>')
  let head = headEnd < 0 ? '' : `${filled.slice(0, headEnd)}${fonts}`
  let body = withHeadlineAssets(headEnd < 0 ? filled : filled.slice(headEnd), style)
  // Blocks that list versions morph between them (evolve-assets.ts): only pages that have one.
  if (filled.includes(EVOLVE_MARK)) {
    const evolve = await evolveAssets()
    if (headEnd >= 0) head += `<style>${evolve.style}</style>`
    const end = body.lastIndexOf('</body>')
    const script = `<script>${evolve.script.replace(/<\/script/gi, '<\\/script')}</script>`
    body = end < 0 ? body + script : body.slice(0, end) + script + body.slice(end)
  }
  const page = head + (request.notes ? replaceNotes(body, request.notes) : body)
  writeFileSync(request.output, page)
  return page
}

/** `make()` now; its value (or its error) when the returned function is called. */
function settled<T>(make: () => T): () => T {
  try {
    const value = make()
    return () => value
  } catch (error) {
    return () => {
      throw error
    }
  }
}

/**
 * The headline's dot images for a deck's colour theme and section sizes: drawn and PNG-encoded
 * once (~0.2 s), then read from the cache. The prepared theme folder's name holds the theme and
 * the toolchain's fingerprint (render/theme.ts), so it stands for both in the key.
 */
function cachedHeadlineStyle(themeDir: string, headline: NonNullable<RenderRequest['headline']>): string {
  const key = cacheKey(themeDir, headline.colortheme, headline.sectionSizes.join(','))
  const cached = readCache<string>('headline', key)
  if (typeof cached === 'string') return cached
  const style = headlineStyle(readFileSync(path.join(themeDir, 'frankfurt.css'), 'utf8'), headline.colortheme, headline.sectionSizes)
  writeCache('headline', key, style)
  return style
}
