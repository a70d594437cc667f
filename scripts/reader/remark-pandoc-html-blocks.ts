/**
 * remark plugin: raw HTML blocks split as pandoc splits them (its `markdown_in_html_blocks`),
 * where CommonMark takes every line up to a blank line as HTML:
 * - a line of block-level tags only (`<center>`, `</section>`, a stray `</div>`) is raw HTML of
 *   its own, and the lines after it are Markdown again;
 * - a line that starts with an inline tag (`<small>`, `<br/>`, `<img ...>`) is a paragraph with
 *   inline HTML in it, not an HTML block;
 * - the rest (comments, `<pre>`, `<script>`, `<style>`, a block tag with text after it) stays
 *   CommonMark's HTML block, except that a comment does not interrupt a paragraph.
 * (`<div ...>` lines around Markdown are divs: see micromark-fenced-divs.)
 *
 * CommonMark's construct is disabled and replaced by one that decides first, as
 * remark-pandoc-blockquote does for quotes.
 */
import type { Code, Construct, Effects, State, TokenizeContext } from 'micromark-util-types'
import type { Processor } from 'unified'
import { htmlFlow } from 'micromark-core-commonmark'
import { markdownLineEnding } from 'micromark-util-character'

const BLOCK_TAGS = new Set(
  (
    'address article aside blockquote body canvas caption center col colgroup dd details dialog dir div dl dt ' +
    'fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main ' +
    'menu nav noframes ol optgroup option p section summary table tbody td tfoot th thead title tr ul'
  ).split(' '),
)
/** Kept whole, as in CommonMark and pandoc. */
const RAW_TAGS = new Set(['pre', 'script', 'style', 'textarea'])
const TAG = /<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?\/?>/y

type Kind = 'tags' | 'inline' | 'commonmark'

/** What a line that starts with `<` is. */
function classify(line: string): Kind {
  if (/^<[!?]/.test(line)) return 'commonmark'
  TAG.lastIndex = 0
  const first = TAG.exec(line)
  const name = first?.[1]?.toLowerCase()
  if (!first || !name) return 'commonmark'
  if (RAW_TAGS.has(name)) return 'commonmark'
  if (!BLOCK_TAGS.has(name)) return 'inline'
  // Block tags only, to the end of the line?
  let offset = 0
  for (;;) {
    while (line[offset] === ' ' || line[offset] === '\t') offset++
    if (offset >= line.length) return 'tags'
    TAG.lastIndex = offset
    const match = TAG.exec(line)
    const tag = match?.[1]?.toLowerCase()
    if (!match || !tag || !BLOCK_TAGS.has(tag)) return 'commonmark'
    offset += match[0].length
  }
}

const pandocHtmlFlow: Construct = {
  name: 'pandocHtmlFlow',
  concrete: true,
  resolveTo: htmlFlow.resolveTo,
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    let line = ''
    const probe: Construct = {
      partial: true,
      tokenize(effects: Effects, ok: State): State {
        return function read(code: Code): State | undefined {
          if (code === null || markdownLineEnding(code)) return ok(code)
          line += String.fromCharCode(code < 0 ? 32 : code)
          effects.enter('htmlFlowData')
          effects.consume(code)
          effects.exit('htmlFlowData')
          return read
        }
      },
    }
    return (code: Code) => effects.check(probe, decide, nok)(code)

    function decide(code: Code): State | undefined {
      const kind = classify(line)
      // Inline tags start a paragraph; a comment does not interrupt one (pandoc's raw inline).
      if (kind === 'inline' || (self.interrupt && line.startsWith('<!--'))) return nok(code)
      if (kind === 'commonmark') return htmlFlow.tokenize.call(self, effects, ok, nok)(code)
      effects.enter('htmlFlow')
      effects.enter('htmlFlowData')
      return data(code)
    }

    function data(code: Code): State | undefined {
      if (code === null || markdownLineEnding(code)) {
        effects.exit('htmlFlowData')
        effects.exit('htmlFlow')
        return ok(code)
      }
      effects.consume(code)
      return data
    }
  },
}

export default function remarkPandocHtmlBlocks(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push({ flow: { 60: pandocHtmlFlow }, disable: { null: ['htmlFlow'] } })
}
