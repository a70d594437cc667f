/**
 * Code highlighting with Shiki, synchronous once loaded (Marp's highlighter hook must return
 * a string at once). Returns only the token spans: markdown-it wraps them in <pre><code>, and
 * Marp's code auto-scaling then applies.
 */
import { createHighlighterCore, type HighlighterCore } from 'shiki/core'
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript'
import { escapeHtml } from '../markdown/escape-html.ts'
import { pygmentsTheme } from './pygments-theme.ts'

const LANGUAGES = {
  python: () => import('shiki/langs/python.mjs'),
  shellscript: () => import('shiki/langs/shellscript.mjs'),
  javascript: () => import('shiki/langs/javascript.mjs'),
  typescript: () => import('shiki/langs/typescript.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
  toml: () => import('shiki/langs/toml.mjs'),
  markdown: () => import('shiki/langs/markdown.mjs'),
  c: () => import('shiki/langs/c.mjs'),
  java: () => import('shiki/langs/java.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  css: () => import('shiki/langs/css.mjs'),
}
const ALIASES: Record<string, keyof typeof LANGUAGES> = {
  py: 'python', python3: 'python', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript',
  js: 'javascript', mjs: 'javascript', ts: 'typescript', yml: 'yaml', md: 'markdown',
}

let highlighter: HighlighterCore | undefined

export async function loadHighlighter(): Promise<HighlighterCore> {
  highlighter ??= await createHighlighterCore({
    themes: [pygmentsTheme],
    langs: await Promise.all(Object.values(LANGUAGES).map((load) => load().then((mod) => mod.default))),
    engine: createJavaScriptRegexEngine(),
  })
  return highlighter
}

/** Token spans for `code` in `lang`; plain escaped text for unknown languages and console output. */
export function highlight(code: string, lang: string): string {
  const name = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase()
  if (!highlighter || !(name in LANGUAGES)) return escapeHtml(code)
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
