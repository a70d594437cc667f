/**
 * The project's configuration, `deck.config.yaml`: one at the project root, and one in a deck's
 * folder that changes it for the decks there. Two sections:
 *
 *   defaults:   front matter variables every deck starts from (its own front matter overrides)
 *   runners:    runners of snippets, presets changed or new ones (scripts/snippets/runner-config.ts)
 *
 * A problem is an error at its place in the file (`deck.config.yaml:12:3 error ...`), thrown as
 * a vfile message of that file.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { closest, distance } from 'fastest-levenshtein'
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml'
import { VFile } from 'vfile'
import type { Point } from 'unist'
import { projectRoot } from '../core/paths.ts'
import { applySettings, DEFAULT_SETTINGS, type DeckSettings } from '../reader/settings.ts'
import { parseRunners } from '../snippets/runner-config.ts'
import { PRESETS, RunnerSet, type RunnerSpec } from '../snippets/runners.ts'

export const CONFIG_NAME = 'deck.config.yaml'
const SECTIONS = ['defaults', 'runners']

export interface DeckConfig {
  /** The configuration files read, root first. */
  files: string[]
  defaults: DeckSettings
  runners: RunnerSet
}

const memo = new Map<string, DeckConfig>()

/** The configuration for decks in `deckDir`: the project root's file, then the folder's own. */
export function loadDeckConfig(deckDir: string, root = projectRoot): DeckConfig {
  const files = [...new Set([path.join(root, CONFIG_NAME), path.join(path.resolve(deckDir), CONFIG_NAME)])].filter((file) => existsSync(file))
  const texts = files.map((file) => readFileSync(file, 'utf8'))
  const memoKey = JSON.stringify([files, texts])
  const known = memo.get(memoKey)
  if (known) return known
  let defaults: DeckSettings = { ...DEFAULT_SETTINGS, author: [] }
  let runners: RunnerSpec[] = PRESETS
  files.forEach((file, index) => {
    const parsed = parseConfig(texts[index] ?? '', path.relative(process.cwd(), file) || file, defaults, runners)
    defaults = parsed.defaults
    runners = parsed.runners
  })
  const config = { files, defaults, runners: new RunnerSet(runners) }
  memo.set(memoKey, config)
  return config
}

/** One configuration file on top of what the files before it gave. */
export function parseConfig(text: string, name: string, defaults: DeckSettings, runners: RunnerSpec[]): { defaults: DeckSettings; runners: RunnerSpec[] } {
  const file = new VFile({ path: name, value: text })
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const place = (offset: number): Point => {
    const { line, col } = lines.linePos(offset)
    return { line, column: col, offset }
  }
  const fail = (reason: string, node: YamlNode | null | undefined): never =>
    file.fail(reason, { place: place(node?.range?.[0] ?? 0), ruleId: 'deck-config', source: 'config' })
  for (const error of doc.errors) file.fail(`Cannot parse ${path.basename(name)}: ${error.message.split('\n')[0]}`, { place: place(error.pos[0]), ruleId: 'deck-config', source: 'config' })
  const root = doc.contents
  if (root === null || root === undefined) return { defaults, runners }
  if (!isMap(root)) fail(`Expected ${path.basename(name)} to be a mapping with ${SECTIONS.map((s) => `\`${s}\``).join(' and ')}`, root)
  for (const pair of (root as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    if (SECTIONS.includes(key)) continue
    const guess = closest(key, SECTIONS)
    fail(`Unknown section \`${key}\` (known: ${SECTIONS.join(', ')})${distance(key, guess) <= 3 ? `: did you mean \`${guess}\`?` : ''}`, pair.key as YamlNode)
  }
  const section = (name: string) => (root as YAMLMap).get(name, true) as YamlNode | undefined
  const defaultsNode = section('defaults')
  let nextDefaults = defaults
  if (defaultsNode !== undefined && defaultsNode !== null && !(isScalar(defaultsNode) && defaultsNode.value === null)) {
    if (!isMap(defaultsNode)) fail('Expected `defaults` to be a mapping of front matter variables (`colortheme: crane`, ...)', defaultsNode)
    nextDefaults = applySettings(defaultsNode as YAMLMap, { ...defaults, author: [...defaults.author] }, place, file)
  }
  const runnersNode = section('runners')
  const nextRunners = isScalar(runnersNode) && runnersNode.value === null ? runners : parseRunners(runnersNode, runners, fail)
  return { defaults: nextDefaults, runners: nextRunners }
}
