/**
 * Pandoc attribute syntax, read as pandoc 2.17 reads it:
 * `{#id .class key=value key="quoted value" key='single' id=x class="a b" -}`, the bare word of
 * a fenced div (`::: columns` is `{.columns}`) and the raw format marker `{=latex}` of code.
 *
 * - an identifier or class name starts with a letter and goes on with letters, digits, `-`, `_`,
 *   `:` and `.` (so `{.a.b}` is one class `a.b`, `{.a#b}` a class and an id);
 * - `id=x` sets the identifier and `class="a b"` adds classes; a later id wins;
 * - `-` alone is the class `unnumbered`;
 * - an unquoted value runs to the next space or `}`; a value's backslash escapes (`\"`, `\\`,
 *   `\}`: a backslash before ASCII punctuation) and character references are decoded once, as
 *   pandoc's `litChar` does; a backslash before anything else stays (`replace="\d+=>N"` is `\d+`).
 */
import { decodeString } from 'micromark-util-decode-string'

export interface Attributes {
  id?: string
  classes: string[]
  values: Record<string, string>
  /** `{=latex}`: the raw format of a raw block or inline code. */
  rawFormat?: string
}

export interface AttributeParseResult {
  attributes: Attributes
  /** Offset in the input where a malformed part starts, if any. */
  errorAt?: number
  error?: string
}

const NAME = /[\p{L}][\p{L}\p{N}_:.-]*/uy
const KEY = /[\p{L}_][\p{L}\p{N}_:.-]*(?==)/uy
const SPACE = /\s*/y
const RAW = /^\s*=([\p{L}\p{N}_-]+)\s*$/u

function match(pattern: RegExp, text: string, offset: number): string | undefined {
  pattern.lastIndex = offset
  return pattern.exec(text)?.[0]
}

/** Parses the inside of `{...}` (without the braces). */
export function parseAttributeList(text: string): AttributeParseResult {
  const attributes: Attributes = { classes: [], values: {} }
  const raw = RAW.exec(text)
  if (raw?.[1]) return { attributes: { ...attributes, rawFormat: raw[1] } }
  let offset = 0
  const fail = (message: string): AttributeParseResult => ({ attributes, errorAt: offset, error: message })
  for (;;) {
    offset += match(SPACE, text, offset)?.length ?? 0
    if (offset >= text.length) return { attributes }
    const sigil = text[offset]
    if (sigil === '#' || sigil === '.') {
      const name = match(NAME, text, offset + 1)
      if (!name) return fail(`expected a name after \`${sigil}\` in attributes`)
      if (sigil === '#') attributes.id = name
      else attributes.classes.push(name)
      offset += 1 + name.length
      continue
    }
    if (sigil === '-' && /^-(\s|$)/.test(text.slice(offset))) {
      attributes.classes.push('unnumbered')
      offset += 1
      continue
    }
    const key = match(KEY, text, offset)
    if (!key) return fail(`unexpected \`${text.slice(offset, offset + 12)}\` in attributes`)
    offset += key.length + 1
    const value = readValue(text, offset)
    if (!value) return fail(`unclosed quote in the value of \`${key}\``)
    offset = value.end
    if (key === 'id') attributes.id = value.text
    else if (key === 'class') attributes.classes.push(...value.text.split(/\s+/).filter(Boolean))
    else attributes.values[key] = value.text
  }
}

function readValue(text: string, start: number): { text: string; end: number } | undefined {
  const quote = text[start]
  if (quote === '"' || quote === "'") {
    for (let index = start + 1; index < text.length; index++) {
      const char = text[index]
      if (char === '\\' && ASCII_PUNCTUATION.test(text[index + 1] ?? '')) index++
      else if (char === quote) return { text: decodeString(text.slice(start + 1, index)), end: index + 1 }
    }
    return undefined
  }
  const bare = /(?:\\[!-/:-@[-`{-~]|[^\s}])*/y
  bare.lastIndex = start
  const value = bare.exec(text)?.[0] ?? ''
  return { text: decodeString(value), end: start + value.length }
}

const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/

/**
 * Parses what follows the colons of a div fence: a braced list or else a bare word, either
 * followed by optional colons. Returns undefined when there is nothing (a closing fence), and an
 * error when the line is not an opening fence (pandoc reads it as text).
 */
export function parseDivInfo(info: string): AttributeParseResult | undefined {
  const trimmed = info.trim()
  if (trimmed === '') return undefined
  // A brace list that reads as attributes is taken, and then only colons may follow it.
  const end = trimmed.startsWith('{') ? closingBrace(trimmed) : undefined
  if (end !== undefined) {
    const parsed = parseAttributeList(trimmed.slice(1, end))
    if (!parsed.error && !parsed.attributes.rawFormat) {
      const rest = trimmed.slice(end + 1)
      if (/^\s*:*$/.test(rest)) return parsed
      return { attributes: { classes: [], values: {} }, errorAt: 0, error: `unexpected \`${rest.trim()}\` after the attributes` }
    }
  }
  const word = /^(\S+)(?:\s+:+)?$/.exec(trimmed)
  if (word?.[1]) return { attributes: { classes: [word[1]], values: {} } }
  return { attributes: { classes: [], values: {} }, errorAt: 0, error: `expected a class name or \`{...}\` after the colons, not \`${trimmed}\`` }
}

/**
 * The index of the `}` that closes the `{` at `at`, skipping quoted values; undefined where there
 * is none, or where `stop` says the attributes cannot go on at that index.
 */
export function closingBrace(text: string, at = 0, stop?: (index: number) => boolean): number | undefined {
  let quote: string | undefined
  for (let index = at + 1; index < text.length; index++) {
    const char = text[index]
    if (quote) {
      if (char === '\\') index++
      else if (char === quote) quote = undefined
    } else if ((char === '"' || char === "'") && text[index - 1] === '=') quote = char
    else if (char === '}') return index
    else if (stop?.(index)) return undefined
  }
  return undefined
}

/**
 * Finds a trailing `{...}` attribute list at the end of a string (heading text).
 * Returns the text before it and the parsed list, or undefined when there is none.
 */
export function splitTrailingAttributes(text: string): { before: string; attributes: Attributes } | undefined {
  const match = /\s*\{([^{}]*)\}\s*$/.exec(text)
  if (!match || match[1] === undefined) return undefined
  const parsed = parseAttributeList(match[1])
  if (parsed.error || parsed.attributes.rawFormat) return undefined
  return { before: text.slice(0, match.index), attributes: parsed.attributes }
}

/**
 * The attributes of an HTML tag (`<div id="a" class="b c" style='x' hidden>`) as pandoc's
 * `native_divs` reads them: `id`, the classes, and the rest as keys.
 */
export function parseHtmlAttributes(tag: string): Attributes {
  const attributes: Attributes = { classes: [], values: {} }
  const inner = tag.replace(/^\s*<\w+/, '').replace(/\/?>\s*$/, '')
  const ATTRIBUTE = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g
  for (const [, name = '', doubleQuoted, singleQuoted, bare] of inner.matchAll(ATTRIBUTE)) {
    const value = doubleQuoted ?? singleQuoted ?? bare ?? ''
    const key = name.toLowerCase()
    if (key === 'id') attributes.id = value
    else if (key === 'class') attributes.classes.push(...value.split(/\s+/).filter(Boolean))
    else attributes.values[key] = value
  }
  return attributes
}
