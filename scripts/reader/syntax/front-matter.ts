/**
 * micromark syntax extension for pandoc's metadata blocks at the start of a deck:
 * - YAML front matter from a `---` line to the first `---` or `...` line (pandoc's
 *   `yaml_metadata_block`; micromark-extension-frontmatter has a single closing fence);
 * - pandoc's title block (`pandoc_title_block`): up to three `%` lines, title, author(s), date,
 *   each part continued by lines that start with a space.
 *
 * The tokens of the YAML block are those of micromark-extension-frontmatter (`yaml`,
 * `yamlFence`, `yamlValue`), so mdast-util-frontmatter builds its `yaml` node.
 */
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding, markdownSpace } from 'micromark-util-character'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    yaml: 'yaml'
    yamlFence: 'yamlFence'
    yamlFenceSequence: 'yamlFenceSequence'
    yamlValue: 'yamlValue'
    pandocTitleBlock: 'pandocTitleBlock'
    pandocTitleBlockPart: 'pandocTitleBlockPart'
  }
}

const DASH = 45
const DOT = 46
const PERCENT = 37

export function frontMatter(): Extension {
  return { flow: { [DASH]: [yamlConstruct], [PERCENT]: [titleBlockConstruct] } }
}

const yamlConstruct: Construct = { name: 'pandocYaml', tokenize: tokenizeYaml, concrete: true }
const titleBlockConstruct: Construct = { name: 'pandocTitleBlock', tokenize: tokenizeTitleBlock, concrete: true }

function atDocumentStart(context: TokenizeContext): boolean {
  const { line, column } = context.now()
  return line === 1 && column === 1
}

/** A fence line: three of `marker` and optional spaces, then the line ending. */
function fence(markers: number[]): Construct {
  return {
    partial: true,
    tokenize(effects: Effects, ok: State, nok: State): State {
      let marker: number | undefined
      let size = 0
      return (code: Code) => {
        if (code === null || !markers.includes(code)) return nok(code)
        marker = code
        effects.enter('yamlFence')
        effects.enter('yamlFenceSequence')
        return sequence(code)
      }
      function sequence(code: Code): State | undefined {
        if (code === marker && size < 3) {
          size++
          effects.consume(code)
          return sequence
        }
        if (size < 3) return nok(code)
        effects.exit('yamlFenceSequence')
        return trailing(code)
      }
      function trailing(code: Code): State | undefined {
        if (markdownSpace(code)) {
          effects.consume(code)
          return trailing
        }
        if (code !== null && !markdownLineEnding(code)) return nok(code)
        effects.exit('yamlFence')
        return ok(code)
      }
    },
  }
}

const openingFence = fence([DASH])
const closingFence = fence([DASH, DOT])

function tokenizeYaml(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return start

  function start(code: Code): State | undefined {
    if (!atDocumentStart(self)) return nok(code)
    effects.enter('yaml')
    return effects.attempt(openingFence, lineEnd, nok)(code)
  }

  function lineEnd(code: Code): State | undefined {
    // An unclosed block is no front matter (then `---` is a rule, as in pandoc).
    if (code === null) return nok(code)
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return effects.attempt(closingFence, done, valueStart)
  }

  function valueStart(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return lineEnd(code)
    effects.enter('yamlValue')
    return value(code)
  }

  function value(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('yamlValue')
      return lineEnd(code)
    }
    effects.consume(code)
    return value
  }

  function done(code: Code): State | undefined {
    effects.exit('yaml')
    return ok(code)
  }
}

function tokenizeTitleBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let parts = 0
  const nextLine: Construct = { tokenize: tokenizeNextLine, partial: true }
  return start

  function start(code: Code): State | undefined {
    if (!atDocumentStart(self)) return nok(code)
    effects.enter('pandocTitleBlock')
    return part(code)
  }

  /** A `%` line; its text up to the line ending is a part. */
  function part(code: Code): State | undefined {
    parts++
    effects.enter('pandocTitleBlockPart')
    effects.consume(code)
    return text
  }

  function text(code: Code): State | undefined {
    if (code === null) return end(code)
    if (markdownLineEnding(code)) return effects.check(nextLine, continued, end)(code)
    effects.consume(code)
    return text
  }

  /** The next line goes on with this part (a space) or starts the next (a `%`). */
  function continued(code: Code): State | undefined {
    effects.consume(code)
    return (next: Code) => {
      if (next === PERCENT) {
        effects.exit('pandocTitleBlockPart')
        return part(next)
      }
      return text(next)
    }
  }

  function end(code: Code): State | undefined {
    effects.exit('pandocTitleBlockPart')
    effects.exit('pandocTitleBlock')
    return ok(code)
  }

  function tokenizeNextLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return (code: Code) => {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return (next: Code) => ((next === PERCENT && parts < 3) || (next !== null && markdownSpace(next)) ? ok(next) : nok(next))
    }
  }
}
