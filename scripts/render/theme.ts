/**
 * The theme Marp gets: theme/*.css with the fonts from @fontsource packages (and beamer's code
 * font, CMU Typewriter Text from `computer-modern`) inlined as data URIs, so that the HTML is
 * self-contained and the PDF embeds them. Written once per theme content into .cache/theme/ and reused.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { projectRoot } from '../core/paths.ts'
import { cacheDir, cacheKey, pruneOnce, renewEntry, codeFingerprint, writeAtomic } from '../core/cache.ts'

interface FontFace {
  family: string
  pkg: string
  /** weights and styles to embed, as in the file names of the package */
  variants: string[]
}

const FONTS: FontFace[] = [
  { family: 'Fira Code', pkg: '@fontsource/fira-code', variants: ['400-normal', '600-normal'] },
  { family: 'Fira Sans', pkg: '@fontsource/fira-sans', variants: ['400-normal', '400-italic', '600-normal', '600-italic'] },
  { family: 'Fira Mono', pkg: '@fontsource/fira-mono', variants: ['400-normal', '700-normal'] },
]
/**
 * beamer sets code in Latin Modern Mono: CMU Typewriter Text is the same design and metrics.
 * Its 500 ("regular") is lmtt's regular weight and 700 its bold; the package names the upright
 * style "roman". One file per face (no unicode subsets).
 */
// Without the combining long solidus (U+0338: the font drew ≠ as = and a slash beside it) and
// the arrows (small in it): code takes both from Noto Sans Math, as the text does.
const CODE_FONT = { family: 'CMU Typewriter Text', pkg: 'computer-modern', descriptors: 'ascent-override: 90%; descent-override: 30%; line-gap-override: 0%; unicode-range: U+0-337, U+339-218F, U+2200-10FFFF;', faces: [
  { file: 'cmu-typewriter-text-500-roman.woff2', weight: 400, style: 'normal' },
  { file: 'cmu-typewriter-text-500-italic.woff2', weight: 400, style: 'italic' },
  { file: 'cmu-typewriter-text-700-roman.woff2', weight: 700, style: 'normal' },
] }

const SUBSETS: Array<{ name: string; range: string }> = [
  { name: 'latin', range: 'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD' },
  { name: 'latin-ext', range: 'U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF' },
]

const localRequire = createRequire(import.meta.url)

function fontFaces(): string {
  const rules: string[] = []
  for (const font of FONTS) {
    const dir = path.join(path.dirname(localRequire.resolve(`${font.pkg}/package.json`)), 'files')
    const slug = path.basename(font.pkg)
    for (const variant of font.variants) {
      const [weight = '400', style = 'normal'] = variant.split('-')
      for (const subset of SUBSETS) {
        const file = path.join(dir, `${slug}-${subset.name}-${variant}.woff2`)
        if (existsSync(file)) rules.push(faceRule(font.family, style, weight, file, `unicode-range: ${subset.range};`))
      }
    }
  }
  rules.push(...emojiFaces(), symbolFace())
  const codeDir = path.join(path.dirname(localRequire.resolve(`${CODE_FONT.pkg}/package.json`)), 'fonts')
  // One set of vertical metrics for all faces, Fira Code's: a bold token or inline code in a line
  // of text then keeps beamer's fixed line pitch instead of growing the line box.
  for (const face of CODE_FONT.faces) rules.push(faceRule(CODE_FONT.family, face.style, String(face.weight), path.join(codeDir, face.file), CODE_FONT.descriptors))
  return rules.join('\n')
}

/** One @font-face rule: the woff2 `file` inline as a data URI, then `descriptors`. */
function faceRule(family: string, style: string, weight: string, file: string, descriptors: string): string {
  const data = readFileSync(file).toString('base64')
  return `@font-face { font-family: '${family}'; font-style: ${style}; font-weight: ${weight}; font-display: block; src: url(data:font/woff2;base64,${data}) format('woff2'); ${descriptors} }`
}

/**
 * Emoji print (a fresh machine has no emoji font): Noto Emoji (monochrome, ~1 MB in all), each of
 * the package's subsets with its own unicode-range, as its 400.css has them. The theme names it
 * after its text fonts, before the generic family.
 */
function emojiFaces(): string[] {
  const root = path.dirname(localRequire.resolve(`${EMOJI_FONT.pkg}/package.json`))
  const css = readFileSync(path.join(root, '400.css'), 'utf8')
  return [...css.matchAll(/url\(\.\/files\/([\w-]+\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)].map(([, file, range]) =>
    faceRule(EMOJI_FONT.family, 'normal', '400', path.join(root, 'files', file!), `unicode-range: ${range};`),
  )
}

const EMOJI_FONT = { family: 'Noto Emoji', pkg: '@fontsource/noto-emoji' }

/**
 * Arrows and mathematical symbols (→ ⇒ ↔ ≤ ≠ ∀ ∈ ℝ …), which the text fonts' subsets lack: Noto
 * Sans Math, named after the text font and before Noto Emoji (whose subsets hold ↔ and ▶ as
 * boxed emoji), so that it draws only what the text font does not (a fresh machine may have no
 * font for them, and one that has gives the PDF a font of its own). Its unicode-range is those
 * blocks: a deck without them never loads it, and emoji stay Noto Emoji's.
 */
function symbolFace(): string {
  const file = path.join(path.dirname(localRequire.resolve(`${SYMBOL_FONT.pkg}/package.json`)), 'files', 'noto-sans-math-latin-400-normal.woff2')
  return faceRule(SYMBOL_FONT.family, 'normal', '400', file, `unicode-range: ${SYMBOL_FONT.range};`)
}

const SYMBOL_FONT = {
  family: 'Noto Sans Math',
  pkg: '@fontsource/noto-sans-math',
  // Letterlike symbols, arrows, operators, technical, geometric shapes, the check mark,
  // supplemental arrows and operators, mathematical alphanumerics.
  range: 'U+2100-214F, U+2190-21FF, U+2200-22FF, U+2300-23FF, U+25A0-25FF, U+2713, U+27C0-27FF, U+2900-2AFF, U+1D400-1D7FF',
}

/** The project's theme folder. */
export const projectThemeDir = path.join(projectRoot, 'theme')

/** `theme/` beside the deck's folder (slides/../theme) when it holds a theme, else the project's. */
export function findThemeDir(deckDir: string): string {
  const candidate = path.resolve(deckDir, '..', 'theme')
  if (existsSync(candidate) && readdirSync(candidate).some((name) => name.endsWith('.css'))) return candidate
  return projectThemeDir
}

/** The theme files of a theme folder (what a rebuild depends on). */
export function themeFiles(themeDir: string = projectThemeDir): string[] {
  return readdirSync(themeDir).filter((name) => name.endsWith('.css')).sort().map((name) => path.join(themeDir, name))
}

/** In a folder prepared with `fonts: false`: the @font-face rules, for the page itself. */
export const FONT_FACES_FILE = 'font-faces.txt'

/**
 * Returns the folder of ready theme files (one per theme in `themeDir`, by default theme/). With
 * `fonts: false` the themes leave the fonts out and the folder holds them in FONT_FACES_FILE
 * instead: Marp then processes 25 kB of theme rather than 1.2 MB of base64 (~0.1 s per render).
 */
export function prepareThemes(themeDir: string = projectThemeDir, options: { fonts?: boolean } = {}): string {
  const withFonts = options.fonts ?? true
  const sources = readdirSync(themeDir).filter((name) => name.endsWith('.css')).sort()
  // The font packages are in the code's fingerprint (the lockfile); the theme's files are read here.
  const own = sources.flatMap((name) => [name, readFileSync(path.join(themeDir, name))])
  const outDir = path.join(cacheDir, 'theme', cacheKey(codeFingerprint(), ...own).slice(0, 16) + (withFonts ? '' : '-fonts-apart'))
  if (existsSync(path.join(outDir, '.complete'))) {
    renewEntry(outDir)
    return outDir
  }
  pruneOnce('theme') // folders of older themes and toolchains, unused for 30 days
  mkdirSync(outDir, { recursive: true })
  const faces = fontFaces()
  for (const name of sources) {
    const css = readFileSync(path.join(themeDir, name), 'utf8')
    // The metadata comment must stay first for Marp to read the theme's name and sizes.
    const end = css.indexOf('*/') + 2
    writeAtomic(path.join(outDir, name), withFonts ? `${css.slice(0, end)}\n${faces}\n${css.slice(end)}` : css)
  }
  if (!withFonts) writeAtomic(path.join(outDir, FONT_FACES_FILE), faces)
  writeAtomic(path.join(outDir, '.complete'), '')
  return outDir
}
