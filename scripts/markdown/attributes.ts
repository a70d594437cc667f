/**
 * Pandoc attribute syntax: `{#id .class key=value key="quoted value" key='single'}`.
 * Also the bare word of a fenced div (`::: columns` is `{.columns}`) and the raw
 * format marker `{=latex}`.
 */

export interface Attributes {
  id?: string
  classes: string[]
  values: Record<string, string>
  /** `{=latex}`: the raw format of a raw block or span. */
  rawFormat?: string
}

export interface AttributeParseResult {
  attributes: Attributes
  /** Offset in the input where a malformed part starts, if any. */
  errorAt?: number
  error?: string
}

const TOKEN = /\s*(?:([#.])([^\s}#.="']+)|([^\s}="']+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s}]*))|=(\S+))/y

/** Parses the inside of `{...}` (without the braces). */
export function parseAttributeList(text: string): AttributeParseResult {
  const attributes: Attributes = { classes: [], values: {} }
  TOKEN.lastIndex = 0
  let offset = 0
  while (offset < text.length) {
    if (/^\s*$/.test(text.slice(offset))) break
    TOKEN.lastIndex = offset
    const match = TOKEN.exec(text)
    if (!match) {
      const at = offset + (text.slice(offset).length - text.slice(offset).trimStart().length)
      return { attributes, errorAt: at, error: `unexpected \`${text.slice(at, at + 12)}\` in attributes` }
    }
    const [, sigil, name, key, doubleQuoted, singleQuoted, bare, raw] = match
    if (sigil === '#' && name) attributes.id = name
    else if (sigil === '.' && name) attributes.classes.push(name)
    else if (key !== undefined) {
      const value = doubleQuoted !== undefined ? doubleQuoted.replace(/\\(.)/g, '$1') : (singleQuoted ?? bare ?? '')
      attributes.values[key] = value
    } else if (raw) attributes.rawFormat = raw
    offset = TOKEN.lastIndex
  }
  return { attributes }
}

/**
 * Parses what follows the colons of a div fence: a bare class word or a braced list.
 * Returns undefined when there is nothing (a closing fence).
 */
export function parseDivInfo(info: string): AttributeParseResult | undefined {
  const trimmed = info.trim().replace(/\s*:+\s*$/, '')
  if (trimmed === '') return undefined
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) return parseAttributeList(trimmed.slice(1, -1))
  if (/^[^\s{}]+$/.test(trimmed)) return { attributes: { classes: [trimmed], values: {} } }
  return { attributes: { classes: [], values: {} }, errorAt: 0, error: `expected a class name or \`{...}\` after the colons, not \`${trimmed}\`` }
}

/**
 * Finds a trailing `{...}` attribute list at the end of a string (heading text).
 * Returns the text before it and the parsed list, or undefined when there is none.
 */
export function splitTrailingAttributes(text: string): { before: string; attributes: Attributes } | undefined {
  const match = /\s*\{([^{}]*)\}\s*$/.exec(text)
  if (!match || match[1] === undefined) return undefined
  const parsed = parseAttributeList(match[1])
  if (parsed.error) return undefined
  return { before: text.slice(0, match.index), attributes: parsed.attributes }
}
