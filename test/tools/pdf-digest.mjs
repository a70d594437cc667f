// Prints a sha256 of a PDF with its streams inflated and its dates and file ID masked, so that two
// builds of the same deck compare equal although Chromium stamps each print with the time.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file)
  const text = bytes.toString('latin1')
  const parts = []
  let last = 0
  for (const match of text.matchAll(/(?<!end)stream\r?\n/g)) {
    const start = match.index + match[0].length
    const end = text.indexOf('endstream', start)
    if (end < 0) break
    parts.push(text.slice(last, match.index))
    // the cross-reference stream holds byte offsets, which move with the compressed dates
    if (text.slice(text.lastIndexOf('obj', match.index), match.index).includes('/XRef')) {
      last = end
      continue
    }
    try {
      parts.push(inflateSync(bytes.subarray(start, end)).toString('latin1'))
    } catch {
      parts.push(text.slice(start, end))
    }
    last = end
  }
  parts.push(text.slice(last))
  const masked = parts.join('').replace(/D:\d{8,14}[^)]*/g, 'D:X').replace(/\/ID\s*\[[^\]]*\]/g, '/ID[]').replace(/\/Length \d+/g, '/Length N').replace(/startxref\s*\d+/, 'startxref')
  console.log(`${createHash('sha256').update(masked, 'latin1').digest('hex')}  ${file}`)
}
