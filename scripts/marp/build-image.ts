/**
 * Images as `<img>` with the size pandoc's attributes give (a height in % of the text height, as
 * beamer's `\textheight`), else the natural size LaTeX computes from the image's resolution;
 * and pandoc's implicit figure: an image alone in a paragraph, with alt text, gets a caption.
 */
import type { Element } from 'hast'
import type { Image, Paragraph } from 'mdast'
import { h } from 'hastscript'
import { lineProperties } from '../core/hast-html.ts'

export function imageElement(image: Image): Element {
  const values = image.data?.attributes?.values ?? {}
  const styles: string[] = []
  if (values.height) styles.push(/%$/.test(values.height) ? `height: calc(var(--text-height) * ${parseFloat(values.height) / 100})` : `height: ${values.height}`)
  if (values.width) styles.push(`width: ${values.width}`)
  const natural = image.data?.naturalSize
  if (!values.width && !values.height && natural) styles.push(`width: calc(var(--mm) * ${natural.widthMm.toFixed(2)})`)
  return h('img', { src: image.url, alt: image.alt ?? '', ...(styles.length > 0 ? { style: styles.join('; ') } : {}) })
}

/** The figure's image when `node` is an implicit figure. */
export function figureImage(node: Paragraph): Image | undefined {
  const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  const image = content[0]
  return content.length === 1 && image?.type === 'image' && image.alt ? image : undefined
}

/** `number`: figures are numbered through the deck. */
export function figure(node: Paragraph, image: Image, number: number): Element {
  return h('figure', lineProperties(node), [imageElement(image), h('figcaption', `Figure ${number}: ${image.alt ?? ''}`)])
}
