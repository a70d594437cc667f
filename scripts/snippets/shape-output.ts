/**
 * What an output block shows of a snippet's (normalised) output: tracebacks shaped, then
 * `replace="REGEX=>TEXT"`, `lines="1-4"`, and `max-lines=N` (cut with an explicit marker).
 */
import { pickLines } from './resolve.ts'
import { shapeDiagnostics, shapeTracebacks, type TracebackMode } from './traceback.ts'

export interface OutputShape {
  traceback: TracebackMode
  marker: string
  replace?: string
  lines?: string
  maxLines?: number
  /** A build's output (`phase=build`): the runner's diagnostic patterns, for `traceback=short`. */
  diagnostics?: { start: string; error: string }
}

export class OutputShapeError extends Error {
  override name = 'OutputShapeError'
}

export function shapeOutput(output: string, shape: OutputShape): string {
  let text = output.endsWith('\n') ? output.slice(0, -1) : output
  text = shape.diagnostics ? shapeDiagnostics(text, shape.traceback, shape.marker, shape.diagnostics) : shapeTracebacks(text, shape.traceback, shape.marker)
  if (shape.replace !== undefined) {
    const [pattern, replacement] = splitReplace(shape.replace)
    text = text.replace(pattern, replacement)
  }
  let lines = text.split('\n')
  if (shape.lines !== undefined) lines = pickLines(lines, shape.lines, 'the output')
  if (shape.maxLines !== undefined && lines.length > shape.maxLines) {
    const hidden = lines.length - shape.maxLines
    lines = [...lines.slice(0, shape.maxLines), `${shape.marker} (${hidden} more line${hidden === 1 ? '' : 's'})`]
  }
  return lines.join('\n')
}

function splitReplace(spec: string): [RegExp, string] {
  const at = spec.indexOf('=>')
  if (at < 0) throw new OutputShapeError(`Expected \`replace\` as \`REGEX=>TEXT\`, not \`${spec}\``)
  try {
    return [new RegExp(spec.slice(0, at), 'gm'), spec.slice(at + 2)]
  } catch (error) {
    throw new OutputShapeError(`Bad regular expression in \`replace\`: ${(error as Error).message}`)
  }
}
