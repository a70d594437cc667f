/**
 * Highlighted code remembered across builds and decks, keyed by language and code under the
 * code's fingerprint (Shiki, the pygments colours and the highlighting code are part of it; an
 * edit of the slides' theme is not): a build
 * whose code blocks did not change never loads Shiki or its grammars (the costliest part of
 * rendering HTML). Entries unused for 30 days are dropped; every deck's entries are kept (the
 * file of an older toolchain goes with scripts/core/cache.ts's pruning).
 */
import { CACHE_MAX_AGE_MS, cacheKey, readCache, codeFingerprint, writeCache } from '../core/cache.ts'

const KIND = 'highlight'

interface Entry {
  html: string
  /** When a build last used it (ms since the epoch). */
  used: number
}

export function highlightKey(code: string, lang: string): string {
  return cacheKey(lang, code).slice(0, 24)
}

function read(): Record<string, Entry> {
  return readCache<Record<string, Entry>>(KIND, codeFingerprint().slice(0, 16)) ?? {}
}

export function readHighlightCache(): Map<string, string> {
  return new Map(Object.entries(read()).map(([key, entry]) => [key, entry.html]))
}

/** Adds this build's entries (and marks them used) to what is stored, read again just before. */
export function writeHighlightCache(entries: Map<string, string>): void {
  const now = Date.now()
  const stored = read()
  const kept = Object.fromEntries(Object.entries(stored).filter(([, entry]) => now - entry.used < CACHE_MAX_AGE_MS))
  for (const [key, html] of entries) kept[key] = { html, used: now }
  writeCache(KIND, codeFingerprint().slice(0, 16), kept)
}
