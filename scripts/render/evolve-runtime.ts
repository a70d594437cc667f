/**
 * Runs in the presented HTML (bundled and inlined by evolve-assets.ts, never imported): the morph
 * between the versions of a block that lists them (marp/build-evolve.ts). The style there already
 * shows the version of the slide's step; when a step moves one version on or back, the new
 * version's code is shown for a moment as the old one's tokens and morphed into its own with
 * shiki-magic-move (tokens that stay move, new ones fade in, removed ones fade out); then its own
 * markup (line numbers, highlighted lines) comes back. A jump of several steps shows the version
 * at once; so does a viewer who prefers reduced motion.
 */
import { syncTokenKeys, toKeyedTokens, type KeyedTokensInfo } from 'shiki-magic-move/core'
import { MagicMoveRenderer } from 'shiki-magic-move/renderer'
import { ACTIVE_FRAGMENT } from '../marp/marp-contract.ts'

type Token = Parameters<typeof toKeyedTokens>[1][number][number]

const STEP = '.evolve-step'
const ACTIVE = ACTIVE_FRAGMENT
/** The version each slide shows, as last seen. */
const shown = new WeakMap<Element, number>()
/** The morph under way in a block: ends it at once. */
const running = new WeakMap<Element, () => void>()

const versionOf = (section: Element) => 1 + section.querySelectorAll(`${STEP}${ACTIVE}`).length

/** The code's tokens as the page shows them: text with its colour and weight, line by line. */
function tokensOf(code: HTMLElement, salt: string): KeyedTokensInfo {
  const lines: Token[][] = [[]]
  let text = ''
  const lineElements = [...code.querySelectorAll<HTMLElement>(':scope > .line')]
  const sources = lineElements.length > 0 ? lineElements : [code]
  sources.forEach((source, index) => {
    if (index > 0) {
      lines.push([])
      text += '\n'
    }
    const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      const styled = parent && parent !== source && parent.tagName === 'SPAN' ? parent.style : undefined
      const htmlStyle: Record<string, string> = {}
      if (styled?.color) htmlStyle.color = styled.color
      if (styled?.fontStyle) htmlStyle['font-style'] = styled.fontStyle
      if (styled?.fontWeight) htmlStyle['font-weight'] = styled.fontWeight
      ;(node.nodeValue ?? '').split('\n').forEach((part, at) => {
        if (at > 0) {
          lines.push([])
          text += '\n'
        }
        if (part) lines.at(-1)!.push({ content: part, offset: text.length, htmlStyle } as Token)
        text += part
      })
    }
  })
  while (lines.length > 1 && lines.at(-1)!.length === 0 && text.endsWith('\n')) {
    lines.pop()
    text = text.slice(0, -1)
  }
  return toKeyedTokens(text, lines, salt)
}

function morph(block: HTMLElement, from: number, to: number): void {
  running.get(block)?.()
  const codeOf = (version: number) => block.querySelector<HTMLElement>(`:scope > .ev-${version} :is(pre, marp-pre):not(.console) > code`)
  const before = codeOf(from)
  const code = codeOf(to)
  if (!before || !code) return
  const { from: start, to: end } = syncTokenKeys(tokensOf(before, `v${from}`), tokensOf(code, `v${to}`))
  const original = [...code.childNodes]
  code.classList.add('shiki-magic-move-container', 'evolve-morph')
  const scale = code.getBoundingClientRect().width / code.offsetWidth || 1
  const renderer = new MagicMoveRenderer(code, { globalScale: scale, animateContainer: false, containerStyle: false, duration: 700 })
  block.setAttribute('data-morphing', '')
  let over = false
  const finish = () => {
    if (over) return
    over = true
    code.replaceChildren(...original)
    code.classList.remove('shiki-magic-move-container', 'evolve-morph')
    for (const property of ['--smm-duration', '--smm-delay-move', '--smm-delay-leave', '--smm-delay-enter', '--smm-delay-container', '--smm-easing', '--smm-stagger']) code.style.removeProperty(property)
    block.removeAttribute('data-morphing')
    running.delete(block)
  }
  running.set(block, finish)
  // A morph on a slide no longer shown does not play (its transitions never end): it ends by time.
  const options = renderer.options
  setTimeout(finish, 2 * options.duration * (1 + Math.max(options.delayMove, options.delayEnter, options.delayLeave)))
  // The first render sets the old version's tokens in place (no animation), the second morphs.
  void renderer.render(start)
  renderer.render(end).then(finish, finish)
}

function update(section: Element): void {
  const version = versionOf(section)
  const last = shown.get(section) ?? 1
  if (version === last) return
  shown.set(section, version)
  const animate = Math.abs(version - last) === 1 && !matchMedia('(prefers-reduced-motion: reduce)').matches
  for (const block of section.querySelectorAll<HTMLElement>('.evolve[data-steps]')) {
    running.get(block)?.()
    if (animate) morph(block, last, version)
  }
}

new MutationObserver((mutations) => {
  const sections = new Set<Element>()
  for (const mutation of mutations) {
    const target = mutation.target as Element
    if (target.matches?.(STEP)) {
      const section = target.closest('section')
      if (section) sections.add(section)
    }
  }
  for (const section of sections) update(section)
}).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['data-bespoke-marp-fragment'] })
