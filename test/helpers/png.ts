/** Reading pixels of PNG screenshots, and comparing them with stored images. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PNG } from 'pngjs'
import pixelmatch from 'pixelmatch'
import { withPage } from './browser.ts'

export function pixel(png: PNG, x: number, y: number): string {
  const at = (png.width * Math.round(y) + Math.round(x)) << 2
  return `#${[png.data[at], png.data[at + 1], png.data[at + 2]].map((v) => (v ?? 0).toString(16).padStart(2, '0')).join('')}`
}

export function decode(buffer: Buffer): PNG {
  return PNG.sync.read(buffer)
}

/**
 * Compares a screenshot with the stored image `name` (test/visual/); `UPDATE=1` stores it instead.
 * Returns the share of pixels that differ beyond pixelmatch's colour threshold.
 */
export function compareWithStored(name: string, actual: Buffer): { ratio: number; stored: boolean } {
  const dir = path.join(import.meta.dirname, '..', 'visual')
  const file = path.join(dir, `${name}.png`)
  if (process.env.UPDATE || !existsSync(file)) {
    if (!process.env.UPDATE) throw new Error(`no stored image ${file}: run the test with UPDATE=1 to create it`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(file, actual)
    return { ratio: 0, stored: true }
  }
  const expected = PNG.sync.read(readFileSync(file))
  const got = PNG.sync.read(actual)
  if (expected.width !== got.width || expected.height !== got.height) return { ratio: 1, stored: false }
  const diff = new PNG({ width: got.width, height: got.height })
  const changed = pixelmatch(expected.data, got.data, diff.data, got.width, got.height, { threshold: 0.15 })
  if (changed > 0) {
    mkdirSync(path.join(dir, 'diff'), { recursive: true })
    writeFileSync(path.join(dir, 'diff', `${name}.png`), PNG.sync.write(diff))
  }
  return { ratio: changed / (got.width * got.height), stored: false }
}

/**
 * The share of pixels whose colours differ by more than `fuzz` (ImageMagick's
 * `compare -metric AE -fuzz 10%`: an RGB distance above fuzz · 255 · √2, which gives the same
 * figures within a few tenths of a percent on the reference pages),
 * over the rows both images have (beamer's 1280 px renders are 721 rows high), for each pair
 * `[reference, actual]` of PNG files' bytes. Decoded by the test browser (natively: pngjs takes
 * ~60 ms a page), colours as stored (no colour management), and compared there.
 */
export async function fuzzDifferences(pairs: Array<[Buffer, Buffer]>, fuzz = 0.1): Promise<number[]> {
  return withPage((page) =>
    page.evaluate(
      async (pngs: Array<[string, string]>, limit: number) => {
        const pixels = async (base64: string) => {
          const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' })
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
          const context = canvas.getContext('2d', { colorSpace: 'srgb' })!
          context.drawImage(bitmap, 0, 0)
          return context.getImageData(0, 0, bitmap.width, bitmap.height)
        }
        const differences: number[] = []
        for (const [referencePng, actualPng] of pngs) {
          const [reference, actual] = await Promise.all([pixels(referencePng), pixels(actualPng)])
          if (reference.width !== actual.width) {
            differences.push(1)
            continue
          }
          const rows = Math.min(reference.height, actual.height)
          let differing = 0
          for (let at = 0; at < reference.width * rows * 4; at += 4) {
            const dr = reference.data[at]! - actual.data[at]!
            const dg = reference.data[at + 1]! - actual.data[at + 1]!
            const db = reference.data[at + 2]! - actual.data[at + 2]!
            if (dr * dr + dg * dg + db * db > limit) differing++
          }
          differences.push(differing / (reference.width * rows))
        }
        return differences
      },
      pairs.map(([reference, actual]) => [reference.toString('base64'), actual.toString('base64')] as [string, string]),
      2 * (fuzz * 255) ** 2,
    ),
  )
}
