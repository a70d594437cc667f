/**
 * The architecture as a rule over imports: each folder of scripts/ is a layer and may import only
 * its own and lower layers (type imports included), and no two files import each other, directly or
 * round about. test/layers.test.ts runs the check with the tests.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/** Lowest first: a layer sees the ones before it, never the ones after. */
export const LAYERS = [
  'core', // paths, caches, interrupts, the message printer, HTML helpers: no deck knowledge
  'reader', // pandoc Markdown -> mdast, pure: syntax/ (micromark), mdast/ (from/to), remark-*.ts
  'slides', // beamer semantics and the slide model (sections, slides, outline, raw TeX)
  'snippets', // resolve, run, normalise, store; remark-snippets.ts is the bridge into the tree
  'marp', // the writer: the slide model -> Marp Markdown with hast, and its info-string dialect
  'render', // Marp itself, highlighting, theme assets, notes
  'browser', // Chromium, the fit check, PDF printing and joining
  'export', // what is made from the printed pages besides the PDF: pdfpc, images, PPTX
  'build', // the stages of a build (stages.ts) and their order (pipeline.ts)
  'dev', // the dev server
  'cli', // commands: build, dev, verify, update, --watch
  'bench', // the benchmark, which may drive everything
] as const

export interface ImportEdge {
  from: string
  to: string
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(file)
    return /\.(ts|mjs)$/.test(entry.name) ? [file] : []
  })
}

/** Every relative import (static, dynamic, type-only, re-export) between files under `dir`. */
export function importEdges(dir: string): ImportEdge[] {
  return sourceFiles(dir).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    return importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => ({ from: path.relative(dir, file), to: path.relative(dir, path.resolve(path.dirname(file), fileName)) }))
  })
}

const layerOf = (file: string): number => LAYERS.indexOf(file.split(path.sep)[0] as (typeof LAYERS)[number])

/** What breaks the rules, one line each (empty when the code keeps them). */
export function layerViolations(edges: ImportEdge[]): string[] {
  const problems: string[] = []
  for (const { from, to } of edges) {
    const [source, target] = [layerOf(from), layerOf(to)]
    if (from.includes(path.sep) && source < 0) problems.push(`${from}: its folder is not a layer (add it to LAYERS in scripts/layers.ts)`)
    else if (source >= 0 && target > source) problems.push(`${from} imports ${to}: ${LAYERS[source]}/ may not import ${LAYERS[target]}/ (a higher layer)`)
  }
  return [...problems, ...cycles(edges)]
}

function cycles(edges: ImportEdge[]): string[] {
  const next = new Map<string, string[]>()
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to])
  const state = new Map<string, 'open' | 'done'>()
  const found: string[] = []
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      found.push(`import cycle: ${[...trail.slice(trail.indexOf(file)), file].join(' -> ')}`)
      return
    }
    state.set(file, 'open')
    for (const to of next.get(file) ?? []) visit(to, [...trail, file])
    state.set(file, 'done')
  }
  for (const file of [...next.keys()].sort()) visit(file, [])
  return found
}
