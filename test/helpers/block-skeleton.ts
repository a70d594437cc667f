/**
 * A block skeleton to compare our reader with pandoc's: block types and their nesting, with the
 * attributes that matter for slides (Div ids, classes and keys; header levels and classes; code
 * classes; raw formats; ordered list starts). One line per block, indented by depth.
 *
 * Inline content is left out, and so are pandoc's `Plain`/`Para` difference (both `Para`) and
 * the header identifiers pandoc makes up (`auto_identifiers`).
 */
import type { Root, RootContent } from 'mdast'
import type { Attributes } from '../../scripts/reader/attributes.ts'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
interface PandocBlock {
  t: string
  c?: Json
}
type PandocAttr = [string, string[], Array<[string, string]>]

function attr([id, classes, pairs]: PandocAttr): string {
  return [id ? `#${id}` : '', ...classes.map((name) => `.${name}`), ...pairs.map(([key, value]) => `${key}=${value}`)].filter(Boolean).join(' ')
}

function line(depth: number, text: string): string {
  return `${'  '.repeat(depth)}${text}`.trimEnd()
}

/** pandoc's JSON (`pandoc -t json`) to the skeleton. */
export function pandocSkeleton(document: { blocks: PandocBlock[] }): string {
  const out: string[] = []
  const blocks = (list: PandocBlock[], depth: number): void => {
    for (const block of list) one(block, depth)
  }
  const one = (block: PandocBlock, depth: number): void => {
    const c = block.c as never
    switch (block.t) {
      case 'Para':
      case 'Plain':
        out.push(line(depth, 'Para'))
        return
      case 'Header': {
        const [level, attributes] = c as [number, PandocAttr]
        out.push(line(depth, `Header ${level} ${attr(['', attributes[1], attributes[2]])}`))
        return
      }
      case 'CodeBlock':
        out.push(line(depth, `CodeBlock ${attr((c as [PandocAttr])[0])}`))
        return
      case 'RawBlock':
        out.push(line(depth, `RawBlock ${(c as [{ t: string; c?: string } | string])[0] as string}`))
        return
      case 'BlockQuote':
        out.push(line(depth, 'BlockQuote'))
        blocks(c as PandocBlock[], depth + 1)
        return
      case 'BulletList':
      case 'OrderedList': {
        const items = block.t === 'BulletList' ? (c as PandocBlock[][]) : (c as [[number], PandocBlock[][]])[1]
        const start = block.t === 'OrderedList' ? ` ${(c as [[number]])[0][0]}` : ''
        out.push(line(depth, `${block.t}${start}`))
        for (const item of items) {
          out.push(line(depth + 1, 'Item'))
          blocks(item, depth + 2)
        }
        return
      }
      case 'DefinitionList':
        out.push(line(depth, 'DefinitionList'))
        for (const [, definitions] of c as Array<[unknown, PandocBlock[][]]>) {
          out.push(line(depth + 1, 'Term'))
          for (const definition of definitions) {
            out.push(line(depth + 2, 'Definition'))
            blocks(definition, depth + 3)
          }
        }
        return
      case 'Div': {
        const [attributes, content] = c as [PandocAttr, PandocBlock[]]
        out.push(line(depth, `Div ${attr(attributes)}`))
        blocks(content, depth + 1)
        return
      }
      case 'LineBlock':
        out.push(line(depth, `LineBlock ${(c as unknown[]).length}`))
        return
      case 'Null':
        return
      default:
        out.push(line(depth, block.t))
    }
  }
  blocks(document.blocks, 0)
  return out.join('\n')
}

/** Our mdast (after the reader, before the slide transforms) to the skeleton. */
export function mdastSkeleton(tree: Root): string {
  const out: string[] = []
  const blocks = (list: RootContent[], depth: number): void => {
    for (const node of list) one(node, depth)
  }
  const one = (node: RootContent, depth: number): void => {
    switch (node.type) {
      case 'paragraph':
        out.push(line(depth, node.data?.rawTex ? 'RawBlock tex' : 'Para'))
        return
      case 'heading': {
        const attributes = node.data?.attributes
        out.push(line(depth, `Header ${node.depth} ${attr(['', attributes?.classes ?? [], Object.entries(attributes?.values ?? {})])}`))
        return
      }
      case 'code': {
        const attributes = node.data?.attributes
        if (attributes?.rawFormat) {
          out.push(line(depth, `RawBlock ${attributes.rawFormat}`))
          return
        }
        const classes = attributes ? attributes.classes : node.lang ? [node.lang] : []
        out.push(line(depth, `CodeBlock ${attr([attributes?.id ?? '', classes, Object.entries(attributes?.values ?? {})])}`))
        return
      }
      case 'html':
        out.push(line(depth, 'RawBlock html'))
        return
      case 'blockquote':
        out.push(line(depth, 'BlockQuote'))
        blocks(node.children, depth + 1)
        return
      case 'list':
        out.push(line(depth, node.ordered ? `OrderedList ${node.start ?? 1}` : 'BulletList'))
        for (const item of node.children) {
          out.push(line(depth + 1, 'Item'))
          blocks(item.children, depth + 2)
        }
        return
      case 'fencedDiv': {
        const { id, classes, values } = node.attributes
        out.push(line(depth, `Div ${attr([id ?? '', classes, Object.entries(values)])}`))
        blocks(node.children as RootContent[], depth + 1)
        return
      }
      case 'defList': {
        out.push(line(depth, 'DefinitionList'))
        for (const child of node.children) {
          if (child.type === 'defListTerm') out.push(line(depth + 1, 'Term'))
          else {
            out.push(line(depth + 2, 'Definition'))
            blocks(child.children as RootContent[], depth + 3)
          }
        }
        return
      }
      case 'lineBlock':
        out.push(line(depth, `LineBlock ${node.children.length}`))
        return
      case 'thematicBreak':
        out.push(line(depth, 'HorizontalRule'))
        return
      case 'table':
        out.push(line(depth, 'Table'))
        return
      // Front matter is pandoc's metadata; footnote and link definitions are not blocks there.
      case 'yaml':
      case 'footnoteDefinition':
      case 'definition':
        return
      default:
        out.push(line(depth, node.type))
    }
  }
  blocks(tree.children, 0)
  return out.join('\n')
}

/**
 * The attributes of pandoc's inline elements, in document order, one line each: spans, inline
 * code, raw inlines, images and links (`Span #id .class key=value`, `RawInline latex`).
 * `tex` raw inlines are left out on both sides: pandoc makes one of every TeX command in text,
 * which our reader keeps as text for the raw TeX stage (remark-raw-tex).
 */
export function pandocInlineAttributes(document: { blocks: PandocBlock[] }): string {
  const out: string[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item)
      return
    }
    if (!value || typeof value !== 'object') return
    const { t, c } = value as { t?: string; c?: unknown }
    if (t === 'Span') out.push(`Span ${attr((c as [PandocAttr])[0])}`.trimEnd())
    else if (t === 'Code') out.push(`Code ${attr((c as [PandocAttr])[0])}`.trimEnd())
    else if (t === 'RawInline' && (c as [string])[0] !== 'tex') out.push(`RawInline ${(c as [string])[0]}`)
    else if (t === 'Image' || t === 'Link') out.push(`${t} ${attr((c as [PandocAttr])[0])}`.trimEnd())
    walk(c)
  }
  walk(document.blocks)
  return out.join('\n')
}

/** The same list from our mdast. */
export function mdastInlineAttributes(tree: Root): string {
  const out: string[] = []
  const phrasing = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference', 'pandocSpan', 'lineBlockLine', 'defListTerm'])
  // pandoc keeps a footnote's content where it is referenced.
  const notes = new Map<string, RootContent>()
  const collect = (node: RootContent | Root): void => {
    if (node.type === 'footnoteDefinition') notes.set(node.identifier, node)
    else if ('children' in node) for (const child of node.children) collect(child as RootContent)
  }
  collect(tree)
  const walk = (node: RootContent | Root, inline = false): void => {
    if (node.type === 'footnoteDefinition') return
    if (node.type === 'footnoteReference') {
      const note = notes.get(node.identifier)
      if (note && 'children' in note) for (const child of note.children) walk(child as RootContent)
      return
    }
    const attributes = (node as { data?: { attributes?: Attributes } }).data?.attributes
    const text = (a: typeof attributes) => attr([a?.id ?? '', a?.classes ?? [], Object.entries(a?.values ?? {})])
    if (node.type === 'pandocSpan') out.push(`Span ${text(node.attributes)}`.trimEnd())
    else if (node.type === 'inlineCode' && attributes?.rawFormat !== 'tex') out.push(attributes?.rawFormat ? `RawInline ${attributes.rawFormat}` : `Code ${text(attributes)}`.trimEnd())
    else if (node.type === 'image' || node.type === 'link') out.push(`${node.type === 'image' ? 'Image' : 'Link'} ${text(attributes)}`.trimEnd())
    else if (node.type === 'linkReference' || node.type === 'imageReference') out.push(node.type === 'linkReference' ? 'Link' : 'Image')
    else if (node.type === 'html' && inline) out.push('RawInline html')
    if ('children' in node) for (const child of node.children) walk(child as RootContent, inline || phrasing.has(node.type))
  }
  walk(tree)
  return out.join('\n')
}
