/**
 * Code blocks. Console output and lint findings are raw `<pre>` blocks: they wrap like a terminal
 * instead of being highlighted and shrunk like code (a `<pre>` HTML block may hold blank lines).
 * Other code stays a Markdown fence for Marp's highlighter, with line numbers and highlighted
 * lines on its info string (code-display.ts); a PDF page shows one highlight step.
 */
import type { Code, Html } from 'mdast'
import type { VFile } from 'vfile'
import { h } from 'hastscript'
import { codeDisplay, formatCodeInfo, type CodeDisplay } from './code-display.ts'
import { htmlNode, lineProperties } from '../core/hast-html.ts'
import { takeSteps, type Overlay } from './overlay.ts'

export function consoleBlock(node: Code): Html | undefined {
  if (node.lang !== 'output' && node.lang !== 'lint') return undefined
  return htmlNode(h('pre', { className: ['console', node.lang], ...lineProperties(node) }, h('code', `${node.value}\n`)))
}

/** `file`: where a bad `highlight` or `startFrom` attribute is reported. */
export function codeBlock(node: Code, overlay: Overlay, file: VFile | undefined): Code {
  let display: CodeDisplay
  try {
    display = codeDisplay(node.data?.attributes, node.value.split('\n').length)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (file) file.fail(reason, { place: node.position, ruleId: 'code-highlight', source: 'deck' })
    throw error
  }
  if (!overlay.pdf) overlay.highlightSteps = Math.max(overlay.highlightSteps, display.steps.length)
  if (display.steps.length > 1 && overlay.pdf) display.show = Math.max(1, takeSteps(overlay, display.steps.length))
  else if (display.steps.length > 0 && overlay.pdf) display.show = 1
  const info = formatCodeInfo(display)
  if (!info) return node
  return { ...node, lang: node.lang ?? 'text', meta: info }
}
