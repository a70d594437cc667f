/**
 * Shapes Python tracebacks and Node.js (V8) stacks (and a compiler's diagnostics, below) in
 * captured output:
 * - `full` keeps them as printed;
 * - `short` keeps the `Traceback (most recent call last):` line, one elision marker line, and the
 *   exception lines; of a V8 stack, the error's lines and one marker for its `at` frames;
 * - `user` keeps only the frames in snippet files (`snippets/...`), with the elision marker where
 *   frames were left out.
 */

export type TracebackMode = 'full' | 'short' | 'user'
export const TRACEBACK_MODES: TracebackMode[] = ['full', 'short', 'user']

const HEADER = /^(\s*)Traceback \(most recent call last\):$/
const FRAME = /^(\s*)File "([^"]*)", line \d+/

export function shapeTracebacks(output: string, mode: TracebackMode, marker: string): string {
  if (mode === 'full') return output
  return shapeV8Stacks(shapePython(output, mode, marker), mode, marker)
}

function shapePython(output: string, mode: TracebackMode, marker: string): string {
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
 * A frame of a V8 stack: `at fn (file:line:col)`, `at [async] file:line:col`, `at fn
 * (node:internal/…)`, `at async Promise.all (index 0)`, and Node's `... N lines matching cause
 * stack trace ...` (frames it left out); ` {` after the last frame of an error printed with its
 * properties (`[cause]: …`). A JVM frame (`at Main.main(Main.java:4)`) is not one.
 */
const V8_FRAME = /^(\s+)(?:at (?:async )?(?:.*? \((.+?:\d+:\d+|node:[^)]+|native|<anonymous>|index \d+)\)|(.+?:\d+:\d+))|\.\.\. \d+ lines? matching cause stack trace \.\.\.)( \{)?$/

/**
 * What Node prints above an uncaught error: where it was thrown, that line of code, a caret, an
 * empty line (`node:fs:448`, `    return binding.readFileUtf8(…`, `    ^`, ``).
 */
const THROW_SITE = /^(node:\S+|\S+\.[cm]?[jt]sx?):\d+$/
const CARET = /^\s*\^+\s*$/

function shapeV8Stacks(output: string, mode: TracebackMode, marker: string): string {
  const out: string[] = []
  let elided = false
  const lines = output.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    // Thrown inside Node (or a library), not in the snippet: Node's own line of code goes too.
    const site = THROW_SITE.exec(line)
    if (site && CARET.test(lines[index + 2] ?? '') && lines[index + 3] === '' && !site[1]!.startsWith('snippets/')) {
      index += 3
      continue
    }
    const frame = V8_FRAME.exec(line)
    if (!frame) {
      out.push(line)
      elided = false
    } else if (mode === 'user' && (frame[2] ?? frame[3] ?? '').startsWith('snippets/')) {
      out.push(line)
      elided = false
    } else {
      // The brace that opens the error's properties stays, after the marker.
      if (!elided) out.push(`${frame[1]}${marker}`)
      if (frame[4]) out.push(`${out.pop()}${frame[4]}`)
      elided = true
    }
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
