/**
 * Code highlighting with Shiki, synchronous once loaded (Marp's highlighter hook must return
 * a string at once). Only the languages a deck uses are loaded (grammars are the costly part).
 * Returns only the token spans: markdown-it wraps them in <pre><code>, and Marp's code
 * auto-scaling then applies.
 */
import type { HighlighterCore, LanguageRegistration } from 'shiki/core'
import { escapeHtml } from '../core/escape-html.ts'
import { pygmentsTheme } from './pygments-theme.ts'
import { highlightKey, readHighlightCache, writeHighlightCache } from './highlight-cache.ts'
import { wrapLines } from './code-lines.ts'
import { parseCodeInfo } from '../marp/code-display.ts'

type Grammar = { default: LanguageRegistration[] }

/** A code block of the deck as Marp will ask for it (render/code-blocks.ts). */
export interface CodeBlock {
  code: string
  lang: string
}
const LANGUAGES: Record<string, () => Promise<Grammar>> = {
  python: () => import('shiki/langs/python.mjs'),
  shellscript: () => import('shiki/langs/shellscript.mjs'),
  javascript: () => import('shiki/langs/javascript.mjs'),
  typescript: () => import('shiki/langs/typescript.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
  toml: () => import('shiki/langs/toml.mjs'),
  markdown: () => import('shiki/langs/markdown.mjs'),
  c: () => import('shiki/langs/c.mjs'),
  cpp: () => import('shiki/langs/cpp.mjs'),
  java: () => import('shiki/langs/java.mjs'),
  rust: () => import('shiki/langs/rust.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  ruby: () => import('shiki/langs/ruby.mjs'),
  perl: () => import('shiki/langs/perl.mjs'),
  awk: () => import('shiki/langs/awk.mjs'),
  kotlin: () => import('shiki/langs/kotlin.mjs'),
  swift: () => import('shiki/langs/swift.mjs'),
  haskell: () => import('shiki/langs/haskell.mjs'),
  lua: () => import('shiki/langs/lua.mjs'),
  zig: () => import('shiki/langs/zig.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
}
const ALIASES: Record<string, string> = {
  py: 'python', python3: 'python', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript',
  js: 'javascript', mjs: 'javascript', ts: 'typescript', yml: 'yaml', md: 'markdown', 'c++': 'cpp', rs: 'rust',
  rb: 'ruby', pl: 'perl', kt: 'kotlin', hs: 'haskell', golang: 'go',
}

let highlighter: HighlighterCore | undefined
const loaded = new Set<string>()
/** Highlighted HTML prepared before Marp runs, by highlightKey(code, lang). */
const prepared = new Map<string, string>()

function grammarName(lang: string): string | undefined {
  const name = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase()
  return name in LANGUAGES ? name : undefined
}

/**
 * Highlights every block Marp will ask for, before it asks (its hook is synchronous): from the
 * cache where the code is unchanged, else with Shiki, loaded with just the grammars needed.
 */
export async function prepareHighlighting(blocks: CodeBlock[]): Promise<void> {
  if (blocks.length === 0) return
  const cache = readHighlightCache()
  const used = new Map<string, string>()
  const missing = blocks.filter(({ code, lang }) => {
    const key = highlightKey(code, lang)
    const hit = cache.get(key)
    if (hit !== undefined) {
      prepared.set(key, hit)
      used.set(key, hit)
    }
    return hit === undefined && grammarName(lang) !== undefined
  })
  if (missing.length > 0) {
    await loadHighlighter(missing.map((block) => block.lang))
    for (const { code, lang } of missing) {
      const key = highlightKey(code, lang)
      const html = highlightWithShiki(code, lang)
      prepared.set(key, html)
      used.set(key, html)
    }
  }
  if (missing.length > 0) writeHighlightCache(used)
}

/** Loads Shiki with the grammars for `langs` (names as written on code fences). */
async function loadHighlighter(langs: Iterable<string>): Promise<void> {
  if (!highlighter) {
    // Shiki is loaded only when some code is not in the cache.
    const [{ createHighlighterCore }, { createOnigurumaEngine }] = await Promise.all([import('shiki/core'), import('shiki/engine/oniguruma')])
    highlighter = await createHighlighterCore({ themes: [pygmentsTheme], langs: [], engine: createOnigurumaEngine(import('shiki/wasm')) })
  }
  const wanted = [...new Set([...langs].map(grammarName).filter((name): name is string => !!name && !loaded.has(name)))]
  for (const grammar of await Promise.all(wanted.map((name) => LANGUAGES[name]!()))) await highlighter.loadLanguage(...grammar.default)
  for (const name of wanted) loaded.add(name)
}

/**
 * Token spans for `code` in `lang` (plain escaped text for other languages), one line each,
 * numbered and highlighted as the fence's info after the language says (see code-lines.ts).
 * Trailing blank lines are dropped, as pandoc drops them.
 */
export function highlight(code: string, lang: string, info?: string): string {
  const html = prepared.get(highlightKey(code, lang)) ?? highlightWithShiki(code, lang)
  const lines = html.split('\n')
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
  return wrapLines(lines, parseCodeInfo(info))
}

function highlightWithShiki(code: string, lang: string): string {
  const name = grammarName(lang)
  if (!highlighter || !name || !loaded.has(name)) return escapeHtml(code)
  const { tokens } = highlighter.codeToTokens(code, { lang: name, theme: 'pandoc-pygments' })
  return tokens
    .map((line) =>
      line
        .map((token) => {
          const styles: string[] = []
          if (token.color && token.color.toLowerCase() !== '#000000') styles.push(`color:${token.color}`)
          if (token.fontStyle && token.fontStyle & 1) styles.push('font-style:italic')
          if (token.fontStyle && token.fontStyle & 2) styles.push('font-weight:bold')
          const text = escapeHtml(token.content)
          return styles.length > 0 ? `<span style="${styles.join(';')}">${text}</span>` : text
        })
        .join(''),
    )
    .join('\n')
}
