/**
 * micromark syntax extension for pandoc fenced divs, as a container (like a block quote), so
 * that a fence belongs to the container it is written in, as in pandoc:
 * - a fence of three or more colons followed by a class word or `{...}` opens a div, at the
 *   margin of its container (a list item's content column, after a quote's `> `); a fence
 *   indented by 1-3 spaces is text; an opening fence does not interrupt a paragraph;
 * - a fence of colons with nothing after it, at the margin of the innermost open div, closes it,
 *   whatever its length; it ends a paragraph or list item inside the div (lines inside fenced
 *   code are never fences);
 * - a lazy line (one that a list item or quote does not take by its indentation or `>`) that is
 *   a bare fence closes the innermost div the line did not reach, as pandoc appends lazy lines
 *   to the item or quote: `- ::: a` / `  x` / `:::` is a div in the item;
 * - while a div is open, a bare fence that closes nothing is a paragraph of its own (see
 *   `strayFenceConstruct`);
 * - pandoc's `native_divs`: a line that is only `<div ...>` opens a div (its content is Markdown)
 *   that a `</div>` line closes; it may be indented and interrupt a paragraph. Without its
 *   `</div>` it is raw HTML, as for pandoc (mdast-fenced-divs puts its content back in place).
 *
 * The fence lines leave their line ending to the flow as a blank line; a resolver makes those
 * ordinary line endings again, so that a div in a list item does not make the list loose.
 */
import type { Code, Construct, ContainerState, Effects, Event, Extension, ParseContext, State, Token, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding, markdownSpace } from 'micromark-util-character'
import { parseDivInfo } from '../attributes.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    fencedDiv: 'fencedDiv'
    fencedDivFence: 'fencedDivFence'
    fencedDivSequence: 'fencedDivSequence'
    fencedDivInfo: 'fencedDivInfo'
    fencedDivLazyFence: 'fencedDivLazyFence'
    fencedDivProbe: 'fencedDivProbe'
    fencedDivHtmlTag: 'fencedDivHtmlTag'
  }
}

const COLON = 58
const LESS_THAN = 60

/** What the extension keeps on a div's container state. */
interface DivState extends ContainerState {
  div?: { offset: number; column: number; line: number; closed: boolean; html: boolean; quoted: boolean }
  /** The pseudo-container of a lazy closing fence (it only holds the fence line). */
  lazyFence?: boolean
}

/** Per-parse bookkeeping shared by the tokenizers of one document. */
interface Registry {
  /** Open divs by the offset of their opening fence. */
  open: Map<number, NonNullable<DivState['div']>>
  /** Offsets of lazy closing fences (found while checking, taken when parsing for real). */
  lazyFences: Set<number>
  /** Offsets where a fence line's line ending starts. */
  fenceEnds: Set<number>
}

const registries = new WeakMap<ParseContext, Registry>()

function registryOf(parser: ParseContext): Registry {
  let registry = registries.get(parser)
  if (!registry) {
    registry = { open: new Map(), lazyFences: new Set(), fenceEnds: new Set() }
    registries.set(parser, registry)
  }
  return registry
}

export function fencedDivs(): Extension {
  return { document: { [COLON]: fencedDivConstruct, [LESS_THAN]: fencedDivConstruct }, flow: { [COLON]: strayFenceConstruct } }
}

/**
 * pandoc: while a div is open, a bare fence that closes nothing (indented in a list item, say)
 * still ends the paragraph before it, and is a paragraph of its own.
 */
const strayFenceConstruct: Construct = { name: 'fencedDivStrayFence', tokenize: tokenizeStrayFence }

function tokenizeStrayFence(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const registry = registryOf(self.parser)
  let size = 0
  return start

  function start(code: Code): State | undefined {
    const tail = self.events[self.events.length - 1]
    if (tail && tail[1].type === 'linePrefix' && tail[1].end.offset === self.now().offset) return nok(code)
    if (![...registry.open.values()].some((div) => !div.closed)) return nok(code)
    effects.enter('paragraph')
    effects.enter('chunkText', { contentType: 'text' })
    return sequence(code)
  }

  function sequence(code: Code): State | undefined {
    if (code === COLON) {
      size++
      effects.consume(code)
      return sequence
    }
    return size < 3 ? nok(code) : trailing(code)
  }

  function trailing(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return trailing
    }
    if (code !== null && !markdownLineEnding(code)) return nok(code)
    effects.exit('chunkText')
    effects.exit('paragraph')
    return ok(code)
  }
}

const fencedDivConstruct: Construct = {
  name: 'fencedDiv',
  tokenize: tokenizeStart,
  continuation: { tokenize: tokenizeContinuation },
  exit,
  resolveAll: resolveFenceLineEndings,
}

const OPENING = /^:{3,}(?!:)[ \t]*(\S.*)$/
const CLOSING = /^:{3,}[ \t]*$/
const HTML_OPENING = /^<div(?:\s[^>]*)?>\s*$/i
const HTML_CLOSING = /^ *<\/div>\s*$/i

/** The text of the current line from here, read without consuming it. */
function lineProbe(onText: (text: string) => void): Construct {
  return {
    partial: true,
    tokenize(effects: Effects, ok: State): State {
      let text = ''
      return probe
      function probe(code: Code): State | undefined {
        if (code === null || markdownLineEnding(code)) {
          onText(text)
          if (text !== '') effects.exit('fencedDivProbe')
          return ok(code)
        }
        if (text === '') effects.enter('fencedDivProbe')
        text += code < 0 ? ' ' : String.fromCharCode(code)
        effects.consume(code)
        return probe
      }
    },
  }
}

function tokenizeStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const state = self.containerState as DivState
  const registry = registryOf(self.parser)
  let line = ''
  let lineIndented = false

  return start

  function start(code: Code): State | undefined {
    if (code === LESS_THAN) return effects.check(lineProbe((text) => (line = text)), decideHtml, nok)(code)
    lineIndented = indented()
    return effects.check(lineProbe((text) => (line = text)), decide, nok)(code)
  }

  /** `<div ...>` alone on its line. */
  function decideHtml(code: Code): State | undefined {
    if (!HTML_OPENING.test(line)) return nok(code)
    const offset = self.now().offset
    const div = { offset, column: self.now().column, line: self.now().line, closed: false, html: true, quoted: false }
    state.div = div
    registry.open.set(offset, div)
    effects.enter('fencedDiv', { _container: true })
    effects.enter('fencedDivFence')
    effects.enter('fencedDivHtmlTag')
    return htmlTag(code)
  }

  function htmlTag(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('fencedDivHtmlTag')
      return done(code)
    }
    effects.consume(code)
    return htmlTag
  }

  /**
   * Only at the container's margin: 1-3 spaces of indent (eaten by micromark's container
   * construct as a `linePrefix`) make the fence text. A definition's continuation indent is a
   * `linePrefix` too (micromark-extension-definition-list), so inside one it takes a second one.
   */
  function indented(): boolean {
    let prefixes = 0
    let index = self.events.length - 1
    for (; index >= 0; index--) {
      const event = self.events[index]
      if (!event || event[1].type !== 'linePrefix') break
      if (event[0] === 'enter') prefixes++
    }
    if (prefixes === 0) return false
    return prefixes > 1 || innermostContainer(index) !== 'defList'
  }

  /** The type of the innermost container still open before event `from`. */
  function innermostContainer(from: number): string | undefined {
    return openContainers(from)[0]
  }

  /** Whether a block quote holds this place. */
  function inQuote(): boolean {
    return openContainers(self.events.length - 1).includes('blockQuote')
  }

  /** The types of the containers still open before event `from`, innermost first. */
  function openContainers(from: number): string[] {
    const types: string[] = []
    let depth = 0
    for (let index = from; index >= 0; index--) {
      const event = self.events[index]
      if (!event?.[1]._container) continue
      if (event[0] === 'exit') depth++
      else if (depth === 0) types.push(event[1].type)
      else depth--
    }
    return types
  }

  function decide(code: Code): State | undefined {
    const offset = self.now().offset
    const opening = lineIndented ? undefined : OPENING.exec(line)
    if (opening?.[1] !== undefined) {
      const parsed = parseDivInfo(opening[1])
      if (!parsed || parsed.error) return nok(code)
      // An opening fence does not interrupt a paragraph; a new list item on this line is no paragraph.
      if (self.interrupt && tail()?.type !== 'listItemPrefix') return nok(code)
      const div = { offset, column: self.now().column, line: self.now().line, closed: false, html: false, quoted: inQuote() }
      state.div = div
      registry.open.set(offset, div)
      effects.enter('fencedDiv', { _container: true })
      return fence(code)
    }
    if (CLOSING.test(line) && (registry.lazyFences.has(offset) || lazilyClosable())) {
      registry.lazyFences.add(offset)
      state.lazyFence = true
      effects.enter('fencedDivLazyFence')
      return fence(code)
    }
    return nok(code)
  }

  function tail(): Token | undefined {
    const last = self.events[self.events.length - 1]
    return last?.[0] === 'exit' ? last[1] : undefined
  }

  /** A bare fence that the innermost open div did not get (its container took no such line). */
  function lazilyClosable(): boolean {
    const now = self.now().line
    let innermost: NonNullable<DivState['div']> | undefined
    for (const div of registry.open.values()) if (!div.closed && (!innermost || div.offset > innermost.offset)) innermost = div
    if (!innermost || innermost.html || innermost.line === now) return false
    // A quote takes a lazy line without its indent (pandoc), a list item as it is.
    if (lineIndented && !innermost.quoted) return false
    innermost.closed = true
    return true
  }

  function fence(code: Code): State | undefined {
    effects.enter('fencedDivFence')
    effects.enter('fencedDivSequence')
    return sequence(code)
  }

  function sequence(code: Code): State | undefined {
    if (code === COLON) {
      effects.consume(code)
      return sequence
    }
    effects.exit('fencedDivSequence')
    return whitespace(code)
  }

  function whitespace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter('whitespace')
      return inWhitespace(code)
    }
    if (code === null || markdownLineEnding(code)) return done(code)
    effects.enter('fencedDivInfo')
    return info(code)
  }

  function inWhitespace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return inWhitespace
    }
    effects.exit('whitespace')
    return whitespace(code)
  }

  function info(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('fencedDivInfo')
      return done(code)
    }
    effects.consume(code)
    return info
  }

  function done(code: Code): State | undefined {
    effects.exit('fencedDivFence')
    registry.fenceEnds.add(self.now().offset)
    return ok(code)
  }
}

function tokenizeContinuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const state = self.containerState as DivState
  const div = state.div
  const registry = registryOf(self.parser)
  let isClosing = false

  return start

  function start(code: Code): State | undefined {
    // A lazy fence's pseudo-container holds its one line; a closed div takes no more lines.
    if (!div || div.closed) return nok(code)
    div.line = self.now().line
    if (div.html) {
      if ((code !== LESS_THAN && !markdownSpace(code)) || inConcreteFlow()) return ok(code)
      return effects.check(lineProbe((text) => (isClosing = HTML_CLOSING.test(text))), decide, ok)(code)
    }
    if (code !== COLON || inConcreteFlow()) return ok(code)
    return effects.check(lineProbe((text) => (isClosing = CLOSING.test(text))), decide, ok)(code)
  }

  function decide(code: Code): State | undefined {
    if (!isClosing || !div) return ok(code)
    // A div opened directly inside this one (at the same margin) takes the fence first.
    for (const other of registry.open.values()) {
      if (other !== div && !other.closed && other.html === div.html && other.offset > div.offset && other.column === div.column) return ok(code)
    }
    div.closed = true
    // Ends what is open inside the div (a paragraph, a list item) before the fence.
    state._closeFlow = true
    effects.enter('fencedDivFence')
    if (div.html) return htmlClosing(code)
    effects.enter('fencedDivSequence')
    return sequence(code)
  }

  function htmlClosing(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return done(code)
    effects.consume(code)
    return htmlClosing
  }

  function sequence(code: Code): State | undefined {
    if (code === COLON) {
      effects.consume(code)
      return sequence
    }
    effects.exit('fencedDivSequence')
    if (markdownSpace(code)) {
      effects.enter('whitespace')
      return trailing(code)
    }
    return done(code)
  }

  function trailing(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return trailing
    }
    effects.exit('whitespace')
    return done(code)
  }

  function done(code: Code): State | undefined {
    effects.exit('fencedDivFence')
    registry.fenceEnds.add(self.now().offset)
    return ok(code)
  }

  /**
   * Inside fenced code a line of colons is content, and inside an HTML block whose content pandoc
   * keeps raw (`<pre>`, `<script>`, `<style>`, `<textarea>`, a comment). Other HTML blocks (a
   * `<table>`) pandoc reads tag by tag, so a fence after them closes the div.
   */
  function inConcreteFlow(): boolean {
    for (let index = self.events.length - 1; index >= 0; index--) {
      const event = self.events[index]
      if (event && event[0] === 'enter' && event[1].type === 'chunkFlow') {
        const flow = event[1]._tokenizer
        if (!flow?.currentConstruct?.concrete) return false
        return !(div && !div.html && flow.currentConstruct.name === 'pandocHtmlFlow' && !rawHtmlBlock(flow))
      }
    }
    return false
  }

  /** Whether the HTML block being read starts with a tag whose content is kept raw (or a comment). */
  function rawHtmlBlock(flow: TokenizeContext): boolean {
    for (let index = flow.events.length - 1; index >= 0; index--) {
      const [kind, token] = flow.events[index]!
      if (kind !== 'enter' || token.type !== 'htmlFlow') continue
      const start = flow.sliceSerialize({ start: token.start, end: flow.now() })
      return /^\s*<(?:!|\?|(?:pre|script|style|textarea)(?:[\s>/]|$))/i.test(start)
    }
    return true
  }
}

function exit(this: TokenizeContext, effects: Effects): undefined {
  const state = this.containerState as DivState
  if (state.lazyFence) {
    effects.exit('fencedDivLazyFence')
    return
  }
  const div = state.div
  if (div) registryOf(this.parser).open.delete(div.offset)
  const token = effects.exit('fencedDiv')
  ;(token as Token & { _closed?: boolean })._closed = div?.closed ?? false
}

/** The line ending of a fence line is an ordinary one, not a blank line. */
function resolveFenceLineEndings(events: Event[], context: TokenizeContext): Event[] {
  const ends = registryOf(context.parser).fenceEnds
  const flows = new Set<TokenizeContext>()
  for (const [kind, token] of events) if (kind === 'enter' && token.type === 'chunkFlow' && token._tokenizer) flows.add(token._tokenizer)
  for (const flow of flows) {
    for (const [kind, token] of flow.events) {
      if (kind === 'enter' && token.type === 'lineEndingBlank' && ends.has(token.start.offset)) token.type = 'lineEnding'
    }
  }
  return events
}
