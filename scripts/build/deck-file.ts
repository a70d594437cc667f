/**
 * Reads a deck into a vfile. A deck that is not UTF-8 is an error at the first bad byte (its line
 * and column, and the byte itself), not a slide showing `Caf�`; a missing deck an error naming it.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'

export function readDeckFile(deckPath: string): VFile {
  const relative = path.relative(process.cwd(), deckPath) || deckPath
  if (!existsSync(deckPath)) {
    const file = new VFile({ path: relative })
    const message = file.message(`Cannot find the deck \`${deckPath}\``, { ruleId: 'deck-not-found', source: 'deck' })
    message.fatal = true
    return file
  }
  const bytes = readFileSync(deckPath)
  try {
    return new VFile({ path: relative, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) })
  } catch {
    const file = new VFile({ path: relative })
    const at = firstInvalidByte(bytes)
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at))
    const lines = before.split('\n')
    const place = { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1, offset: at }
    const byte = `0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}`
    const message = file.message(`The deck is not UTF-8: byte ${byte} at offset ${at} (save it as UTF-8; Latin-1 \`${latin1(bytes, at)}\` perhaps)`, {
      place,
      ruleId: 'deck-encoding',
      source: 'deck',
    })
    message.fatal = true
    return file
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let low = 0
  let high = bytes.length
  // The longest prefix that is valid, a character cut at its end allowed (streaming mode), by
  // bisection: decoding is all-or-nothing.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    let valid = true
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true })
    } catch {
      valid = false
    }
    if (valid) low = middle
    else high = middle - 1
  }
  // A sequence cut short by the bad byte starts before it: that is where the problem is.
  for (let start = low - 1; start >= 0 && start >= low - 3; start--) {
    const byte = bytes[start] ?? 0
    if ((byte & 0xc0) === 0x80) continue
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    if (start + length > low) return start
    break
  }
  return low
}

/** The word around the bad byte, read as Latin-1, to help recognise it. */
function latin1(bytes: Uint8Array, at: number): string {
  let start = at
  while (start > 0 && at - start < 20 && !isSpace(bytes[start - 1])) start--
  let end = at + 1
  while (end < bytes.length && end - at < 20 && !isSpace(bytes[end])) end++
  return Buffer.from(bytes.subarray(start, end)).toString('latin1')
}

function isSpace(byte: number | undefined): boolean {
  return byte === undefined || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}
