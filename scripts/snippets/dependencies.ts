/**
 * The local files a snippet imports, followed transitively: they are part of its freshness key,
 * so editing a helper module re-runs the snippets that import it, and only those.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { languageOf } from './languages.ts'

const PYTHON_IMPORT = /^\s*(?:from\s+(\.*[\w.]*)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))/gm
const JS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g

export function localDependencies(file: string): string[] {
  const seen = new Set<string>([file])
  const queue = [file]
  while (queue.length > 0) {
    const current = queue.shift() as string
    for (const dependency of directImports(current)) {
      if (seen.has(dependency)) continue
      seen.add(dependency)
      queue.push(dependency)
    }
  }
  seen.delete(file)
  return [...seen].sort()
}

function directImports(file: string): string[] {
  const language = languageOf(file)
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const dir = path.dirname(file)
  if (language?.runner === 'python') return pythonImports(source, dir)
  if (language?.runner === 'node' || language?.runner === 'node-ts') return jsImports(source, dir, language.importable)
  return []
}

function pythonImports(source: string, dir: string): string[] {
  const found: string[] = []
  for (const match of source.matchAll(PYTHON_IMPORT)) {
    const modules = match[1] !== undefined ? [match[1]] : (match[2] ?? '').split(',').map((name) => name.trim())
    for (const module of modules) {
      const relative = module.replace(/^\.+/, '')
      const parts = relative.split('.').filter(Boolean)
      if (parts.length === 0) {
        const init = path.join(dir, '__init__.py')
        if (existsSync(init)) found.push(init)
        continue
      }
      for (const candidate of [path.join(dir, ...parts) + '.py', path.join(dir, ...parts, '__init__.py')]) {
        if (existsSync(candidate)) found.push(candidate)
      }
    }
  }
  return found
}

function jsImports(source: string, dir: string, extensions: string[]): string[] {
  const found: string[] = []
  for (const match of source.matchAll(JS_IMPORT)) {
    const target = path.resolve(dir, match[1] ?? '')
    const candidates = [target, ...extensions.map((ext) => target + ext), ...extensions.map((ext) => path.join(target, `index${ext}`))]
    const hit = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
    if (hit) found.push(hit)
  }
  return found
}
