/**
 * remark plugin: pandoc's rule that a block quote needs a blank line before it (its
 * `blank_before_blockquote`), where CommonMark lets `>` interrupt a paragraph. So
 * `> a note\n> > more` is one quoted paragraph holding "> more", as pandoc + beamer shows it.
 *
 * CommonMark's construct is disabled and replaced by one that refuses to start while a paragraph
 * is open; its continuation (the `>` of each further line) is CommonMark's, re-pointed at a
 * marker construct that is not disabled.
 */
import type { Code, Construct, Effects, State, TokenizeContext } from 'micromark-util-types'
import type { Processor } from 'unified'
import { blockQuote } from 'micromark-core-commonmark'
import { factorySpace } from 'micromark-factory-space'
import { markdownSpace } from 'micromark-util-character'

const quoteMarker: Construct = { name: 'pandocBlockQuoteMarker', tokenize: blockQuote.tokenize }

const pandocBlockQuote: Construct = {
  ...blockQuote,
  name: 'pandocBlockQuote',
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    // `interrupt` is set while a paragraph is open: no quote may start there.
    if (this.interrupt) return (code: Code) => nok(code)
    return quoteMarker.tokenize.call(this, effects, ok, nok)
  },
  continuation: { tokenize: tokenizeContinuation },
}

function tokenizeContinuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return (code: Code) => {
    const indentLimit = self.parser.constructs.disable.null?.includes('codeIndented') ? undefined : 4
    if (markdownSpace(code)) return factorySpace(effects, marker, 'linePrefix', indentLimit)(code)
    return marker(code)
  }
  function marker(code: Code): State | undefined {
    return effects.attempt(quoteMarker, ok, nok)(code)
  }
}

export default function remarkPandocBlockquote(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push({ document: { 62: pandocBlockQuote }, disable: { null: ['blockQuote'] } })
}
