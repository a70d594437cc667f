/**
 * micromark syntax extension for pandoc fenced divs.
 *
 * Pandoc's rules, which differ from remark-directive's:
 * - a fence of three or more colons followed by a class word or `{...}` opens a div;
 * - a fence of colons with nothing after it closes the innermost open div, whatever its length
 *   (so `::: columns` may hold `:::: column`: the outer fence is shorter);
 * - a closing fence ends a list item or paragraph inside the div; an opening fence does not
 *   interrupt a paragraph.
 *
 * The div's body is tokenized as a nested document (like a block quote), so anything may go
 * inside. To find the fence that closes *this* div, each body line is classified here: nested
 * opening fences raise a depth counter, bare fences lower it, and lines inside fenced code are
 * never fences.
 */
import type { Code, Construct, Effects, Extension, State, Token, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding } from 'micromark-util-character'
import { factorySpace } from 'micromark-factory-space'
import { parseDivInfo } from './attributes.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    fencedDiv: 'fencedDiv'
    fencedDivFence: 'fencedDivFence'
    fencedDivSequence: 'fencedDivSequence'
    fencedDivInfo: 'fencedDivInfo'
    fencedDivContent: 'fencedDivContent'
    fencedDivProbe: 'fencedDivProbe'
  }
}

const COLON = 58
const SPACE = 32
const TAB = -2

const OPENING_LINE = /^ {0,3}:{3,}[ \t]*(\S.*)$/
const CLOSING_LINE = /^ {0,3}:{3,}[ \t]*$/
const CODE_FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/

export function fencedDivs(): Extension {
  return { flow: { [COLON]: fencedDivConstruct } }
}

const fencedDivConstruct: Construct = { name: 'fencedDiv', tokenize: tokenizeFencedDiv, concrete: true }

const nonLazyLine: Construct = { tokenize: tokenizeNonLazyLine, partial: true }

function tokenizeFencedDiv(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let info = ''
  let depth = 0
  let codeFence: { marker: string; size: number } | undefined
  let lineText = ''
  let previous: Token | undefined

  const lineProbe: Construct = { tokenize: tokenizeLineProbe, partial: true }
  const closingFence: Construct = { tokenize: tokenizeClosingFence, partial: true }

  return start

  function start(code: Code): State | undefined {
    // An opening fence does not interrupt a paragraph.
    if (self.interrupt) return nok(code)
    effects.enter('fencedDiv')
    effects.enter('fencedDivFence')
    effects.enter('fencedDivSequence')
    return sequenceOpen(code)
  }

  function sequenceOpen(code: Code): State | undefined {
    if (code === COLON) {
      effects.consume(code)
      info += ':'
      return sequenceOpen
    }
    if (info.length < 3) return nok(code)
    effects.exit('fencedDivSequence')
    info = ''
    return factorySpace(effects, beforeInfo, 'whitespace')(code)
  }

  function beforeInfo(code: Code): State | undefined {
    // A bare fence closes; it never opens.
    if (code === null || markdownLineEnding(code)) return nok(code)
    effects.enter('fencedDivInfo')
    return inInfo(code)
  }

  function inInfo(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('fencedDivInfo')
      const parsed = parseDivInfo(info)
      if (!parsed || parsed.error) return nok(code)
      effects.exit('fencedDivFence')
      if (code === null) return after(code)
      if (self.interrupt) return ok(code)
      return effects.attempt(nonLazyLine, contentStart, after)(code)
    }
    info += String.fromCharCode(code < 0 ? 32 : code)
    effects.consume(code)
    return inInfo
  }

  function contentStart(code: Code): State | undefined {
    effects.enter('fencedDivContent')
    return lineStart(code)
  }

  function lineStart(code: Code): State | undefined {
    if (code === null) return afterContent(code)
    return effects.check(lineProbe, classifyLine, classifyLine)(code)
  }

  /** Decides, from the whole text of the line, whether it closes this div. */
  function classifyLine(code: Code): State | undefined {
    if (codeFence) {
      const fence = CODE_FENCE_LINE.exec(lineText)
      if (fence?.[1] && fence[1][0] === codeFence.marker && fence[1].length >= codeFence.size && fence[2]?.trim() === '') {
        codeFence = undefined
      }
      return chunkStart(code)
    }
    const fence = CODE_FENCE_LINE.exec(lineText)
    if (fence?.[1]) {
      codeFence = { marker: fence[1][0] ?? '`', size: fence[1].length }
      return chunkStart(code)
    }
    if (CLOSING_LINE.test(lineText)) {
      if (depth === 0) return effects.attempt(closingFence, afterContent, chunkStart)(code)
      depth--
      return chunkStart(code)
    }
    const opening = OPENING_LINE.exec(lineText)
    if (opening?.[1] !== undefined) {
      const parsed = parseDivInfo(opening[1])
      if (parsed && !parsed.error) depth++
    }
    return chunkStart(code)
  }

  function chunkStart(code: Code): State | undefined {
    if (code === null) return afterContent(code)
    if (markdownLineEnding(code)) return effects.check(nonLazyLine, chunkNonLazyStart, afterContent)(code)
    return chunkNonLazyStart(code)
  }

  function chunkNonLazyStart(code: Code): State | undefined {
    const token = effects.enter('chunkDocument', { contentType: 'document', previous })
    if (previous) previous.next = token
    previous = token
    return contentContinue(code)
  }

  function contentContinue(code: Code): State | undefined {
    if (code === null) {
      const token = effects.exit('chunkDocument')
      self.parser.lazy[token.start.line] = false
      return afterContent(code)
    }
    if (markdownLineEnding(code)) return effects.check(nonLazyLine, nonLazyLineAfter, lineAfter)(code)
    effects.consume(code)
    return contentContinue
  }

  function nonLazyLineAfter(code: Code): State | undefined {
    effects.consume(code)
    const token = effects.exit('chunkDocument')
    self.parser.lazy[token.start.line] = false
    return lineStart
  }

  function lineAfter(code: Code): State | undefined {
    const token = effects.exit('chunkDocument')
    self.parser.lazy[token.start.line] = false
    return afterContent(code)
  }

  function afterContent(code: Code): State | undefined {
    effects.exit('fencedDivContent')
    return after(code)
  }

  function after(code: Code): State | undefined {
    effects.exit('fencedDiv')
    return ok(code)
  }

  /** Reads the current line into `lineText` without keeping anything (used in check mode). */
  function tokenizeLineProbe(this: TokenizeContext, effects: Effects, ok: State): State {
    let text = ''
    return probeStart
    function probeStart(code: Code): State | undefined {
      if (code === null || markdownLineEnding(code)) {
        lineText = ''
        return ok(code)
      }
      effects.enter('fencedDivProbe')
      return probe(code)
    }
    function probe(code: Code): State | undefined {
      if (code === null || markdownLineEnding(code)) {
        effects.exit('fencedDivProbe')
        lineText = text
        return ok(code)
      }
      text += code < 0 ? (code === TAB ? '\t' : ' ') : String.fromCharCode(code)
      effects.consume(code)
      return probe
    }
  }

  function tokenizeClosingFence(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    let size = 0
    return closingStart
    function closingStart(code: Code): State | undefined {
      effects.enter('fencedDivFence')
      return prefix(code)
    }
    function prefix(code: Code): State | undefined {
      if (code === SPACE || code === TAB) {
        effects.consume(code)
        return prefix
      }
      effects.enter('fencedDivSequence')
      return sequence(code)
    }
    function sequence(code: Code): State | undefined {
      if (code === COLON) {
        effects.consume(code)
        size++
        return sequence
      }
      if (size < 3) return nok(code)
      effects.exit('fencedDivSequence')
      return trailing(code)
    }
    function trailing(code: Code): State | undefined {
      if (code === SPACE || code === TAB) {
        effects.consume(code)
        return trailing
      }
      if (code === null || markdownLineEnding(code)) {
        effects.exit('fencedDivFence')
        return ok(code)
      }
      return nok(code)
    }
  }
}

function tokenizeNonLazyLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return start
  function start(code: Code): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return lineStart
  }
  function lineStart(code: Code): State | undefined {
    return self.parser.lazy[self.now().line] ? nok(code) : ok(code)
  }
}
