/**
 * Makes captured output independent of the machine before it is stored: what a terminal screen
 * shows for the bytes (terminal.ts: carriage returns, erase, backspace, colours only when asked),
 * then absolute paths of the snippets folder become `snippets/...`, the project `.`, the home `~`,
 * the temporary folder `<tmp>`, the interpreter's library `<stdlib>/...`, memory addresses a fixed
 * placeholder. A prefix is replaced only where it is a whole path (`/tmp/x`, not the `/tmp` of
 * `https://example.com/tmp/x` nor the `/root` of `/rootfs`). A stack frame of the toolchain's fs
 * hook (reads.ts) goes: a terminal run of the snippet has none.
 */
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import stripAnsi from 'strip-ansi'
import { NODE_HOOK } from './reads.ts'
import { renderTerminal } from './terminal.ts'
import { escapeRegExp } from '../core/escape-regexp.ts'

export interface NormalizeContext {
  /** Absolute path of the snippets folder. */
  snippetsDir: string
  /** Absolute path of the project (other files in it show relative to it). */
  projectDir: string
  replacements: Array<{ from: string; to: string }>
  /** Keep colours (as SGR codes, one self-contained run per line). */
  color?: boolean
  /** Strings that must never reach a slide (the run's token). */
  secrets?: string[]
}

export const ADDRESS_PLACEHOLDER = '0x7f0000000000'

export async function normalizeOutput(raw: string, context: NormalizeContext): Promise<string> {
  let text = await renderTerminal(raw.replace(/\r\n/g, '\n'), { color: context.color === true })
  for (const secret of context.secrets ?? []) if (secret) text = text.split(secret).join('<run>')
  return replacePaths(withoutHookFrames(text), context)
}

/** `    at Object.readFileSync (<hook>:65:25)`: the hook's wrapper, between node:fs and the snippet. */
function withoutHookFrames(text: string): string {
  if (!text.includes(NODE_HOOK)) return text
  return text
    .split('\n')
    .filter((line) => {
      const plain = stripAnsi(line)
      return !(/^\s+at /.test(plain) && plain.includes(`${NODE_HOOK}:`))
    })
    .join('\n')
}

/** The path replacements and addresses alone (on text that is already what a screen shows). */
export function replacePaths(text: string, context: Pick<NormalizeContext, 'snippetsDir' | 'projectDir' | 'replacements'>): string {
  const replacements = [
    ...context.replacements,
    { from: context.snippetsDir, to: 'snippets' },
    { from: context.projectDir, to: '.' },
    { from: os.homedir(), to: '~' },
    { from: os.tmpdir(), to: '<tmp>' },
  ]
    .map((entry) => ({ ...entry, from: entry.from.replace(/\/+$/, '') }))
    .filter((entry) => entry.from.length > 1)
    // Node's stacks name ES modules by URL (`file:///abs/snippets/x.mjs:3`): the same paths, as URLs
    // (percent-encoded where the path has spaces or the like), become the same names.
    .flatMap((entry) => {
      const forms = [...new Set([`file://${entry.from}`, pathToFileURL(entry.from).href])]
      return [...forms.map((from) => ({ from, to: entry.to })), entry]
    })
    .sort((a, b) => b.from.length - a.from.length)
  for (const { from, to } of replacements) {
    // Not inside a longer word or path before it (a colour code may be), and followed by `/`, the
    // end, or a character that cannot continue a file name.
    const pattern = new RegExp(`(?<=^|[^\\w.~/-]|\x1b\\[[0-9;]*m)${escapeRegExp(from)}(?![\\w-]|\\.\\w)`, 'gm')
    text = text.replace(pattern, () => to)
  }
  // CPython repr addresses (`at 0x7f3a2b1c4d60`) and id()-like hex numbers of 8+ digits.
  return text.replace(/\b0x[0-9a-fA-F]{8,16}\b/g, ADDRESS_PLACEHOLDER)
}
