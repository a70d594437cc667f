// Runs a toolchain command from an esbuild bundle of scripts/**/*.ts, rebuilt (in ~0.2 s) only when
// a source file changes: each command then costs one plain Node start instead of a TypeScript
// loader (tsx alone takes ~0.6 s). Usage: node scripts/launch.mjs <entry> [args...]
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'

// WebAssembly (ruff, Shiki's regex engine) with the baseline compiler only: V8's optimising tier
// compiles in background threads that the process then waits for at exit (seconds, for ruff),
// while these short runs gain nothing from it.
v8.setFlagsFromString('--liftoff-only')

const scriptsDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(scriptsDir)
const ENTRIES = { deck: 'deck.ts', bench: 'bench.ts', engine: 'render/engine.ts' }

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(file)
    return /\.(ts|mjs)$/.test(entry.name) ? [file] : []
  })
}

const hash = createHash('sha256')
for (const file of sources(scriptsDir).sort()) hash.update(file).update(readFileSync(file))
const outDir = path.join(root, '.cache', 'toolchain', hash.digest('hex').slice(0, 16))

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
    packages: 'external',
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
}

const [entry = 'deck', ...args] = process.argv.slice(2)
if (!(entry in ENTRIES)) {
  console.error(`launch.mjs: unknown entry \`${entry}\` (${Object.keys(ENTRIES).join(', ')})`)
  process.exit(2)
}
process.argv = [process.argv[0], path.join(scriptsDir, ENTRIES[entry]), ...args]
await import(pathToFileURL(path.join(outDir, `${entry}.mjs`)).href)
