/**
 * Shapes Python tracebacks (and a compiler's diagnostics, below) in captured output:
 * - `full` keeps them as printed;
 * - `short` keeps the `Traceback (most recent call last):` line, one elision marker line, and the
 *   exception lines;
 * - `user` keeps only the frames in snippet files (`snippets/...`), with the elision marker where
 *   frames were left out.
 */

export type TracebackMode = 'full' | 'short' | 'user'
export const TRACEBACK_MODES: TracebackMode[] = ['full', 'short', 'user']

const HEADER = /^(\s*)Traceback \(most recent call last\):$/
const FRAME = /^(\s*)File "([^"]*)", line \d+/

export function shapeTracebacks(output: string, mode: TracebackMode, marker: string): string {
  if (mode === 'full') return output
  const lines = output.split('\n')
  const out: string[] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    const header = HEADER.exec(line)
    if (!header) {
      out.push(line)
      continue
    }
    out.push(line)
    const indent = header[1] ?? ''
    // Frames: lines indented deeper than the header, until the exception line.
    const frames: string[][] = []
    let next = index + 1
    while (next < lines.length) {
      const candidate = lines[next] ?? ''
      if (!candidate.startsWith(`${indent} `) && !candidate.startsWith(`${indent}\t`)) break
      if (FRAME.test(candidate) || frames.length === 0) frames.push([candidate])
      else frames[frames.length - 1]?.push(candidate)
      next++
    }
    if (mode === 'short') {
      if (frames.length > 0) out.push(`${indent}${marker}`)
    } else {
      let elided = false
      for (const frame of frames) {
        const file = FRAME.exec(frame[0] ?? '')?.[2] ?? ''
        if (file.startsWith('snippets/')) {
          out.push(...frame)
          elided = false
        } else if (!elided) {
          out.push(`${indent}  ${marker}`)
          elided = true
        }
      }
    }
    index = next - 1
  }
  return out.join('\n')
}

/**
 * A build's diagnostics (`phase=build`), as a runner's patterns find them: `short` keeps the first
 * error, from its first line to the next diagnostic, and an elision marker for what followed;
 * `full` and `user` keep them all.
 */
export function shapeDiagnostics(output: string, mode: TracebackMode, marker: string, patterns: { start: string; error: string }): string {
  if (mode !== 'short') return output
  const start = new RegExp(patterns.start)
  const error = new RegExp(patterns.error)
  const lines = output.split('\n')
  const first = lines.findIndex((line) => error.test(line))
  if (first < 0) return output
  let end = first + 1
  while (end < lines.length && !start.test(lines[end] ?? '')) end++
  const kept = lines.slice(first, end)
  while (kept.length > 0 && kept.at(-1)?.trim() === '') kept.pop()
  const rest = lines.slice(end).some((line) => line.trim() !== '')
  return [...kept, ...(rest ? [marker] : [])].join('\n')
}
