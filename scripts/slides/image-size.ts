/**
 * An image's natural size in millimetres, as LaTeX sizes it: pixels over the resolution the file
 * declares (PNG pHYs, JPEG JFIF density), 72 dpi when it declares none. Other formats: unknown.
 */

export interface NaturalSize {
  widthMm: number
  heightMm: number
}

const MM_PER_INCH = 25.4

export function naturalSize(data: Buffer): NaturalSize | undefined {
  if (data.subarray(1, 4).toString('latin1') === 'PNG') return pngSize(data)
  if (data[0] === 0xff && data[1] === 0xd8) return jpegSize(data)
  return undefined
}

function pngSize(data: Buffer): NaturalSize | undefined {
  if (data.length < 24) return undefined
  const width = data.readUInt32BE(16)
  const height = data.readUInt32BE(20)
  let dpiX = 72
  let dpiY = 72
  // Walk the chunks for pHYs (pixels per unit; unit 1 = metre).
  for (let offset = 8; offset + 12 <= data.length; ) {
    const length = data.readUInt32BE(offset)
    const type = data.subarray(offset + 4, offset + 8).toString('latin1')
    if (type === 'pHYs' && length >= 9 && data[offset + 16] === 1) {
      dpiX = (data.readUInt32BE(offset + 8) * MM_PER_INCH) / 1000
      dpiY = (data.readUInt32BE(offset + 12) * MM_PER_INCH) / 1000
      break
    }
    if (type === 'IDAT' || type === 'IEND') break
    offset += 12 + length
  }
  return { widthMm: (width / dpiX) * MM_PER_INCH, heightMm: (height / dpiY) * MM_PER_INCH }
}

function jpegSize(data: Buffer): NaturalSize | undefined {
  let dpiX = 72
  let dpiY = 72
  for (let offset = 2; offset + 9 < data.length; ) {
    if (data[offset] !== 0xff) return undefined
    const marker = data[offset + 1] ?? 0
    const length = data.readUInt16BE(offset + 2)
    if (marker === 0xe0 && data.subarray(offset + 4, offset + 9).toString('latin1') === 'JFIF\0') {
      const unit = data[offset + 11]
      const x = data.readUInt16BE(offset + 12)
      const y = data.readUInt16BE(offset + 14)
      if (unit === 1 && x > 0 && y > 0) [dpiX, dpiY] = [x, y]
      if (unit === 2 && x > 0 && y > 0) [dpiX, dpiY] = [x * 2.54, y * 2.54]
    }
    // Start-of-frame markers carry the size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = data.readUInt16BE(offset + 5)
      const width = data.readUInt16BE(offset + 7)
      return { widthMm: (width / dpiX) * MM_PER_INCH, heightMm: (height / dpiY) * MM_PER_INCH }
    }
    offset += 2 + length
  }
  return undefined
}
