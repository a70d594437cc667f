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

function formatMessage(path: string, message: VFileMessage): string {
  const place = message.place
  const start = place && 'start' in place ? place.start : place
  const location = start?.line ? `${path}:${start.line}:${start.column ?? 1}` : path
  const severity = message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
  const rule = message.ruleId ? ` (${message.ruleId})` : ''
  const note = message.note ? `\n${message.note.replace(/^/gm, '    ')}` : ''
  return `${location} ${severity} ${message.reason}${rule}${note}`
}

/** Whether the file holds an error (a fatal message): the build stops before committing. */
export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true)
}
