/**
 * Deck settings from the YAML front matter (pandoc beamer variables).
 * Unknown keys are ignored; a known key with a bad value is an error at its position.
 */
import { parseDocument, isScalar, isMap, type Node as YamlNode, type YAMLMap } from 'yaml'
import type { VFile } from 'vfile'
import type { Point } from 'unist'

export const COLOR_THEMES = ['crane', 'beaver', 'default'] as const
/** The font families the theme embeds (from @fontsource packages; see scripts/render/theme.ts). */
export const EMBEDDED_FONTS = ['Fira Code', 'Fira Sans', 'Fira Mono']
export type ColorTheme = (typeof COLOR_THEMES)[number]

/**
 * beamer's `aspectratio` values: the Marp canvas (px, a @size of the theme) and beamer's paper
 * height in mm, which sets how many px a millimetre is.
 */
export const ASPECT_RATIOS: Record<string, { width: number; height: number; name: string; paperHeightMm: number }> = {
  '169': { width: 1280, height: 720, name: '16:9', paperHeightMm: 90 },
  '1610': { width: 1280, height: 800, name: '16:10', paperHeightMm: 100 },
  '43': { width: 960, height: 720, name: '4:3', paperHeightMm: 96 },
  '149': { width: 1120, height: 720, name: '14:9', paperHeightMm: 90 },
  '54': { width: 900, height: 720, name: '5:4', paperHeightMm: 100 },
  '32': { width: 1080, height: 720, name: '3:2', paperHeightMm: 90 },
}

export interface DeckSettings {
  title?: string
  subtitle?: string
  author: string[]
  institute?: string
  date?: string
  theme: string
  colortheme: ColorTheme
  mainfont?: string
  monofont?: string
  /** Base font size in pt (beamer class option), 8-14. */
  fontsize: number
  aspectratio: string
  toc: boolean
  sectionTitles: boolean
  /** beamer's handout mode: the PDF shows each slide's final state only (no step pages). */
  handout: boolean
  logo?: string
  titlegraphic?: string
  urlcolor?: string
  /** The deck's language (pandoc's `lang`), for the HTML and the PDF. */
  lang: string
  /** undefined: pandoc's rule (the highest heading level followed by content). */
  slideLevel?: number
  /** How output blocks show Python tracebacks unless a block says otherwise. */
  snippetTraceback: 'full' | 'short' | 'user'
  /** The line that stands for what a shaped traceback or a cut output leaves out. */
  snippetElision: string
  /** The readability floor: the smallest scale (0-1) Marp may shrink code to before the build fails. */
  codeScaleFloor: number
  /** Output blocks keep the snippet's colours unless a block says `color=false`. */
  snippetColor: boolean
  /** The talk's length in seconds (`talk-length: 30min`): the dev server's presenter countdown. */
  talkLength?: number
  /** The dev server shows build errors on the audience page too (a workshop), not only in the presenter view. */
  showErrors: boolean
}

/** The beamer themes the toolchain draws; another `theme` is a warning. */
export const THEMES = ['Frankfurt']

export const DEFAULT_SETTINGS: DeckSettings = {
  author: [],
  theme: 'Frankfurt',
  colortheme: 'default',
  fontsize: 9,
  aspectratio: '169',
  toc: false,
  sectionTitles: true,
  handout: false,
  lang: 'en',
  snippetTraceback: 'full',
  snippetElision: '...',
  codeScaleFloor: 0.6,
  snippetColor: false,
  showErrors: false,
}

/**
 * A length of time in seconds: `30min`, `45 m`, `1h`, `1h30min`, `90s`, `25:00` (minutes and
 * seconds) or `1:05:00`. undefined: not one of these, or zero.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase()
  let seconds: number | undefined
  const clock = /^(?:(\d+):)?(\d+):([0-5]\d)$/.exec(value)
  if (clock) seconds = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3])
  const units = /^(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?)?)?)?$/.exec(value)
  if (!clock && units && (units[1] ?? units[2] ?? units[3]) !== undefined) seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0)
  return seconds && seconds > 0 ? seconds : undefined
}

/**
 * Parses the front matter text that starts at `start` in the deck (the line after `---`).
 * Reports problems on `file`; fatal ones throw (vfile `fail`).
 */
export function parseSettings(yamlText: string, start: Point, file: VFile, base: DeckSettings = DEFAULT_SETTINGS): DeckSettings {
  const settings: DeckSettings = { ...base, author: [...base.author] }
  const doc = parseDocument(yamlText, { prettyErrors: false })
  const place = (offset: number): Point => offsetToPoint(yamlText, offset, start)

  for (const error of doc.errors) {
    file.fail(`Cannot parse the front matter: ${error.message.split('\n')[0]}`, {
      place: place(error.pos[0]),
      ruleId: 'front-matter-yaml',
      source: 'deck',
    })
  }
  const root = doc.contents
  if (root === null || root === undefined) return settings
  if (!isMap(root)) {
    file.fail('Expected the front matter to be a YAML mapping of variables', { place: start, ruleId: 'front-matter-yaml', source: 'deck' })
  }
  return applySettings(root, settings, place, file)
}

/**
 * The variables of a YAML mapping on top of `settings` (the front matter's, or a project's
 * defaults in deck.config.yaml); `place` turns a node's offset into a position of `file`.
 */
export function applySettings(root: YAMLMap, settings: DeckSettings, place: (offset: number) => Point, file: VFile): DeckSettings {
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    const valueNode = pair.value as YamlNode | null
    const value = isScalar(valueNode) ? valueNode.value : valueNode?.toJSON()
    const at = place(valueNode?.range?.[0] ?? (isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0))
    const bad = (expected: string): never =>
      file.fail(`Expected \`${key}\` to be ${expected}, not \`${String(value)}\``, { place: at, ruleId: 'front-matter-value', source: 'deck' })
    if (value === null || value === undefined || value === '') continue

    switch (key) {
      case 'mainfont':
      case 'monofont':
        if (!EMBEDDED_FONTS.includes(String(value))) {
          file.message(`Font \`${String(value)}\` is not embedded (${EMBEDDED_FONTS.join(', ')} are): readers without it installed see a fallback`, {
            place: at,
            ruleId: 'front-matter-font',
            source: 'deck',
          })
        }
        settings[key] = String(value)
        break
      case 'title':
      case 'subtitle':
      case 'institute':
      case 'date':
      case 'logo':
      case 'titlegraphic':
      case 'urlcolor':
      case 'lang':
      case 'theme':
        if (key === 'theme' && !THEMES.includes(String(value))) {
          file.message(`Theme \`${String(value)}\` is not supported: the deck is drawn with ${THEMES.join(', ')}`, { place: at, ruleId: 'front-matter-theme', source: 'deck' })
        }
        if (Array.isArray(value)) settings[key] = value.map(String).join('\n')
        else if (value instanceof Date) settings[key] = value.toISOString().slice(0, 10)
        else if (typeof value === 'object') bad('text')
        else settings[key] = String(value)
        break
      case 'author':
        settings.author = Array.isArray(value) ? value.map(String) : [String(value)]
        break
      case 'colortheme': {
        const name = String(value)
        if (!(COLOR_THEMES as readonly string[]).includes(name)) bad(`one of ${COLOR_THEMES.join(', ')}`)
        settings.colortheme = name as ColorTheme
        break
      }
      case 'aspectratio':
        if (!(String(value) in ASPECT_RATIOS)) bad(`one of ${Object.keys(ASPECT_RATIOS).join(', ')}`)
        settings.aspectratio = String(value)
        break
      case 'fontsize': {
        const match = /^(\d+)\s*pt$/.exec(String(value))
        const size = match ? Number(match[1]) : Number.NaN
        if (!(size >= 8 && size <= 14)) bad('a size from `8pt` to `14pt`')
        settings.fontsize = size
        break
      }
      case 'toc':
      case 'handout':
        if (typeof value !== 'boolean') bad('`true` or `false`')
        settings[key] = value as boolean
        break
      case 'section-titles':
        if (typeof value !== 'boolean') bad('`true` or `false`')
        settings.sectionTitles = value as boolean
        break
      case 'slide-level': {
        const level = Number(value)
        if (!Number.isInteger(level) || level < 0 || level > 6) bad('a heading level from 0 to 6')
        settings.slideLevel = level
        break
      }
      case 'snippet-traceback':
        if (value !== 'full' && value !== 'short' && value !== 'user') bad('one of full, short, user')
        settings.snippetTraceback = value as DeckSettings['snippetTraceback']
        break
      case 'snippet-color':
        if (typeof value !== 'boolean') bad('`true` or `false`')
        settings.snippetColor = value as boolean
        break
      case 'show-errors':
        if (typeof value !== 'boolean') bad('`true` or `false`')
        settings.showErrors = value as boolean
        break
      case 'talk-length': {
        settings.talkLength = parseDuration(String(value)) ?? bad('a length of time such as `30min`, `1h15min` or `25:00`')
        break
      }
      case 'snippet-elision':
        settings.snippetElision = String(value)
        break
      case 'code-scale-floor': {
        // `60%` or `0.6`; 0 turns the floor off.
        const text = String(value).trim()
        const fraction = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text)
        if (!(fraction >= 0 && fraction <= 1)) bad('a scale from `0%` to `100%` (or 0 to 1)')
        settings.codeScaleFloor = fraction
        break
      }
      default:
        break
    }
  }
  return settings
}

function offsetToPoint(text: string, offset: number, start: Point): Point {
  const before = text.slice(0, offset)
  const lines = before.split('\n')
  const line = start.line + lines.length - 1
  const column = lines.length === 1 ? start.column + before.length : (lines[lines.length - 1]?.length ?? 0) + 1
  return { line, column, offset: (start.offset ?? 0) + offset }
}
