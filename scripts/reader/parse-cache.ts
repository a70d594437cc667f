/**
 * The reader's tree of a deck remembered under its text. Parsing (micromark and the syntax
 * extensions, scripts/reader/parse.ts) is a function of the text and the toolchain alone: it
 * reports nothing (the transforms after it do) and reads no other file. It took 50-80 ms of a
 * one-shot build of the asyncio deck (its code not yet compiled by V8) and ~1.1 s at 1000
 * slides; a build of the same text (a snippet or the theme edited, `--force`, verify, the fit
 * check rerun) reads the tree back in a millisecond. Stored with V8's serializer (whatever the
 * extensions put in the tree); test/cache.test.ts compares the trees read back with fresh parses.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import type { Root } from 'mdast'
import type { Processor } from 'unified'
import type { VFile } from 'vfile'
import { cacheDir, cacheKey, pruneOnce, renewEntry, codeFingerprint, writeAtomic } from '../core/cache.ts'

const KIND = 'parse'

/** `processor.parse(file)`, or the tree it gave for the same text and `settings` before. */
export function parseRemembered(processor: Pick<Processor, 'parse'>, file: VFile, settings: unknown): Root {
  const entry = path.join(cacheDir, KIND, `${cacheKey(codeFingerprint(), JSON.stringify(settings ?? null), String(file.value))}.bin`)
  try {
    const tree = v8.deserialize(readFileSync(entry)) as Root
    renewEntry(entry)
    return tree
  } catch {
    // not stored yet, or unreadable: parsed below
  }
  const tree = processor.parse(file) as Root
  try {
    writeAtomic(entry, v8.serialize(tree))
    pruneOnce(KIND)
  } catch {
    // a read-only cache: parsed each time
  }
  return tree
}
