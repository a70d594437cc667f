import { readFileSync } from 'node:fs'
import { VFile } from 'vfile'
import { parseDeck } from '/work/main/scripts/markdown/parse.ts'
import { deckToMarp } from '/work/main/scripts/markdown/marp-markdown.ts'
const p = process.argv[2]!
const file = new VFile({ path: p, value: readFileSync(p, 'utf8') })
await parseDeck(file); console.log(deckToMarp(file.data.deck!).replace(/<nav.*nav>/g,'[nav]'))
