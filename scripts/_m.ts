import { readFileSync } from 'node:fs'
import { VFile } from 'vfile'
import { reporter } from 'vfile-reporter'
import { parseDeck } from './markdown/parse.ts'
import { deckToMarp } from './markdown/marp-markdown.ts'
const p = process.argv[2]!
const file = new VFile({ path: p, value: readFileSync(p, 'utf8') })
try { await parseDeck(file); console.log(deckToMarp(file.data.deck!).replace(/data:[^"]{100,}/g, 'data:...')) } catch (e) { }
console.error(reporter([file]))
