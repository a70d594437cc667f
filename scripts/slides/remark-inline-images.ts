/**
 * remark plugin: images become data URIs so that the HTML is self-contained and the PDF needs
 * no local file access. Paths are relative to the deck's folder. A missing image is an error at
 * the image. Remote images are left as links, with a warning (the HTML then needs the network).
 */
import { readFileSync, existsSync } from 'node:fs'
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

export default function remarkInlineImages() {
  return (tree: Root, file: VFile): void => {
    const base = file.dirname ? path.resolve(file.cwd, file.dirname) : file.cwd
    // The front matter's pictures (title page graphic, logo) are images too.
    const settings = file.data.settings
    for (const key of ['titlegraphic', 'logo'] as const) {
      const value = settings?.[key]
      if (!settings || !value) continue
      const image = { type: 'image', url: value } as Image
      inlineImage(image, base, file)
      settings[key] = image.url
    }
    visit(tree, 'image', (image) => inlineImage(image, base, file))
  }
}

function inlineImage(image: Image, base: string, file: VFile): void {
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
  recordInput(file, resolved)
  const data = readFileSync(resolved)
  const size = naturalSize(data)
  if (size) image.data = { ...image.data, naturalSize: size }
  image.url = `data:${mime};base64,${data.toString('base64')}`
}
