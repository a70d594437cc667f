/**
 * The Marp engine marp-cli uses (through marp.config.mjs): Marp Core with Shiki as its
 * highlighter, raw HTML allowed (the structure of a slide comes as HTML wrappers), and no
 * emoji images (they would load from a CDN and break the offline HTML).
 */
import { Marp, type MarpOptions } from '@marp-team/marp-core'
import { highlight, loadHighlighter } from './highlight.ts'

await loadHighlighter()

export function createEngine(options: MarpOptions): Marp {
  const marp = new Marp({ ...options, html: true, emoji: { shortcode: false, unicode: false }, minifyCSS: false })
  marp.highlighter = (code: string, lang: string) => highlight(code, lang || 'text')
  return marp
}
