/**
 * micromark syntax extension for pandoc attribute braces right after an image, a link or inline
 * code: `![](a.png){ height=10% }`, `` `x`{.python} ``, `` `\newline`{=tex} ``. The braces are
 * read as one token, so nothing inside them is taken for Markdown (emphasis, links), and a brace
 * list that is not valid pandoc attributes stays text. (Heading and code-block attributes sit in
 * the heading text and the info string; remark-pandoc-attributes reads those.)
 */
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding } from 'micromark-util-character'
import { parseAttributeList } from '../attributes.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    pandocAttributes: 'pandocAttributes'
  }
}

const LEFT_BRACE = 123
const RIGHT_BRACE = 125
const QUOTE = 34
const APOSTROPHE = 39
const BACKSLASH = 92

export function pandocAttributes(): Extension {
  return { text: { [LEFT_BRACE]: attributesConstruct } }
}

const attributesConstruct: Construct = {
  name: 'pandocAttributes',
  tokenize: tokenizeAttributes,
  // Only right after `)` (an image or link) or a backtick (inline code).
  previous: (code: Code) => code === 41 || code === 96,
}

function tokenizeAttributes(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let inner = ''
  let quote: number | undefined
  return start

  function start(code: Code): State | undefined {
    effects.enter('pandocAttributes')
    effects.consume(code)
    return inside
  }

  function inside(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)
    if (quote === undefined && code === RIGHT_BRACE) {
      if (parseAttributeList(inner).error) return nok(code)
      effects.consume(code)
      effects.exit('pandocAttributes')
      return ok
    }
    if (quote !== undefined && code === BACKSLASH) {
      effects.consume(code)
      inner += '\\'
      return escaped
    }
    if (code === QUOTE || code === APOSTROPHE) quote = quote === undefined ? code : quote === code ? undefined : quote
    inner += String.fromCharCode(code < 0 ? 32 : code)
    effects.consume(code)
    return inside
  }

  function escaped(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)
    inner += String.fromCharCode(code < 0 ? 32 : code)
    effects.consume(code)
    return inside
  }
}
