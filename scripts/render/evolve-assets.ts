/**
 * What the presented HTML needs for blocks that list versions (marp/build-evolve.ts): the morph
 * between them, evolve-runtime.ts with shiki-magic-move's renderer and differ bundled into one
 * script, and shiki-magic-move's style, both inlined (the page is self-contained and works
 * offline). Bundled once, then read from the cache.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { cacheKey, readCache, writeCache } from '../core/cache.ts'
import { projectRoot } from '../core/paths.ts'

/** The class of a block that lists versions, as build-evolve.ts writes it in the HTML. */
export const EVOLVE_MARK = 'class="evolve" data-steps='

const RUNTIME = path.join(projectRoot, 'scripts', 'render', 'evolve-runtime.ts')
/** What the runtime imports of the toolchain (bundled into it: part of the cache key). */
const RUNTIME_IMPORTS = [path.join(projectRoot, 'scripts', 'marp', 'marp-contract.ts')]

/** The morph's style and script, for the end of the page's `<head>` and `<body>`. */
export async function evolveAssets(): Promise<{ style: string; script: string }> {
  const require = createRequire(path.join(projectRoot, 'package.json'))
  const styleFile = require.resolve('shiki-magic-move/style.css')
  const library = readFileSync(path.join(path.dirname(styleFile), '..', 'package.json'), 'utf8')
  const source = readFileSync(RUNTIME, 'utf8')
  // The morph lays the tokens out in a block box with the code's line pitch (the theme's lines
  // carry the pitch, its tokens none: the morph's tokens are not in lines).
  const own = 'pre code.evolve-morph { display: block; line-height: inherit; }\npre code.evolve-morph span { line-height: inherit; }'
  const key = cacheKey(source, ...RUNTIME_IMPORTS.map((file) => readFileSync(file, 'utf8')), own, library, readFileSync(path.join(projectRoot, 'package-lock.json')))
  const cached = readCache<{ style: string; script: string }>('evolve', key)
  if (cached) return cached
  const { build } = await import('esbuild')
  const bundle = await build({ entryPoints: [RUNTIME], bundle: true, format: 'iife', platform: 'browser', target: 'chrome110', minify: true, write: false, absWorkingDir: projectRoot, legalComments: 'none' })
  const assets = { style: `${readFileSync(styleFile, 'utf8')}\n${own}`, script: bundle.outputFiles[0]!.text }
  writeCache('evolve', key, assets)
  return assets
}
