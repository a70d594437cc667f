/**
 * Code from a snippet file: the whole file, a named region, or a line range (inside the region
 * if both are given), dedented. Region markers are `# region NAME` / `# endregion` in the file's
 * own comment syntax, its runner's (`// #region NAME` / `// #endregion` for JS/TS, Rust, C, ...,
 * as VS Code writes them);
 * marker lines never show.
 */
import { languageOf } from './languages.ts'
import { escapeRegExp } from '../core/escape-regexp.ts'

export interface Selection {
  region?: string
  lines?: string
}

export class SnippetSelectionError extends Error {
  override name = 'SnippetSelectionError'
}

interface Region {
  name: string
  /** 0-based index of the first line inside the region. */
  start: number
  /** 0-based index one past the last line inside the region. */
  end: number
}

export function findRegions(source: string, file: string, commentToken?: string): Region[] {
  const comment = escapeRegExp(commentToken ?? languageOf(file)?.comment ?? '#')
  const open = new RegExp(`^\\s*${comment}\\s*#?region\\b\\s*(\\S+)?`)
  const close = new RegExp(`^\\s*${comment}\\s*#?endregion\\b`)
  const lines = source.split('\n')
  const regions: Region[] = []
  const stack: Array<{ name: string; start: number }> = []
  lines.forEach((line, index) => {
    const opening = open.exec(line)
    if (opening) {
      stack.push({ name: opening[1] ?? '', start: index + 1 })
      return
    }
    if (close.test(line)) {
      const top = stack.pop()
      if (top) regions.push({ name: top.name, start: top.start, end: index })
    }
  })
  return regions.sort((a, b) => a.start - b.start)
}

/** Is this line a region marker (never shown)? */
function markerTest(file: string, commentToken?: string): (line: string) => boolean {
  const comment = escapeRegExp(commentToken ?? languageOf(file)?.comment ?? '#')
  const marker = new RegExp(`^\\s*${comment}\\s*#?(end)?region\\b`)
  return (line) => marker.test(line)
}

/** `comment`: the runner's comment token (runners.ts); by default the file's language's. */
export function selectCode(source: string, file: string, selection: Selection, comment?: string): string {
  let lines = source.replace(/\r\n?/g, '\n').split('\n')
  if (lines.at(-1) === '') lines.pop()
  if (selection.region !== undefined) {
    const regions = findRegions(source, file, comment)
    const region = regions.find((candidate) => candidate.name === selection.region)
    if (!region) {
      const names = regions.map((candidate) => `\`${candidate.name}\``)
      throw new SnippetSelectionError(
        `No region \`${selection.region}\` in \`${file}\`: ${names.length > 0 ? `it has ${names.join(', ')}` : 'it has no regions'}`,
      )
    }
    lines = lines.slice(region.start, region.end)
  }
  if (selection.lines !== undefined) lines = pickLines(lines, selection.lines, `\`${file}\`${selection.region ? ` region \`${selection.region}\`` : ''}`)
  const isMarker = markerTest(file, comment)
  return dedent(lines.filter((line) => !isMarker(line))).join('\n')
}

/** `3-9`, `3`, `3-`, `-4`, and comma lists `1-2,5`; 1-based and inclusive. */
export function pickLines(lines: string[], spec: string, what: string): string[] {
  const picked: string[] = []
  for (const part of spec.split(',')) {
    const match = /^\s*(\d*)\s*(-?)\s*(\d*)\s*$/.exec(part)
    if (!match || (match[1] === '' && match[3] === '')) throw new SnippetSelectionError(`Expected \`lines\` like \`3-9\`, not \`${spec}\``)
    const from = match[1] ? Number(match[1]) : 1
    const to = match[2] ? (match[3] ? Number(match[3]) : lines.length) : from
    if (from < 1 || to < from || to > lines.length) {
      throw new SnippetSelectionError(`Lines \`${part.trim()}\` are outside ${what}, which has ${lines.length} lines`)
    }
    picked.push(...lines.slice(from - 1, to))
  }
  return picked
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0)
  const common = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length)))
}
