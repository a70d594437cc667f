/**
 * Renders Marp Markdown to HTML through marp-cli's public API, in this process (no browser: the
 * PDF is printed from this HTML by browser/pdf.ts, in the build's one browser). marp-cli's console
 * chatter is kept back and shown only when a conversion fails (marp-console.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { marpCli } from '@marp-team/marp-cli'
import { FONT_FACES_FILE, prepareThemes } from './theme.ts'
import { prepareHighlighting } from './highlight.ts'
import { withHeadlineAssets } from './headline-assets.ts'
import { headlineStyle } from './headline-dots.ts'
import { cacheKey, readCache, writeCache } from '../core/cache.ts'
import { replaceNotes } from './notes.ts'
import { EVOLVE_MARK, evolveAssets } from './evolve-assets.ts'
import { withMarpConsole } from './marp-console.ts'

// marp-cli imports the engine module itself: the TypeScript source under tsx, else the bundled
// engine.mjs that scripts/launch.mjs writes next to this code.
const here = fileURLToPath(import.meta.url)
const engineModule = here.endsWith('.ts') ? path.join(path.dirname(here), 'engine.ts') : path.join(path.dirname(here), 'engine.mjs')

/** Loads the engine (Marp Core, the heaviest module) ahead of rendering. */
export async function preloadRenderer(): Promise<void> {
  await import(pathToFileURL(engineModule).href)
}

export class RenderError extends Error {
  override name = 'RenderError'
}

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
}

/** Highlights the deck's code blocks before Marp asks for them (its hook is synchronous). */
export { prepareHighlighting }

/** Renders the bespoke HTML (presenting template); calls may overlap. */
export async function render(request: RenderRequest): Promise<void> {
  const log: string[] = []
  await withMarpConsole(log, () => renderMarp(request, log))
}

async function renderMarp(request: RenderRequest, log: string[]): Promise<void> {
  // The fonts go into the page after Marp (FONT_FACES_FILE): the same rules, not processed by it.
  const themeDir = prepareThemes(request.themeDir, { fonts: false })
  const args = [request.input, '--no-config-file', '--engine', engineModule, '--theme-set', themeDir, '--html', '-o', request.output, '--no-stdin', '--bespoke.progress']
  const code = await marpCli(args)
  if (code !== 0) throw new RenderError(`Marp could not render the HTML (exit ${code}):\n${log.join('\n')}`)
  const style = request.headline ? cachedHeadlineStyle(themeDir, request.headline) : ''
  const fonts = `<style>${readFileSync(path.join(themeDir, FONT_FACES_FILE), 'utf8')}</style>`
  let html = withHeadlineAssets(readFileSync(request.output, 'utf8').replace('</head>', () => `${fonts}</head>`), style)
  // Blocks that list versions morph between them (evolve-assets.ts): only pages that have one.
  if (html.includes(EVOLVE_MARK)) {
    const evolve = await evolveAssets()
    html = html.replace('</head>', () => `<style>${evolve.style}</style></head>`)
    const end = html.lastIndexOf('</body>')
    const script = `<script>${evolve.script.replace(/<\/script/gi, '<\\/script')}</script>`
    html = end < 0 ? html + script : html.slice(0, end) + script + html.slice(end)
  }
  writeFileSync(request.output, request.notes ? replaceNotes(html, request.notes) : html)
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
