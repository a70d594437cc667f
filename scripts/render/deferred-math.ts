/**
 * Marp Core requires its math libraries (KaTeX and MathJax, ~0.3 s of loading) when it is loaded,
 * though they are used only when a deck has math. Before Marp Core loads, each of them gets a
 * stand-in in Node's documented module cache (`require.cache`): an object that loads the real
 * library on first use of any of its properties. A deck without math never loads them.
 */
import { createRequire, Module } from 'node:module'

/** What marp-core's lib/marp.js requires at load time and uses only inside its math plugin. */
export const MATH_MODULES = [
  'katex',
  'mathjax-full/js/adaptors/liteAdaptor',
  'mathjax-full/js/handlers/html',
  'mathjax-full/js/input/tex',
  'mathjax-full/js/input/tex/AllPackages',
  'mathjax-full/js/mathjax',
  'mathjax-full/js/output/svg',
]

let deferred = false

export function deferMathLibraries(): void {
  if (deferred) return
  deferred = true
  // Resolved as marp-core resolves them (from its own folder), so that the cache entries are its.
  const marpRequire = createRequire(createRequire(import.meta.url).resolve('@marp-team/marp-core'))
  const cache = marpRequire.cache
  for (const id of MATH_MODULES) {
    let file: string
    try {
      file = marpRequire.resolve(id)
    } catch {
      continue // not installed where expected: marp-core loads (or fails on) it itself
    }
    if (cache[file]) continue
    let real: Record<PropertyKey, unknown> | undefined
    const load = (): Record<PropertyKey, unknown> => {
      if (!real) {
        delete cache[file]
        real = marpRequire(id) as Record<PropertyKey, unknown>
      }
      return real
    }
    const standIn = new Module(file)
    standIn.filename = file
    standIn.loaded = true
    standIn.exports = new Proxy(
      {},
      {
        get: (_, key) => load()[key],
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(load(), key)
          return descriptor && { ...descriptor, configurable: true }
        },
      },
    )
    cache[file] = standIn
  }
}
