/**
 * Code blocks. Console output and lint findings are raw `<pre>` blocks: they wrap like a terminal
 * instead of being highlighted and shrunk like code (a `<pre>` HTML block may hold blank lines).
 * Other code stays a Markdown fence for Marp's highlighter, with line numbers and highlighted
 * lines on its info string (code-display.ts); a PDF page shows one highlight step.
 */
import { createHash } from 'node:crypto'
import type { Code, Html } from 'mdast'
import type { VFile } from 'vfile'
import { h } from 'hastscript'
import type { OutputBlockSpec } from '../snippets/remark-snippets.ts'
import { codeDisplay, formatCodeInfo, type CodeDisplay } from './code-display.ts'
import { htmlNode, lineProperties } from '../core/hast-html.ts'
import { takeSteps, type Overlay } from './overlay.ts'

/** The attribute that marks an output block of a snippet run (see `markOutputs` in markdown.ts). */
export const OUTPUT_BLOCK_ATTRIBUTE = 'data-output-block'

/**
 * An output block's id: what it shows (its snippet run and shape), not where it is. Blocks that
 * show the same share it; the dev server finds a block in the page by it (run on stage).
 */
export function outputBlockId(spec: OutputBlockSpec): string {
  return createHash('sha256').update(JSON.stringify([spec.request, spec.shape])).digest('hex').slice(0, 16)
}

/** `mark`: output blocks of snippet runs carry OUTPUT_BLOCK_ATTRIBUTE with their id. */
export function consoleBlock(node: Code, mark = false): Html | undefined {
  if (node.lang !== 'output' && node.lang !== 'lint') return undefined
  const spec = node.data?.snippetOutput
  const id = mark && spec?.request.kind === 'run' ? { dataOutputBlock: outputBlockId(spec) } : {}
  return htmlNode(h('pre', { className: ['console', node.lang], ...id, ...lineProperties(node) }, h('code', `${node.value}\n`)))
}

const COLOURED_OPEN = '<pre class="console output"'

/** A coloured output block (HTML already, remark-snippets.ts), marked as consoleBlock marks. */
export function markColouredOutput(node: Html): Html {
  const spec = (node.data as Code['data'])?.snippetOutput
  if (!spec || spec.request.kind !== 'run' || !node.value.startsWith(COLOURED_OPEN)) return node
  return { ...node, value: `${COLOURED_OPEN} ${OUTPUT_BLOCK_ATTRIBUTE}="${outputBlockId(spec)}"${node.value.slice(COLOURED_OPEN.length)}` }
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
