/**
 * remark plugin: images become data URIs so that the HTML is self-contained and the PDF needs
 * no local file access. Paths are relative to the deck's folder. A missing image is an error at
 * the image. Remote images are left as links, with a warning (the HTML then needs the network).
 */
import { readFileSync, existsSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Image, Root } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { recordInput } from './inputs.ts'
import { naturalSize, type NaturalSize } from './image-size.ts'

declare module 'mdast' {
  interface ImageData {
    /** The size LaTeX would give the image (from its declared resolution). */
    naturalSize?: NaturalSize
  }
}

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
}

export interface InlineImageOptions {
  /** The deck's project folder: an image outside it (at its real location) is warned about. */
  projectDir?: string
}

export default function remarkInlineImages(options: InlineImageOptions = {}) {
  return (tree: Root, file: VFile): void => {
    const base = file.dirname ? path.resolve(file.cwd, file.dirname) : file.cwd
    // The project: the folder that holds the deck's snippets/ when the deck is in it, else the deck's folder.
    const deckFolder = realFolder(base)
    const candidate = options.projectDir ? realFolder(options.projectDir) : undefined
    const project = candidate && isInside(deckFolder, candidate) ? candidate : deckFolder
    // The front matter's pictures (title page graphic, logo) are images too.
    const settings = file.data.settings
    for (const key of ['titlegraphic', 'logo'] as const) {
      const value = settings?.[key]
      if (!settings || !value) continue
      const image = { type: 'image', url: value, ...frontMatterPlace(tree, key) } as Image
      inlineImage(image, base, project, file)
      settings[key] = image.url
    }
    visit(tree, 'image', (image) => inlineImage(image, base, project, file))
  }
}

function inlineImage(image: Image, base: string, project: string, file: VFile): void {
  const url = image.url
  if (url.startsWith('data:')) return
  if (/^[a-z]+:\/\//i.test(url)) {
    file.message(`Image \`${url}\` is remote: the HTML will need the network to show it`, {
      place: image.position,
      ruleId: 'remote-image',
      source: 'deck',
    })
    return
  }
  const resolved = path.resolve(base, decodeURI(url))
  const mime = MIME[path.extname(resolved).toLowerCase()]
  if (!existsSync(resolved)) {
    file.fail(`Cannot find image \`${url}\` (looked for \`${path.relative(file.cwd, resolved)}\`)`, {
      place: image.position,
      ruleId: 'missing-image',
      source: 'deck',
    })
  }
  if (!mime) {
    file.message(`Image \`${url}\` is not a web image format (${Object.keys(MIME).join(', ')}): it may not show`, {
      place: image.position,
      ruleId: 'image-format',
      source: 'deck',
    })
    return
  }
  // Where the file really is (symlinks resolved) decides whether it is inside the project.
  const real = realpathSync(resolved)
  if (!isInside(real, project)) {
    file.message(`Image \`${url}\` is outside the project (\`${real}\`): it is embedded in the HTML, which is shared with the deck`, {
      place: image.position,
      ruleId: 'image-outside',
      source: 'deck',
    })
  }
  // A device (`/dev/zero`), a FIFO or a folder behind an image's name is never read.
  if (!statSync(real).isFile()) {
    file.fail(`Image \`${url}\` is not a file (\`${real}\`); not embedded`, { place: image.position, ruleId: 'image-content', source: 'deck' })
  }
  recordInput(file, resolved)
  const data = readFileSync(resolved)
  const format = imageFormat(data)
  if (format !== mime) {
    file.fail(
      `Image \`${url}\` is not an ${mime} file: its bytes ${format ? `are an ${format} (give it its right extension)` : 'are no image'}; not embedded`,
      { place: image.position, ruleId: 'image-content', source: 'deck' },
    )
  }
  const size = naturalSize(data)
  if (size) image.data = { ...image.data, naturalSize: size }
  image.url = `data:${mime};base64,${data.toString('base64')}`
}

/** The image format the bytes hold (by their signature), undefined when none of the web formats. */
export function imageFormat(data: Buffer): string | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg'
  if (/^GIF8[79]a/.test(data.subarray(0, 6).toString('latin1'))) return 'image/gif'
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp'
  // SVG is text: an XML declaration, comments or a doctype, then the <svg> element.
  const head = data.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '')
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(head)) return 'image/svg+xml'
  return undefined
}

function realFolder(folder: string): string {
  try {
    return realpathSync(folder)
  } catch {
    return path.resolve(folder)
  }
}

function isInside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)
}

/** Where `key:` is written in the front matter (its line), for messages about its value. */
function frontMatterPlace(tree: Root, key: string): { position?: { start: { line: number; column: number }; end: { line: number; column: number } } } {
  const yaml = tree.children.find((node) => node.type === 'yaml')
  const start = yaml?.position?.start
  if (!yaml || !start || !('value' in yaml)) return {}
  const index = String(yaml.value).split('\n').findIndex((line) => line.startsWith(`${key}:`))
  if (index < 0) return {}
  const line = start.line + 1 + index
  return { position: { start: { line, column: 1 }, end: { line, column: key.length + 2 } } }
}
