/**
 * Joins the PDFs Chromium printed (one per group of slides, browser/pdf.ts) into the deck's PDF and
 * finishes it in the same pass: the page boxes at beamer's exact paper size, the speaker notes as
 * annotations that show no icon, the outline (sections holding their slides), metadata.
 *
 * It works on the bytes, not on a model of the document: pdf-lib parsed every object of the
 * printed PDF into its model and wrote it out again (at 1000 slides, 62k link annotations: 6.6 s
 * and hundreds of MB). Chromium's PDFs (Skia) are regular: a classic xref table, `N 0 obj …
 * endobj` per object, streams with direct lengths. Each object is copied as it is, renumbered;
 * the page objects are edited; streams that are the same in two prints (fonts, images) are kept
 * once; every object that is not a stream goes into a compressed object stream, with an xref
 * stream (as pdf-lib saved it: a third of the printed size).
 */
import { createHash } from 'node:crypto'
import { constants, deflateSync, inflateSync } from 'node:zlib'
import type { OutlineEntry } from '../slides/outline.ts'

export interface JoinOptions {
  /** The page box in pt, anchored at the top left of the printed page. */
  paper: { width: number; height: number }
  /** Speaker notes by 0-based page of the joined PDF. */
  notes: Array<{ page: number; text: string }>
  /** The bookmarks, at 1-based pages of the joined PDF. */
  outline: OutlineEntry[]
  /** Document information (Title, Author, …); an empty value leaves the printed one. */
  info: Record<string, string | undefined>
  lang: string
  /**
   * The label of each page (0-based), as beamer sets them: a frame's number, shared by its overlay
   * pages (pdfpc and viewers count slides by them). Absent: no /PageLabels.
   */
  pageLabels?: string[]
  /**
   * The alt text of each figure in document order: Chromium's tagging makes a `<figure>` a Figure
   * element but leaves out its picture's alt text, which the join adds (in the same order).
   */
  figureAlts?: string[]
  /**
   * Links the print does not have (browser/headline-links.ts): by 0-based page, the box in pt from
   * the slide's top left, the named destination and its 0-based page.
   */
  links?: Array<{ page: number; rect: [number, number, number, number]; dest: string; target: number }>
}

/** One object of a printed PDF: its text (latin1) up to `endobj`, and where a stream's data starts. */
interface SourceObject {
  /** The dictionary or value (for a stream: its dictionary). */
  head: string
  /** For a stream: the bytes from after the dictionary to `endstream` inclusive, copied as they are. */
  tail?: Buffer
}

/** A print read for joining (readPrint): the join's first half, done while the next group prints. */
export interface ReadPrint {
  objects: Map<number, SourceObject>
  pages: number[]
  dests?: number
  info?: number
  /** A tagged print's structure (Chromium's `tagged: true`). */
  structure?: Structure
}

/**
 * The structure tree of a tagged print: its root, the one Document element under it (whose kids
 * the joined PDF's Document takes over), and the parent tree, by key (the pages' /StructParents,
 * the annotations' /StructParent).
 */
interface Structure {
  root: number
  document: number
  /** The Document's kids, as written (refs and MCIDs). */
  kids: string
  parentTree: number
  /** Parent tree entries: key and value as written (a ref). */
  nums: Array<[number, string]>
}

/** A ref `12 0 R`, a literal string, a hex string or a comment: what renumbering must see or skip. */
const TOKEN = /\(|(?<!<)<(?!<)|%|(?<![\w.+-])(\d+)\s+\d+\s+R(?![\w])/g

/** The index after the literal string opening at `start` (balanced parentheses, backslash escapes). */
function stringEnd(text: string, start: number): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (c === '\\') i++
    else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i + 1
  }
  return text.length
}

/** `text` with each ref's object number mapped (generations become 0). */
function renumber(text: string, map: (object: number) => number): string {
  let out = ''
  let last = 0
  TOKEN.lastIndex = 0
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const token = match[0]
    if (match[1] !== undefined) {
      out += `${text.slice(last, match.index)}${map(Number(match[1]))} 0 R`
      last = TOKEN.lastIndex
    } else if (token === '(') TOKEN.lastIndex = stringEnd(text, match.index)
    else if (token === '<') TOKEN.lastIndex = text.indexOf('>', match.index) + 1 || text.length
    else TOKEN.lastIndex = text.indexOf('\n', match.index) + 1 || text.length
  }
  return out + text.slice(last)
}

/** The index after the dictionary that opens at `start` (nested dictionaries, strings skipped). */
function dictEnd(text: string, start: number): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (c === '(') i = stringEnd(text, i) - 1
    else if (c === '<' && text[i + 1] === '<') (depth++, i++)
    else if (c === '>' && text[i + 1] === '>') {
      i++
      if (--depth === 0) return i + 1
    } else if (c === '%') i = text.indexOf('\n', i)
  }
  throw new Error('unterminated dictionary')
}

const ref = (text: string, key: string): number | undefined => {
  const found = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(text)?.[1]
  return found === undefined ? undefined : Number(found)
}

export function readPrint(bytes: Uint8Array): ReadPrint {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const text = buffer.toString('latin1')
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-100))?.[1])
  if (!text.startsWith('xref', startxref)) throw new Error('the printed PDF has no classic xref table (not a Chromium PDF?)')
  const offsets: Array<[number, number]> = []
  let at = startxref + 4
  const SUBSECTION = /\s*(\d+)\s+(\d+)\s*?\r?\n/y
  while (!/^\s*trailer/.test(text.slice(at, at + 16))) {
    SUBSECTION.lastIndex = at
    const head = SUBSECTION.exec(text)
    if (!head) throw new Error('the printed PDF\'s xref table cannot be read')
    at = SUBSECTION.lastIndex
    const [first, count] = [Number(head[1]), Number(head[2])]
    for (let i = 0; i < count; i++, at += 20) {
      if (text[at + 17] === 'n') offsets.push([first + i, Number(text.slice(at, at + 10))])
    }
  }
  const trailer = text.slice(at)
  const root = ref(trailer, 'Root')
  if (root === undefined) throw new Error('the printed PDF has no catalog')
  // An object ends where the next one starts (the last: at the xref table).
  const ends = [...offsets.map(([, offset]) => offset), startxref].sort((a, b) => a - b)
  const objects = new Map<number, SourceObject>()
  const HEADER = /(\d+)\s+(\d+)\s+obj\s*/y
  for (const [number, offset] of offsets) {
    HEADER.lastIndex = offset
    if (!HEADER.exec(text)) throw new Error(`object ${number} of the printed PDF is not where its xref entry says`)
    const start = HEADER.lastIndex
    const end = text.lastIndexOf('endobj', ends[bisect(ends, offset)]!)
    const body = text.slice(start, end).trimEnd()
    if (body.endsWith('endstream') && body.startsWith('<<')) {
      const dictionary = dictEnd(body, 0)
      objects.set(number, { head: body.slice(0, dictionary), tail: buffer.subarray(start + dictionary, start + body.length) })
    } else objects.set(number, { head: body })
  }
  const catalog = objects.get(root)!.head
  const pages: number[] = []
  const walk = (node: number, depth: number) => {
    const object = objects.get(node)?.head ?? ''
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(object)?.[1]
    if (/\/Type\s*\/Pages\b/.test(object) && kids !== undefined && depth < 64) {
      for (const [, kid] of kids.matchAll(/(\d+)\s+\d+\s+R/g)) walk(Number(kid), depth + 1)
    } else pages.push(node)
  }
  walk(ref(catalog, 'Pages') ?? -1, 0)
  const dests = ref(catalog, 'Dests')
  const info = ref(trailer, 'Info')
  const structure = readStructure(objects, catalog)
  return { objects, pages, ...(dests !== undefined ? { dests } : {}), ...(info !== undefined ? { info } : {}), ...(structure ? { structure } : {}) }
}

/** The structure tree of a tagged print, as Chromium writes it (a flat parent tree), if it has one. */
function readStructure(objects: Map<number, SourceObject>, catalog: string): Structure | undefined {
  const root = ref(catalog, 'StructTreeRoot')
  if (root === undefined) return undefined
  const rootHead = objects.get(root)?.head ?? ''
  const document = ref(rootHead, 'K')
  const parentTree = ref(rootHead, 'ParentTree')
  if (document === undefined || parentTree === undefined) throw new Error('the printed PDF\'s structure tree is not as Chromium writes it (one Document element, a parent tree)')
  const documentHead = objects.get(document)?.head ?? ''
  const kids = /\/K\s*(\[[^\]]*\]|\d+\s+\d+\s+R|\d+)/.exec(documentHead)?.[1] ?? ''
  const treeHead = objects.get(parentTree)?.head ?? ''
  if (/\/Kids\b/.test(treeHead)) throw new Error('the printed PDF\'s parent tree has kids (only a flat one is joined)')
  const numbers = /\/Nums\s*\[([^\]]*)\]/.exec(treeHead)?.[1] ?? ''
  const nums = [...numbers.matchAll(/(\d+)\s+(\d+\s+\d+\s+R)/g)].map(([, key, value]): [number, string] => [Number(key), value!])
  return { root, document, kids: kids.startsWith('[') ? kids.slice(1, -1).trim() : kids, parentTree, nums }
}

/** The first index of sorted `list` whose value is greater than `value`. */
function bisect(list: number[], value: number): number {
  let [low, high] = [0, list.length]
  while (low < high) {
    const middle = (low + high) >> 1
    if (list[middle]! <= value) low = middle + 1
    else high = middle
  }
  return low
}

/** A text string: UTF-16BE with its byte order mark, in hex (as pdf-lib's PDFHexString.fromText). */
export function textString(text: string): string {
  let hex = '<FEFF'
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()
  return `${hex}>`
}

/**
 * How far below the top of its printed page Chromium drew the slide, in pt. At some paper sizes
 * (beamer's 4:3) it draws it a CSS px lower: its content stream opens with the page's flip
 * `a 0 0 -a 0 H cm`, then `s 0 0 s 0 ty cm`, and the page box must follow the drawing.
 */
function drawnOffset(stream: { head: string; tail: Buffer } | undefined): number {
  if (!stream || !/\/Filter\s*\/FlateDecode/.test(stream.head)) return 0
  const start = /^\s*stream\r?\n/.exec(stream.tail.subarray(0, 16).toString('latin1'))?.[0].length ?? 0
  let text: string
  try {
    // The first few hundred bytes are enough: a partial inflate of the stream's start.
    text = inflateSync(stream.tail.subarray(start, start + 512), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1')
  } catch {
    return 0
  }
  const match = /^\s*([\d.]+) 0 0 -\1 0 [\d.]+ cm\s+q\s+[\d.]+ 0 0 [\d.]+ 0 (-?[\d.]+) cm/.exec(text)
  return match ? Number(match[1]) * Number(match[2]) : 0
}

/** A coordinate as PDF writes it: at most 4 decimals. */
const decimal = (value: number) => String(Number(value.toFixed(4)))

/** Joins the printed PDFs, read (readPrint) and in page order, into one finished PDF. */
export function joinPdfs(parts: ReadPrint[], options: JoinOptions): Uint8Array {
  // Numbers: 1 the catalog, 2 the page tree, 3 the document information, then each part's objects
  // after the previous part's, then the notes and the outline.
  let next = 4
  const bases = parts.map((part) => {
    const base = next
    next += [...part.objects.keys()].reduce((a, b) => Math.max(a, b), 0) + 1
    return base
  })
  // Tagged prints: one structure tree, whose Document holds each print's; the parent tree's keys
  // (pages' /StructParents from 0, annotations' /StructParent from 100000) follow on from the
  // previous print's.
  const tagged = parts.length > 0 && parts.every((part) => part.structure)
  const structure = tagged ? { root: next++, document: next++, parentTree: next++ } : undefined
  const keyMaps = structureKeys(parts)
  // Streams that are the same in two prints (font files, images) are kept once: the same bytes,
  // and refs (an image's soft mask) to the same objects; so those that refer to nothing first.
  const same = new Map<string, number>()
  const alias = new Map<number, number>()
  const mapper = (index: number) => (number: number) => {
    const own = parts[index]!.structure
    if (structure && own && number === own.root) return structure.root
    if (structure && own && number === own.document) return structure.document
    const mapped = bases[index]! + number
    return alias.get(mapped) ?? mapped
  }
  for (const withRefs of [false, true]) {
    parts.forEach((part, index) => {
      for (const [number, object] of part.objects) {
        if (!object.tail || TOKEN_REF.test(object.head) !== withRefs) continue
        const key = createHash('sha1').update(withRefs ? renumber(object.head, mapper(index)) : object.head).update(object.tail).digest('base64')
        const first = same.get(key)
        if (first === undefined) same.set(key, bases[index]! + number)
        else alias.set(bases[index]! + number, first)
      }
    })
  }

  const plain = new Map<number, string>()
  const streams = new Map<number, { head: string; tail: Buffer }>()
  const pageRefs: number[] = []
  const dests = new Map<string, string>()
  parts.forEach((part, index) => {
    const map = mapper(index)
    const pageSet = new Set(part.pages)
    for (const [number, object] of part.objects) {
      const target = map(number)
      // Aliases, the printed information and destinations (joined below), catalogs and page trees go.
      if (target !== bases[index]! + number || number === part.info || number === part.dests || number === part.structure?.parentTree) continue
      if (/^<<\s*\/Type\s*\/(Catalog|Pages)\b/.test(object.head) && !pageSet.has(number)) continue
      let head = renumber(object.head, map)
      if (structure) head = head.replace(/\/(StructParents?)\s+(\d+)/g, (_, key: string, value: string) => `/${key} ${keyMaps[index]!(Number(value))}`)
      if (object.tail) streams.set(target, { head, tail: object.tail })
      else plain.set(target, head)
    }
    pageRefs.push(...part.pages.map(map))
    if (part.dests !== undefined) {
      const body = renumber(part.objects.get(part.dests)?.head ?? '', map)
      for (const [, name, destination] of body.matchAll(/(\/[^\s/[\]<>()]+)\s*(\[[^\]]*\])/g)) if (!dests.has(name!)) dests.set(name!, destination!)
    }
  })

  const add = (text: string) => (plain.set(next, text), next++)
  const { width, height } = options.paper
  const notes = new Map(options.notes.filter((note) => note.text).map((note) => [note.page, note.text]))
  const links = new Map<number, NonNullable<JoinOptions['links']>>()
  for (const link of options.links ?? []) {
    if (!links.has(link.page)) links.set(link.page, [])
    links.get(link.page)!.push(link)
  }
  const printedTops: number[] = []
  pageRefs.forEach((page, index) => {
    let text = plain.get(page)
    if (text === undefined) throw new Error(`page ${index + 1} of the printed PDF is missing`)
    const box = /\/MediaBox\s*\[([^\]]*)\]/.exec(text)?.[1]?.trim().split(/\s+/).map(Number)
    const contents = /\/Contents\s+(\d+)\s+0\s+R/.exec(text)?.[1]
    const top = (box?.[3] ?? height) - drawnOffset(contents === undefined ? undefined : streams.get(Number(contents)))
    text = text.replace(/\/(MediaBox|CropBox)\s*\[[^\]]*\]\s*/g, '').replace(/\/Parent\s+\d+\s+\d+\s+R\s*/, '')
    const paper = `[0 ${decimal(top - height)} ${decimal(width)} ${decimal(top)}]`
    printedTops.push(box?.[3] ?? height)
    const annotations = (links.get(index) ?? []).map(({ rect: [left, upper, right, lower], dest }) =>
      // As Chromium writes a link: printed (4), no border.
      add(`<</Type /Annot /Subtype /Link /F 4 /Border [0 0 0] /Rect [${[left, top - lower, right, top - upper].map(decimal).join(' ')}] /Dest ${pdfName(dest)}>>`))
    const note = notes.get(index)
    // A text annotation flagged Hidden (2) and NoView (32): readers and tools get the notes, the
    // page shows no icon.
    if (note !== undefined) annotations.push(add(`<</Type /Annot /Subtype /Text /Rect [0 0 0 0] /Contents ${textString(note)} /Name /Note /F 34>>`))
    if (annotations.length > 0) {
      const refs = annotations.map((annotation) => `${annotation} 0 R`).join(' ')
      if (/\/Annots\s*\[/.test(text)) text = text.replace(/\/Annots\s*\[([^\]]*)\]/, (_, own: string) => `/Annots [${own} ${refs}]`)
      else text = `${text.slice(0, -2)}\n/Annots [${refs}]>>`
    }
    plain.set(page, `${text.slice(0, -2).trimEnd()}\n/Parent 2 0 R\n/MediaBox ${paper}\n/CropBox ${paper}>>`)
  })
  // A destination as Chromium writes it (the top of its page), where no printed link named it.
  for (const { dest, target } of options.links ?? []) {
    const name = pdfName(dest)
    if (!dests.has(name) && pageRefs[target] !== undefined) dests.set(name, `[${pageRefs[target]} 0 R /XYZ 0 ${decimal(printedTops[target]!)} 0]`)
  }
  plain.set(2, `<</Type /Pages /Count ${pageRefs.length} /Kids [${pageRefs.map((page) => `${page} 0 R`).join(' ')}]>>`)

  const catalog = [`/Type /Catalog /Pages 2 0 R`, '/ViewerPreferences <</Type /ViewerPreferences /DisplayDocTitle true>>']
  if (dests.size > 0) catalog.push(`/Dests ${add(`<<${[...dests].map(([name, destination]) => `${name} ${destination}`).join('\n')}>>`)} 0 R`)
  const outline = writeOutline(options.outline, pageRefs, () => next++, (number, text) => plain.set(number, text))
  if (outline !== undefined) catalog.push(`/Outlines ${outline} 0 R /PageMode /UseOutlines`)
  if (structure) {
    const kids: string[] = []
    const nums: Array<[number, string]> = []
    parts.forEach((part, index) => {
      const map = mapper(index)
      kids.push(renumber(part.structure!.kids, map))
      for (const [key, value] of part.structure!.nums) nums.push([keyMaps[index]!(key), renumber(value, map)])
    })
    nums.sort(([a], [b]) => a - b)
    plain.set(structure.parentTree, `<</Nums [${nums.map(([key, value]) => `${key} ${value}`).join(' ')}]>>`)
    addFigureAlts(plain, kids.join(' '), options.figureAlts ?? [])
    plain.set(structure.document, `<</Type /StructElem /S /Document /Lang ${pdfString(options.lang)} /P ${structure.root} 0 R /K [${kids.join(' ')}]>>`)
    plain.set(structure.root, `<</Type /StructTreeRoot /K ${structure.document} 0 R /ParentTree ${structure.parentTree} 0 R /ParentTreeNextKey ${(nums.at(-1)?.[0] ?? -1) + 1}>>`)
    catalog.push(`/MarkInfo <</Marked true>> /StructTreeRoot ${structure.root} 0 R`)
  }
  const labels = pageLabelTree(options.pageLabels ?? [])
  if (labels) catalog.push(`/PageLabels ${labels}`)
  catalog.push(`/Lang ${pdfString(options.lang)}`)
  plain.set(1, `<<${catalog.join('\n')}>>`)

  // Document information: the printed one's (its title, dates), ours where we have a value.
  const printedInfo = parts[0]?.info === undefined ? '' : (parts[0].objects.get(parts[0].info)?.head ?? '')
  const info = new Map<string, string>()
  for (const [, key, value] of printedInfo.matchAll(/\/(\w+)\s*(\((?:\\[\s\S]|[^\\)])*\)|<[\dA-Fa-f\s]*>)/g)) info.set(key!, value!)
  for (const [key, value] of Object.entries(options.info)) if (value) info.set(key, textString(value))
  plain.set(3, `<<${[...info].map(([key, value]) => `/${key} ${value}`).join('\n')}>>`)

  return write(next, plain, streams)
}

/**
 * The number tree of page labels: a range per run of pages with the same label, each labelled by
 * its prefix alone (`/P`, no numbering style), so that every page of the run reads the same, as
 * hyperref writes beamer's.
 */
export function pageLabelTree(labels: string[]): string | undefined {
  if (labels.length === 0) return undefined
  const nums: string[] = []
  labels.forEach((label, index) => {
    if (index === 0 || labels[index - 1] !== label) nums.push(`${index} <</P ${pdfString(label)}>>`)
  })
  return `<</Nums [${nums.join(' ')}]>>`
}

/** A name object (`/53`): characters outside PDF's regular ones as `#xx`. */
const pdfName = (name: string) => `/${name.replace(/[^!-~]|[#%()<>[\]{}/]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`
/** A literal string for printable ASCII, else a text string. */
const pdfString = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? `(${text.replace(/[\\()]/g, '\\$&')})` : textString(text))

/**
 * Gives the Figure elements their alt text, in the structure tree's order (depth first from the
 * Document's kids), when there are as many as alt texts (else the figures stay as printed).
 */
function addFigureAlts(plain: Map<number, string>, kids: string, alts: string[]): void {
  if (alts.length === 0) return
  const figures: number[] = []
  const children = (value: string) => [...value.replace(/<<[^>]*>>/g, '').matchAll(/(\d+)\s+\d+\s+R/g)].map(([, number]) => Number(number))
  const visit = (number: number, depth: number) => {
    const head = plain.get(number)
    if (!head || depth > 256 || !/\/Type\s*\/StructElem\b/.test(head)) return
    if (/\/S\s*\/Figure\b/.test(head)) figures.push(number)
    const k = /\/K\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(head)?.[1] ?? ''
    for (const child of children(k)) visit(child, depth + 1)
  }
  for (const kid of children(kids)) visit(kid, 0)
  if (figures.length !== alts.length) return
  figures.forEach((number, index) => {
    const alt = alts[index]!
    if (alt) plain.set(number, `${plain.get(number)!.slice(0, -2).trimEnd()}\n/Alt ${textString(alt)}>>`)
  })
}

/**
 * For each print, how its parent tree keys map into the joined one: page keys (below 100000, as
 * Chromium numbers them) after the previous prints' page keys, annotation keys after theirs.
 */
function structureKeys(parts: ReadPrint[]): Array<(key: number) => number> {
  const ANNOTATIONS = 100000
  let pages = 0
  let annotations = 0
  return parts.map((part) => {
    const [pageBase, annotationBase] = [pages, annotations]
    for (const [key] of part.structure?.nums ?? []) {
      if (key < ANNOTATIONS) pages = Math.max(pages, pageBase + key + 1)
      else annotations = Math.max(annotations, annotationBase + key - ANNOTATIONS + 1)
    }
    // Keys the pages and annotations carry without a parent tree entry stay apart too.
    for (const object of part.objects.values()) {
      for (const [, kind, value] of object.head.matchAll(/\/(StructParents?)\s+(\d+)/g)) {
        const key = Number(value)
        if (kind === 'StructParents' || key < ANNOTATIONS) pages = Math.max(pages, pageBase + key + 1)
        else annotations = Math.max(annotations, annotationBase + key - ANNOTATIONS + 1)
      }
    }
    return (key: number) => (key < ANNOTATIONS ? key + pageBase : key + annotationBase)
  })
}

const TOKEN_REF = /(?<![\w.+-])\d+\s+\d+\s+R(?![\w])/

/** The outline's objects (`reserve` gives a number, `set` fills it); returns the root's number. */
function writeOutline(entries: OutlineEntry[], pages: number[], reserve: () => number, set: (number: number, text: string) => void): number | undefined {
  if (entries.length === 0 || pages.length === 0) return undefined
  const root = reserve()
  const level = (items: OutlineEntry[], parent: number): { first: number; last: number; count: number } => {
    const numbers = items.map(() => reserve())
    let count = items.length
    items.forEach((item, i) => {
      const page = pages[Math.min(Math.max(item.page - 1, 0), pages.length - 1)]!
      const fields = [`/Title ${textString(item.title)}`, `/Parent ${parent} 0 R`, `/Dest [${page} 0 R /Fit]`]
      if (i > 0) fields.push(`/Prev ${numbers[i - 1]} 0 R`)
      if (i < items.length - 1) fields.push(`/Next ${numbers[i + 1]} 0 R`)
      if (item.children.length > 0) {
        const children = level(item.children, numbers[i]!)
        fields.push(`/First ${children.first} 0 R /Last ${children.last} 0 R /Count ${children.count}`)
        count += children.count
      }
      set(numbers[i]!, `<<${fields.join('\n')}>>`)
    })
    return { first: numbers[0]!, last: numbers.at(-1)!, count }
  }
  const top = level(entries, root)
  set(root, `<</Type /Outlines /First ${top.first} 0 R /Last ${top.last} 0 R /Count ${top.count}>>`)
  return root
}

/** The PDF: streams as they are, every other object in compressed object streams, an xref stream. */
function write(size: number, plain: Map<number, string>, streams: Map<number, { head: string; tail: Buffer }>): Uint8Array {
  const chunks: Buffer[] = []
  let position = 0
  const emit = (chunk: Buffer | string) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk
    chunks.push(buffer)
    position += buffer.length
  }
  // xref entries: [type, field 2, field 3] (1: offset; 2: object stream and index).
  const entries = new Map<number, [number, number, number]>()
  emit('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')
  for (const [number, { head, tail }] of [...streams].sort(([a], [b]) => a - b)) {
    entries.set(number, [1, position, 0])
    emit(`${number} 0 obj\n${head}`)
    emit(tail)
    emit('\nendobj\n')
  }
  const numbers = [...plain.keys()].sort((a, b) => a - b)
  const PER_STREAM = 200
  let streamNumber = size
  for (let start = 0; start < numbers.length; start += PER_STREAM) {
    const group = numbers.slice(start, start + PER_STREAM)
    const own = streamNumber++
    let offsets = ''
    let body = ''
    group.forEach((number, index) => {
      offsets += `${number} ${body.length} `
      body += `${plain.get(number)}\n`
      entries.set(number, [2, own, index])
    })
    const data = deflateSync(Buffer.from(offsets + body, 'latin1'))
    entries.set(own, [1, position, 0])
    emit(`${own} 0 obj\n<</Type /ObjStm /N ${group.length} /First ${Buffer.byteLength(offsets, 'latin1')} /Filter /FlateDecode /Length ${data.length}>>\nstream\n`)
    emit(data)
    emit('\nendstream\nendobj\n')
  }
  const xref = streamNumber
  entries.set(xref, [1, position, 0])
  const table = Buffer.alloc((xref + 1) * 7)
  for (let number = 0; number <= xref; number++) {
    const [type, second, third] = entries.get(number) ?? [0, 0, number === 0 ? 65535 : 0]
    table.writeUInt8(type, number * 7)
    table.writeUInt32BE(second, number * 7 + 1)
    table.writeUInt16BE(third, number * 7 + 5)
  }
  const data = deflateSync(table)
  emit(`${xref} 0 obj\n<</Type /XRef /Size ${xref + 1} /W [1 4 2] /Root 1 0 R /Info 3 0 R /Filter /FlateDecode /Length ${data.length}>>\nstream\n`)
  emit(data)
  emit(`\nendstream\nendobj\nstartxref\n${entries.get(xref)![1]}\n%%EOF\n`)
  return Buffer.concat(chunks)
}
