/**
 * Makes captured output independent of the machine before it is stored: absolute paths of the
 * snippets folder become `snippets/...`, the interpreter's library `<stdlib>/...`, memory addresses
 * a fixed placeholder; CRLF becomes LF, carriage-return overwrites are applied as a terminal
 * would, and colour codes are removed. No absolute path of the build machine reaches a slide.
 */
import os from 'node:os'
import stripAnsi from 'strip-ansi'

export interface NormalizeContext {
  /** Absolute path of the snippets folder. */
  snippetsDir: string
  /** Absolute path of the project (other files in it show relative to it). */
  projectDir: string
  replacements: Array<{ from: string; to: string }>
}

export const ADDRESS_PLACEHOLDER = '0x7f0000000000'

export function normalizeOutput(raw: string, context: NormalizeContext): string {
  let text = stripAnsi(raw).replace(/\r\n/g, '\n')
  text = text.split('\n').map(applyCarriageReturns).join('\n')
  const replacements = [
    ...context.replacements,
    { from: context.snippetsDir, to: 'snippets' },
    { from: context.projectDir, to: '.' },
    { from: os.homedir(), to: '~' },
    { from: os.tmpdir(), to: '<tmp>' },
  ]
    .filter((entry) => entry.from.length > 1)
    .sort((a, b) => b.from.length - a.from.length)
  for (const { from, to } of replacements) text = text.split(from).join(to)
  // CPython repr addresses (`at 0x7f3a2b1c4d60`) and id()-like hex numbers of 8+ digits.
  text = text.replace(/\b0x[0-9a-fA-F]{8,16}\b/g, ADDRESS_PLACEHOLDER)
  return text
}

/** `a\rb` shows `b` over the start of `a`, as a terminal draws it. */
function applyCarriageReturns(line: string): string {
  if (!line.includes('\r')) return line
  let screen = ''
  for (const part of line.split('\r')) screen = part + screen.slice(part.length)
  return screen
}
