/**
 * The one message printer: vfile messages one a line as `path:line:column severity reason (rule)`,
 * the shape editors and terminals turn into links, in the order of their place in the file
 * (vfile-sort: line, column, errors first), not in the order the stages found them; a message's
 * `note` (a code frame or a snippet's output tail) follows, indented.
 */
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { compareMessage } from 'vfile-sort'

export function formatMessages(file: VFile, options: { quiet?: boolean } = {}): string {
  return file.messages
    .filter((message) => !options.quiet || message.fatal === true)
    .sort(compareMessage)
    .map((message) => formatMessage(file.path, message))
    .join('\n')
}

/**
 * Text from a deck, a snippet or a file name, made safe to print: C0 and C1 control characters
 * (ESC, BEL, CSI, the OSC that sets a terminal's title or writes its clipboard), DEL, and the bidi
 * controls that reorder a line (CVE-2021-42574) are written as `\x1b` / `\u202e`; line feeds
 * and tabs stay.
 */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (character) => {
    const code = character.codePointAt(0)!
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

// Not \n (0x0a) and not \t (0x09).
const TERMINAL_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

function formatMessage(path: string, message: VFileMessage): string {
  const place = message.place
  const start = place && 'start' in place ? place.start : place
  // A message of another file than the deck (its deck.config.yaml) names that file.
  const where = message.file || path
  const location = start?.line ? `${where}:${start.line}:${start.column ?? 1}` : where
  const severity = message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
  const rule = message.ruleId ? ` (${message.ruleId})` : ''
  const note = message.note ? `\n${message.note.replace(/^/gm, '    ')}` : ''
  return escapeTerminal(`${location} ${severity} ${message.reason}${rule}${note}`)
}

/** Whether the file holds an error (a fatal message): the build stops before committing. */
export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true)
}
