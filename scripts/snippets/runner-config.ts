/**
 * The `runners:` section of deck.config.yaml: each entry changes a preset (runners.ts) field by
 * field, or defines a new runner (`from: rust` starts from a preset). Every problem is an error at
 * its place in the file (`deck.config.yaml:12:3 error ...`).
 */
import { closest, distance } from 'fastest-levenshtein'
import { isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml'
import { PRESETS, type RunnerSpec } from './runners.ts'

/** Reports an error at a node of the configuration (throws). */
export type ConfigFail = (reason: string, node: YamlNode | null | undefined) => never

const FIELDS = ['from', 'extensions', 'project', 'language', 'comment', 'build', 'run', 'version', 'sources', 'imports', 'path', 'env', 'timeout', 'build-timeout', 'diagnostics', 'replace'] as const
/** What a built-in runner (Python, shell, Node, TypeScript) takes without becoming a command runner. */
const BUILTIN_FIELDS = new Set(['extensions', 'language', 'comment', 'timeout', 'sources'])

export function parseRunners(section: YamlNode | null | undefined, base: RunnerSpec[], fail: ConfigFail): RunnerSpec[] {
  if (section === null || section === undefined) return base
  if (!isMap(section)) fail('Expected `runners` to be a mapping of runner names to their settings', section)
  const runners = [...base]
  const added: RunnerSpec[] = []
  for (const pair of (section as YAMLMap).items) {
    const keyNode = pair.key as YamlNode
    const name = isScalar(keyNode) ? String(keyNode.value) : ''
    if (!/^[a-z][\w-]*$/.test(name)) fail(`Expected a runner name of letters, digits, \`-\` and \`_\`, not \`${name}\``, keyNode)
    const value = pair.value as YamlNode | null
    if (!isMap(value)) fail(`Expected \`runners.${name}\` to be a mapping (extensions, run, version, ...)`, value ?? keyNode)
    const index = runners.findIndex((runner) => runner.name === name)
    const existing = index >= 0 ? runners[index] : undefined
    const runner = parseRunner(name, value as YAMLMap, keyNode, existing, runners, fail)
    if (existing) runners[index] = runner
    else added.push(runner)
  }
  // A runner of the configuration is found before a preset for the same extension.
  return [...added, ...runners]
}

function parseRunner(name: string, map: YAMLMap, nameNode: YamlNode, existing: RunnerSpec | undefined, known: RunnerSpec[], fail: ConfigFail): RunnerSpec {
  const entries = new Map<string, YamlNode | null>()
  for (const pair of map.items) {
    const keyNode = pair.key as YamlNode
    const key = isScalar(keyNode) ? String(keyNode.value) : ''
    if (!(FIELDS as readonly string[]).includes(key)) {
      const guess = closest(key, [...FIELDS])
      const hint = distance(key, guess) <= 3 ? `: did you mean \`${guess}\`?` : ''
      fail(`Unknown field \`${key}\` in \`runners.${name}\` (known: ${FIELDS.join(', ')})${hint}`, keyNode)
    }
    entries.set(key, pair.value as YamlNode | null)
  }
  let runner: RunnerSpec
  const fromNode = entries.get('from')
  if (fromNode !== undefined) {
    const from = text(fromNode, `runners.${name}.from`, fail)
    const preset = known.find((candidate) => candidate.name === from) ?? PRESETS.find((candidate) => candidate.name === from)
    if (!preset) fail(`\`runners.${name}.from\` names no runner: \`${from}\` (known: ${known.map((r) => r.name).join(', ')})`, fromNode)
    runner = { ...preset!, name }
  } else {
    runner = existing ? { ...existing } : { name, extensions: [], language: name, comment: '#', build: [], run: '', version: '', sources: [], imports: [], path: [], env: {}, timeout: 10, buildTimeout: 120, replace: [] }
  }
  const becomesCommand = entries.has('run')
  if (runner.builtin && !becomesCommand) {
    for (const key of entries.keys()) {
      if (key !== 'from' && !BUILTIN_FIELDS.has(key)) {
        fail(`\`runners.${name}.${key}\`: the ${name} preset runs with its own environment and key; give \`run\` and \`version\` to make it a command runner`, entries.get(key))
      }
    }
  }
  if (becomesCommand) delete runner.builtin
  for (const [key, node] of entries) {
    const where = `runners.${name}.${key}`
    switch (key) {
      case 'extensions':
        runner.extensions = list(node, where, fail).map((extension) => {
          const normal = (extension.startsWith('.') ? extension : `.${extension}`).toLowerCase()
          if (!/^\.[\w.+-]+$/.test(normal)) fail(`Expected \`${where}\` to hold extensions like \`.rs\`, not \`${extension}\``, node)
          return normal
        })
        break
      case 'project':
        runner.project = text(node, where, fail)
        break
      case 'language':
        runner.language = text(node, where, fail)
        break
      case 'comment':
        runner.comment = text(node, where, fail)
        break
      case 'build':
        runner.build = list(node, where, fail)
        break
      case 'run':
        runner.run = text(node, where, fail)
        break
      case 'version':
        runner.version = text(node, where, fail)
        break
      case 'sources':
        runner.sources = list(node, where, fail)
        break
      case 'path':
        runner.path = list(node, where, fail)
        break
      case 'env':
        runner.env = environment(node, where, fail)
        break
      case 'timeout':
      case 'build-timeout': {
        const seconds = isScalar(node) ? Number(node.value) : Number.NaN
        if (!(seconds > 0 && seconds <= 3600)) fail(`Expected \`${where}\` in seconds (up to 3600), not \`${String(isScalar(node) ? node.value : node)}\``, node)
        if (key === 'timeout') runner.timeout = seconds
        else runner.buildTimeout = seconds
        break
      }
      case 'imports':
        runner.imports = importRules(node, where, fail)
        break
      case 'replace':
        runner.replace = list(node, where, fail).map((rule) => {
          const at = rule.indexOf('=>')
          if (at < 0) fail(`Expected each of \`${where}\` as \`REGEX=>TEXT\`, not \`${rule}\``, node)
          try {
            new RegExp(rule.slice(0, at), 'gm')
          } catch (error) {
            fail(`\`${where}\`: \`${rule.slice(0, at)}\` is not a regular expression: ${(error as Error).message}`, node)
          }
          return rule
        })
        break
      case 'diagnostics': {
        if (!isMap(node)) fail(`Expected \`${where}\` to be a mapping with \`start\` and \`error\` (regular expressions)`, node)
        const start = (node as YAMLMap).get('start', true) as YamlNode | undefined
        const error = (node as YAMLMap).get('error', true) as YamlNode | undefined
        runner.diagnostics = { start: pattern(start, `${where}.start`, fail, node), error: pattern(error, `${where}.error`, fail, node) }
        break
      }
      default:
        break
    }
  }
  // Declaring nothing of its files, its snippet's folder stands for what it reads (reads.ts).
  if (fromNode === undefined && !existing && runner.sources.length === 0 && runner.imports.length === 0) runner.wholeFolder = true
  if (!runner.builtin) {
    if (!runner.run) fail(`\`runners.${name}\` needs \`run\`: the shell command that runs a snippet (\`{file}\` is the snippet)`, nameNode)
    if (!runner.version) fail(`\`runners.${name}\` needs \`version\`: a command that prints the toolchain's version (it is part of every output's key)`, nameNode)
  }
  return runner
}

function text(node: YamlNode | null | undefined, where: string, fail: ConfigFail): string {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') fail(`Expected \`${where}\` to be text`, node)
  return String((node as { value: unknown }).value)
}

function list(node: YamlNode | null | undefined, where: string, fail: ConfigFail): string[] {
  if (isScalar(node)) return [text(node, where, fail)]
  if (!isSeq(node)) fail(`Expected \`${where}\` to be a list of text`, node)
  return (node as { items: YamlNode[] }).items.map((item) => text(item, where, fail))
}

function environment(node: YamlNode | null | undefined, where: string, fail: ConfigFail): Record<string, string> {
  if (!isMap(node)) fail(`Expected \`${where}\` to be a mapping of variable names to values`, node)
  const env: Record<string, string> = {}
  for (const pair of (node as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    if (!/^[A-Za-z_]\w*$/.test(key)) fail(`Expected a variable name in \`${where}\`, not \`${key}\``, pair.key as YamlNode)
    if (key === 'PATH') fail(`Set \`${where.replace(/\.env$/, '.path')}\` (folders put before the pinned PATH) instead of \`PATH\``, pair.key as YamlNode)
    env[key] = text(pair.value as YamlNode, `${where}.${key}`, fail)
  }
  return env
}

function importRules(node: YamlNode | null | undefined, where: string, fail: ConfigFail): RunnerSpec['imports'] {
  if (!isSeq(node)) fail(`Expected \`${where}\` to be a list of \`{pattern, files}\``, node)
  return (node as { items: YamlNode[] }).items.map((item) => {
    if (!isMap(item)) fail(`Expected each of \`${where}\` to be \`{pattern, files}\``, item)
    const map = item as YAMLMap
    return { pattern: pattern(map.get('pattern', true) as YamlNode | undefined, `${where}.pattern`, fail, item), files: list(map.get('files', true) as YamlNode | undefined, `${where}.files`, fail) }
  })
}

function pattern(node: YamlNode | null | undefined, where: string, fail: ConfigFail, parent: YamlNode): string {
  if (node === undefined || node === null) fail(`\`${where}\` is missing`, parent)
  const source = text(node, where, fail)
  try {
    new RegExp(source, 'm')
  } catch (error) {
    fail(`\`${where}\` is not a regular expression: ${(error as Error).message}`, node)
  }
  return source
}

