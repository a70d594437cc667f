/**
 * Blocks that list versions (`file="v1.py|v2.py|v3.py"`, `region="v1|v2|v3"`, an output block's
 * `run="v1.py|v2.py|v3.py"`, read or run by scripts/snippets/remark-snippets.ts): the slide shows
 * the first version and each step the next. The versioned blocks of a slide step together (the
 * code and its output), from the step the first of them appears on.
 *
 * PDF: a page per step (beamer's overlays), each with its version alone.
 * HTML: every version, stacked in one place (the block keeps the size of its largest version) and
 * hidden but the current one; the first versioned block of the slide carries the steps' markers,
 * fragments of the slide that Marp's bespoke template steps through, and a style shows the
 * version of the last marker shown. The morph between versions is render/evolve-runtime.ts.
 *
 * `highlight=` on such a block gives one group of lines per version (`|` between them, empty for
 * none): each version shows with its own lines highlighted.
 */
import type { Code, Html, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { h } from 'hastscript'
import { wrap } from '../core/hast-html.ts'
import type { SnippetVersion } from '../snippets/remark-snippets.ts'
import { codeDisplay, formatCodeInfo, type CodeDisplay } from './code-display.ts'
import { consoleBlock } from './build-code.ts'
import { markLine } from './source-line.ts'
import { takeSteps, type Overlay } from './overlay.ts'
import { MARP_SELECTORS } from './marp-contract.ts'

/** The class of the empty fragment that starts version N, for N >= 2 (HTML). */
export const versionMarkerClass = (version: number): string => `ev-m${version}`
/** The class of version N's wrapper. */
export const versionClass = (version: number): string => `ev-${version}`


/** HTML: the rules that show version N of a slide's versioned blocks, one per version (they hold for any count). */
export function versionStyles(count: number): string[] {
  const base = '.evolve { display: grid; grid-template-columns: minmax(0, 1fr); }\n.evolve > .evolve-version { grid-area: 1 / 1; min-width: 0; }\n.evolve[data-steps] > .evolve-version { visibility: hidden; }\n.evolve > .evolve-step { display: none; }'
  const rules = Array.from({ length: count }, (_, index) => {
    const version = index + 1
    const shown = version === 1 ? '' : `:has(.${versionMarkerClass(version)}${MARP_SELECTORS.activeFragment})`
    return `section${shown}:not(:has(.${versionMarkerClass(version + 1)}${MARP_SELECTORS.activeFragment})) .evolve[data-steps] > .${versionClass(version)} { visibility: visible; }`
  })
  return [base, ...rules]
}

export function evolveBlock(node: Code | Html, versions: SnippetVersion[], overlay: Overlay, styles: Set<string>, file: VFile | undefined): RootContent[] {
  const count = versions.length
  const line = node.position?.start.line
  const fail = (reason: string, ruleId: string): never => {
    if (file) file.fail(reason, { place: node.position, ruleId, source: 'deck' })
    throw new Error(reason)
  }
  let display: CodeDisplay
  try {
    display = codeDisplay(node.data?.attributes)
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), 'code-highlight')
  }
  if (display.steps.length > 0 && display.steps.length !== count) {
    fail(`\`highlight\` on a block of ${count} versions takes one group of lines per version (\`|\` between them, empty for none), not ${display.steps.length}`, 'code-highlight')
  }
  // The slide's versioned blocks step together: the first sets the steps, the others follow.
  const sync = overlay.versions
  const leads = !sync
  if (!sync) overlay.versions = { first: overlay.counter, count, ...(line ? { line } : {}) }
  else if (sync.count !== count) {
    fail(`This block has ${count} versions and the one before it on the slide${sync.line ? ` (line ${sync.line})` : ''} has ${sync.count}: a slide's versioned blocks step together, give them as many versions`, 'snippet-versions')
  }
  const first = overlay.versions!.first
  let shown: number | undefined
  if (leads) shown = takeSteps(overlay, count)
  if (overlay.pdf) shown = Math.min(count, Math.max(1, overlay.step - first + 1))

  const render = (version: SnippetVersion, index: number): RootContent => {
    const shape = version.node
    if (shape.type === 'html') return shape
    const console = consoleBlock(shape)
    if (console) return console
    const own: CodeDisplay = { ...(display.numberFrom !== undefined ? { numberFrom: display.numberFrom } : {}), steps: display.steps.length > 0 ? [display.steps[index]!] : [] }
    if (own.steps.length > 0) own.show = 1
    const info = formatCodeInfo(own)
    return markLine(info ? { ...shape, lang: shape.lang ?? 'text', meta: info } : shape)
  }
  const versionElement = (index: number) =>
    h('div', { className: ['evolve-version', versionClass(index + 1)], dataVersion: `step ${index + 1} of ${count}: ${versions[index]!.label}` })

  if (overlay.pdf) {
    const index = shown! - 1
    return wrap(h('div.evolve'), wrap(versionElement(index), [render(versions[index]!, index)]))
  }
  for (const rule of versionStyles(count)) styles.add(rule)
  const markers = leads ? Array.from({ length: count - 1 }, (_, index) => h('span', { className: ['evolve-step', versionMarkerClass(index + 2)], dataMarpitFragment: true })) : []
  return wrap(
    h('div.evolve', { dataSteps: count }, markers),
    versions.flatMap((version, index) => wrap(versionElement(index), [render(version, index)])),
  )
}
