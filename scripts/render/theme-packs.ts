/**
 * Marpit's ThemeSet#pack remembered across renders and builds. pack() runs the theme and the
 * deck's own styles through Marpit's PostCSS plugins (scoping, pagination, printing, marp-core's
 * custom elements) at every render: 40-80 ms of the asyncio deck's 170-220 ms in marp-cli, on
 * Marp's thread, which every HTML build waits for; and the same CSS each time the deck's styles
 * and theme did not change.
 *
 * The assumption (test/contracts.test.ts): pack(name, opts) gives the same CSS for the same
 * arguments, themes (name, CSS, size) of the set, default theme and CSS nesting, with the same
 * installed packages (codeFingerprint() holds the lockfile) and engine options (our code:
 * the fingerprint again). marp-core's `size` directive swaps the theme for a resized one before
 * packing: its CSS is in the key.
 */
import { cacheKey, readCache, codeFingerprint, writeCache } from '../core/cache.ts'

const KIND = 'theme-pack'

/** What pack() reads of its ThemeSet (marpit's public members). */
export interface PackingThemeSet {
  pack(name: string | undefined, opts?: object): string
  themes(): Iterable<{ name: string; css: string; width?: string | undefined; height?: string | undefined }>
  default?: { css: string } | undefined
  cssNesting?: boolean
}

/** The packs of this process, for the dev server's and `--watch`'s renders (a few decks, at most). */
const recent = new Map<string, string>()
const RECENT_MOST = 16

/** Makes `themeSet.pack` give a remembered result where its inputs are the same. */
export function rememberThemePacks(themeSet: PackingThemeSet): void {
  const pack = themeSet.pack.bind(themeSet)
  themeSet.pack = (name, opts = {}) => {
    const themes = [...themeSet.themes()].flatMap((theme) => [theme.name, theme.css, `${theme.width}x${theme.height}`])
    const key = cacheKey(codeFingerprint(), String(name), JSON.stringify(opts), String(themeSet.cssNesting), themeSet.default?.css ?? '', ...themes)
    const known = recent.get(key) ?? readCache<string>(KIND, key)
    if (typeof known === 'string') return keep(key, known)
    const packed = pack(name, opts)
    try {
      writeCache(KIND, key, packed)
    } catch {
      // a read-only cache: packed each time
    }
    return keep(key, packed)
  }
}

function keep(key: string, css: string): string {
  recent.delete(key)
  recent.set(key, css)
  if (recent.size > RECENT_MOST) recent.delete(recent.keys().next().value!)
  return css
}
