// Runs a toolchain command from an esbuild bundle of scripts/**/*.ts, rebuilt (in ~0.2 s) only when
// a source file changes: each command then costs one plain Node start instead of a TypeScript
// loader (tsx alone takes ~0.6 s). Usage: node scripts/launch.mjs <entry> [args...]. Imported (the
// tests do, to run commands in their own process from the same bundle), it only makes the bundle.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'
import { Worker } from 'node:worker_threads'

// WebAssembly (ruff, Shiki's regex engine) with the baseline compiler only: V8's optimising tier
// compiles in background threads that the process then waits for at exit (seconds, for ruff),
// while these short runs gain nothing from it.
v8.setFlagsFromString('--liftoff-only')

const scriptsDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(scriptsDir)
const ENTRIES = { deck: 'cli/deck.ts', bench: 'bench/bench.ts', engine: 'render/engine.ts', 'marp-worker': 'render/marp-worker.ts' }

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(file)
    return /\.(ts|mjs)$/.test(entry.name) ? [file] : []
  })
}

/**
 * Packages bundled into the toolchain rather than loaded from node_modules at each start: the
 * Markdown stack (unified, remark, micromark, mdast, unist, vfile, yaml and their small helpers),
 * pure ESM spread over hundreds of small files, whose resolving and loading cost ~0.2 s of every
 * build; and puppeteer-core with what it imports (its modules loaded in 20 ms instead of 120 ms
 * while Marp renders). The others stay external (assets beside their code, WebAssembly, their own
 * bundles).
 */
const BUNDLED =
  /^(unified|bail|devlop|extend|is-plain-obj|trough|vfile|vfile-message|vfile-sort|unist-util-[a-z-]+|mdast-util-[a-z-]+|micromark|micromark-[a-z-]+|remark-[a-z-]+|decode-named-character-reference|character-entities[a-z-]*|character-reference-invalid|ccount|escape-string-regexp|markdown-table|longest-streak|zwitch|yaml|strip-ansi|ansi-regex|fastest-levenshtein|hast-util-[a-z-]+|html-void-elements|property-information|space-separated-tokens|comma-separated-tokens|stringify-entities|is-[a-z-]+|parse-entities|trim-lines|@ungap\/structured-clone|fault|format|web-namespaces|html-url-attributes|puppeteer-core)(\/|$)/
/** A bundled package's own imports are bundled with it (puppeteer-core's, loaded when it loads). */
const INSIDE_PACKAGE = /[\\/]node_modules[\\/]/

// The bundle is named after its sources and the locked dependencies (bundled ones included).
const hash = createHash('sha256')
for (const file of [...sources(scriptsDir).sort(), path.join(root, 'package-lock.json')]) hash.update(file).update(readFileSync(file))
/** The bundle's folder: `<entry>.mjs` for each of ENTRIES. */
export const outDir = path.join(root, '.cache', 'toolchain', hash.digest('hex').slice(0, 16))

if (!existsSync(path.join(outDir, 'deck.mjs'))) {
  const { build } = await import('esbuild')
  const scratch = `${outDir}.${process.pid}.tmp`
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(scriptsDir, file)])),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [
      {
        name: 'external-packages',
        // Bare imports (not `#subpath` imports of a bundled package) stay imports unless BUNDLED.
        setup: (bundler) => bundler.onResolve({ filter: /^[^./#]/ }, (args) => (BUNDLED.test(args.path) || INSIDE_PACKAGE.test(args.importer) ? undefined : { path: args.path, external: true })),
      },
    ],
    // Bundled CommonJS code (yaml, extend) requires Node's modules: a `require` of this module's own.
    banner: { js: "import { createRequire as __deckCreateRequire } from 'node:module'; const require = __deckCreateRequire(import.meta.url);" },
    outdir: scratch,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    logLevel: 'error',
  })
  mkdirSync(path.dirname(outDir), { recursive: true })
  try {
    renameSync(scratch, outDir)
  } catch {
    rmSync(scratch, { recursive: true, force: true }) // another process built it first
  }
  pruneBundles()
} else {
  utimesSync(outDir, new Date(), new Date()) // in use: kept by pruneBundles
}

/** Bundles of older sources, unused for a week, go when a new one is built. */
function pruneBundles() {
  const dir = path.dirname(outDir)
  for (const name of readdirSync(dir)) {
    const bundle = path.join(dir, name)
    try {
      if (bundle !== outDir && Date.now() - statSync(bundle).mtimeMs > 7 * 24 * 3600 * 1000) rmSync(bundle, { recursive: true, force: true })
    } catch {
      // removed by a concurrent start
    }
  }
}

/** Whether this file is the script Node runs, not a module imported. */
function isScript() {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url)
  } catch {
    return false
  }
}

if (isScript()) {
  const [entry = 'deck', ...args] = process.argv.slice(2)
  if (!(entry in ENTRIES)) {
    console.error(`launch.mjs: unknown entry \`${entry}\` (${Object.keys(ENTRIES).join(', ')})`)
    process.exit(2)
  }
  process.argv = [process.argv[0], path.join(scriptsDir, ENTRIES[entry]), ...args]
  if (entry === 'deck' && (args[0] === 'build' || args[0] === 'dev') && !args.some((arg) => arg === '--help' || arg === '-h')) startMarpThread()
  await import(pathToFileURL(path.join(outDir, `${entry}.mjs`)).href)
}

/**
 * Marp's thread (render/marp-thread.ts), started before the toolchain's own modules load (~0.1 s):
 * it loads Marp (~0.3 s, the longest wait of an HTML build) on the other core meanwhile. Handed to
 * marp-thread.ts under its EARLY_MARP_THREAD symbol with its first event (its ready message, or how
 * it failed); it does not hold the process (a build found up to date ends it, cli/deck.ts).
 */
export function startMarpThread() {
  const worker = new Worker(path.join(outDir, 'marp-worker.mjs'), { workerData: { engine: path.join(outDir, 'engine.mjs') } })
  worker.unref()
  const first = new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`Marp's thread stopped (exit ${code})`)))
  })
  first.catch(() => undefined) // the adopter's to report
  globalThis[Symbol.for('deck.early-marp-thread')] = { worker, first }
}
