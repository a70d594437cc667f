/**
 * remark transform: code blocks that come from snippet files, and the real output of running them.
 *
 *   ```{.python file="asyncio/main1.py" region="main1" lines="2-5"}   code from a file
 *   ```{.output run="asyncio/main1.py" exit=1 traceback=short}        what running it printed
 *   ```{.lint run="asyncio/main1.py" select="RUF006,ASYNC"}           ruff's findings
 *
 * A block may list versions, `|` between them (`file="v1.py|v2.py"`, `region="v1|v2"`,
 * `run="v1.py|v2.py"`): each is read or run as a block of its own, and the block keeps them all
 * (`data.versions`, the first also as the block itself) for the slide to step through.
 *
 * Every problem is reported at the block. The outputs themselves come from the store or from a
 * run (scripts/snippets/outputs.ts); new ones are recorded on `file.data.snippets` for the
 * pipeline to commit once the build has succeeded.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { closest, distance } from 'fastest-levenshtein'
import type { Code, Html, Root } from 'mdast'
import stripAnsi from 'strip-ansi'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { DEFAULT_RUNNERS, type RunnerSpec } from './runners.ts'
import { selectCode, SnippetSelectionError } from './resolve.ts'
import { obtainOutputs, requestId, type OutputContext, type OutputOutcome, type OutputRequest } from './outputs.ts'
import { shapeOutput, type OutputShape } from './shape-output.ts'
import { TRACEBACK_MODES, type TracebackMode } from './traceback.ts'
import { ansiToHtml } from './ansi-html.ts'
import { recordInput } from '../slides/inputs.ts'
import { escapeRegExp } from '../core/escape-regexp.ts'

export interface SnippetOptions extends OutputContext {
  /** Default: the front matter's `snippet-traceback` (`full` without one). */
  traceback?: TracebackMode
  /** Default: the front matter's `snippet-elision` (`...` without one). */
  elisionMarker?: string
}

export interface SnippetReport {
  outcomes: OutputOutcome[]
}

declare module 'vfile' {
  interface DataMap {
    snippets: SnippetReport
  }
}

/** What an output block asks for, kept on the block for the dev server's run on stage. */
export interface OutputBlockSpec {
  request: OutputRequest
  shape: OutputShape
}

/** One version of a block that lists several (`file="a.py|b.py"`): what it shows, and where from. */
export interface SnippetVersion {
  /** `evolve/v2.py`, `evolve/app.py region v2`: how messages name it. */
  label: string
  node: Code | Html
}

declare module 'mdast' {
  interface CodeData {
    snippetOutput?: OutputBlockSpec
    /** Two or more: the versions the block steps through (the block itself holds the first). */
    versions?: SnippetVersion[]
  }
}

interface OutputBlock {
  node: Code
  request: OutputRequest
  expectedExit: string
  shape: OutputShape
}

/** The attributes each kind of snippet block understands; others get a warning. */
const KNOWN_ATTRIBUTES = {
  // code from a file takes the display options of any code block (code-display.ts)
  file: ['file', 'region', 'lines', 'highlight', 'startFrom', 'start-from'],
  run: ['run', 'exit', 'timeout', 'traceback', 'lines', 'max-lines', 'replace', 'color', 'runner', 'phase'],
  lint: ['run', 'select'],
} as const
/** The classes of the blocks that show what running a snippet gives. */
const RUN_CLASSES = ['output', 'lint'] as const
/** Classes of pandoc's code blocks that output and lint blocks do not do (console text has no line numbers). */
const UNSUPPORTED_CLASSES: Record<string, string> = {
  numberLines: 'output has no line numbers',
  'number-lines': 'output has no line numbers',
}

/**
 * Without options (the front end's fixture tests: no snippets folder) code blocks stay as
 * written.
 */
export function remarkSnippets(snippetOptions?: SnippetOptions) {
  if (!snippetOptions) return undefined
  return async (tree: Root, file: VFile): Promise<void> => {
    const options = {
      ...snippetOptions,
      traceback: snippetOptions.traceback ?? file.data.settings?.snippetTraceback ?? 'full',
      elisionMarker: snippetOptions.elisionMarker ?? file.data.settings?.snippetElision ?? '...',
    }
    const runners = options.runners ?? DEFAULT_RUNNERS
    const blocks: OutputBlock[] = []
    /** Output blocks that list versions: each shows its first once the versions are filled. */
    const versionedOutputs: Code[] = []
    visit(tree, 'code', (node) => {
      const attributes = node.data?.attributes
      if (!attributes) return
      const values = attributes.values
      const fail = (reason: string, ruleId: string) => file.fail(reason, { place: node.position, ruleId, source: 'snippets' })
      const kind = values.file !== undefined ? 'file' : attributes.classes.includes('output') ? 'run' : attributes.classes.includes('lint') ? 'lint' : undefined
      if (kind) checkAttributes(file, node, Object.keys(values), attributes.classes, KNOWN_ATTRIBUTES[kind])
      else if (values.run !== undefined) misplacedRun(file, node, attributes.classes)
      const runClass = RUN_CLASSES.find((name) => attributes.classes.includes(name))
      if (kind === 'file' && runClass) {
        file.fail(`A \`.${runClass}\` block shows what running a snippet gives: \`run="${values.file}"\`, not \`file=\` (which shows the code)`, { place: placeInFence(file, node, 'file'), ruleId: 'snippet-run', source: 'snippets' })
      }
      if (values.file !== undefined) {
        if (node.value.trim() !== '') fail('A block with `file=` takes its code from the file: leave its body empty', 'snippet-body')
        const selections = versionList(values.file, values.region, fail)
        const versions = selections.map(({ file: name, region }): SnippetVersion => {
          const absolute = locate(name, options.snippetsDir, fail)
          recordInput(file, absolute)
          const runner = runners.forFile(absolute, options.snippetsDir)
          const version: Code = { type: 'code', lang: node.lang ?? runner?.language ?? null, meta: null, value: '', ...(node.position ? { position: node.position } : {}) }
          try {
            const display = `snippets/${path.relative(options.snippetsDir, absolute).split(path.sep).join('/')}`
            version.value = selectCode(readFileSync(absolute, 'utf8'), display, {
              ...(region !== undefined ? { region } : {}),
              ...(values.lines !== undefined ? { lines: values.lines } : {}),
            }, runner?.comment)
          } catch (error) {
            if (error instanceof SnippetSelectionError) fail(error.message, 'snippet-selection')
            throw error
          }
          return { label: `${name}${region !== undefined && selections.some((other) => other.region !== region) ? ` region ${region}` : ''}`, node: version }
        })
        const first = versions[0]!.node as Code
        node.value = first.value
        node.lang = first.lang ?? null
        if (versions.length > 1) node.data = { ...node.data, versions }
        return
      }
      if (kind !== 'run' && kind !== 'lint') return
      if (values.run === undefined) fail(`A \`.${attributes.classes[0]}\` block needs \`run="path/in/snippets"\``, 'snippet-run')
      if (node.value.trim() !== '') fail('Output comes from running the snippet: leave the block\'s body empty', 'snippet-body')
      const runs = (values.run as string).split('|').map((name) => name.trim())
      if (runs.some((name) => name === '')) fail(`Expected \`run\` to list snippets with \`|\` between them, not \`${values.run}\``, 'snippet-run')
      // Versions share the block's options; the first version's runner gives the defaults.
      let runner: RunnerSpec | undefined
      const snippets = runs.map((name) => {
        const absolute = locate(name, options.snippetsDir, fail)
        const found = kind !== 'run' ? undefined : values.runner !== undefined ? runners.named(values.runner) : runners.forFile(absolute, options.snippetsDir)
        if (kind === 'run' && !found) {
          const names = runners.runners.map((candidate) => candidate.name).join(', ')
          if (values.runner !== undefined) {
            const guess = closest(values.runner, runners.runners.map((candidate) => candidate.name))
            const hint = distance(values.runner, guess) <= Math.max(2, Math.floor(values.runner.length / 3)) ? `: did you mean \`${guess}\`?` : ''
            fail(`No runner \`${values.runner}\`${hint} (known: ${names}; define one under \`runners\` in deck.config.yaml)`, 'snippet-runner')
          }
          fail(`Cannot run \`${name}\`: no runner for \`${path.extname(absolute) || 'files without an extension'}\` (runners know ${runners.extensions().join(', ')}; define one under \`runners\` in deck.config.yaml)`, 'snippet-runner')
        }
        if (kind === 'lint' && path.extname(absolute) !== '.py') fail(`Lint blocks check Python files, not \`${name}\``, 'snippet-lint')
        runner ??= found
        return path.relative(options.snippetsDir, absolute).split(path.sep).join('/')
      })
      const phase = values.phase ?? 'run'
      if (phase !== 'run' && phase !== 'build') fail(`Expected \`phase\` to be \`run\` or \`build\`, not \`${phase}\``, 'snippet-phase')
      if (phase === 'build' && runner && runner.build.length === 0) fail(`\`phase=build\`: the \`${runner.name}\` runner has no build step`, 'snippet-phase')
      const timeout = values.timeout === undefined ? (runner?.timeout ?? 10) : Number(values.timeout)
      if (!(timeout > 0 && timeout <= 600)) fail(`Expected \`timeout\` in seconds (up to 600), not \`${values.timeout}\``, 'snippet-timeout')
      const traceback = (values.traceback ?? options.traceback) as TracebackMode
      if (!TRACEBACK_MODES.includes(traceback)) fail(`Expected \`traceback\` to be one of ${TRACEBACK_MODES.join(', ')}, not \`${traceback}\``, 'snippet-traceback')
      const maxLines = values['max-lines'] === undefined ? undefined : Number(values['max-lines'])
      if (maxLines !== undefined && !(Number.isInteger(maxLines) && maxLines > 0)) fail(`Expected \`max-lines\` to be a positive whole number, not \`${values['max-lines']}\``, 'snippet-max-lines')
      const colorValue = values.color ?? (file.data.settings?.snippetColor ? 'true' : 'false')
      if (colorValue !== 'true' && colorValue !== 'false') fail(`Expected \`color\` to be \`true\` or \`false\`, not \`${colorValue}\``, 'snippet-color')
      const expectedExit = values.exit ?? '0'
      if (!/^(any|\d+)$/.test(expectedExit)) fail(`Expected \`exit\` to be a number or \`any\`, not \`${expectedExit}\``, 'snippet-exit')
      // Versions (`run="a.py|b.py"`) are blocks of their own, the block's attributes holding for each.
      const versions = snippets.map((snippet): OutputBlock => ({
        node: snippets.length === 1 ? node : { type: 'code', lang: null, meta: null, value: '', ...(node.position ? { position: node.position } : {}) },
        expectedExit,
        request: {
          kind, snippet, timeoutMs: timeout * 1000, select: (values.select ?? '').split(',').map((s) => s.trim()).filter(Boolean),
          ...(kind === 'run' && colorValue === 'true' ? { color: true } : {}),
          ...(kind === 'run' && values.runner !== undefined ? { runner: values.runner } : {}),
          ...(kind === 'run' && phase === 'build' ? { phase: 'build' as const } : {}),
        },
        shape: {
          traceback,
          ...(phase === 'build' && runner?.diagnostics ? { diagnostics: runner.diagnostics } : {}),
          marker: options.elisionMarker,
          ...(values.replace !== undefined ? { replace: values.replace } : {}),
          ...(values.lines !== undefined ? { lines: values.lines } : {}),
          ...(maxLines !== undefined ? { maxLines } : {}),
        },
      }))
      node.data = { ...node.data, snippetOutput: { request: versions[0]!.request, shape: versions[0]!.shape } }
      if (versions.length > 1) {
        node.data.versions = versions.map((version, index) => ({ label: runs[index]!, node: version.node }))
        versionedOutputs.push(node)
      }
      blocks.push(...versions)
    })
    if (blocks.length === 0) return

    const outcomes = await obtainOutputs(blocks.map((block) => block.request), options)
    file.data.snippets = { outcomes: [...outcomes.values()] }
    for (const outcome of outcomes.values()) {
      for (const input of [...outcome.sources, outcome.storeFile]) recordInput(file, input)
    }
    // Every block is reported (all stale outputs at once, not the first), then the first error stops the build.
    const errors: unknown[] = []
    for (const block of blocks) {
      try {
        fillBlock(block, outcomes.get(requestId(block.request)), file)
      } catch (error) {
        errors.push(error)
      }
    }
    if (errors.length > 0) throw errors[0]
    for (const node of versionedOutputs) Object.assign(node, { ...node.data!.versions![0]!.node, data: node.data, position: node.position })
  }
}

/**
 * The versions `file=` and `region=` list (`|` between them): as many files as regions, or one of
 * them for every one of the other.
 */
function versionList(files: string, regions: string | undefined, fail: (reason: string, ruleId: string) => never): Array<{ file: string; region: string | undefined }> {
  const names = files.split('|').map((name) => name.trim())
  const parts = regions === undefined ? [undefined] : regions.split('|').map((name) => name.trim())
  if (names.some((name) => name === '') || parts.some((name) => name === '')) {
    fail(`Expected versions with \`|\` between them, not \`${files}\`${regions === undefined ? '' : ` with region \`${regions}\``}: one is empty`, 'snippet-file')
  }
  if (names.length > 1 && parts.length > 1 && names.length !== parts.length) {
    fail(`\`file\` lists ${names.length} versions and \`region\` ${parts.length}: give as many of each, or one file (or region) for all`, 'snippet-versions')
  }
  const count = Math.max(names.length, parts.length)
  return Array.from({ length: count }, (_, index) => ({ file: names[names.length > 1 ? index : 0]!, region: parts[parts.length > 1 ? index : 0] }))
}

/**
 * `run=` on a block that is neither `.output` nor `.lint` (a class misspelt): the block would show
 * nothing, so the build stops, with a did-you-mean.
 */
function misplacedRun(file: VFile, node: Code, classes: string[]): never {
  const near = classes.find((name) => RUN_CLASSES.some((known) => distance(name, known) <= 2))
  const hint = near === undefined ? '' : `: did you mean \`.${closest(near, [...RUN_CLASSES])}\`?`
  const has = classes.length > 0 ? ` (its classes: ${classes.map((name) => `\`.${name}\``).join(', ')})` : ''
  file.fail(`\`run=\` works on an \`.output\` block (what the snippet prints) or a \`.lint\` block${has}${hint}`, { place: placeInFence(file, node, near === undefined ? 'run' : `.${near}`), ruleId: 'snippet-run', source: 'snippets' })
}

/** Unknown attributes and unsupported classes on a snippet block: a warning, with a did-you-mean. */
function checkAttributes(file: VFile, node: Code, keys: string[], classes: string[], known: readonly string[]): void {
  for (const key of keys) {
    if (known.includes(key)) continue
    const guess = closest(key.replace(/_/g, '-'), [...known])
    const hint = distance(key.replace(/_/g, '-'), guess) <= Math.max(2, Math.floor(key.length / 3)) ? `: did you mean \`${guess}\`?` : ''
    file.message(`Unknown attribute \`${key}\` on a snippet block, ignored (known: ${known.join(', ')})${hint}`, { place: placeInFence(file, node, key), ruleId: 'snippet-attribute', source: 'snippets' })
  }
  for (const name of known.includes('file') ? [] : classes) {
    const why = UNSUPPORTED_CLASSES[name]
    if (why) file.message(`\`.${name}\` is not supported, ignored: ${why}`, { place: placeInFence(file, node, `.${name}`), ruleId: 'snippet-attribute', source: 'snippets' })
  }
}

/**
 * Where `word` (an attribute's name, a `.class`) stands in the block's opening fence line, so
 * that a message points at it; the block's start when it is not found there.
 */
function placeInFence(file: VFile, node: Pick<Code, 'position'>, word: string): Code['position'] | { line: number; column: number } {
  const start = node.position?.start
  if (start?.offset === undefined) return node.position
  const text = String(file.value)
  const end = text.indexOf('\n', start.offset)
  const fence = text.slice(start.offset, end < 0 ? undefined : end)
  const found = new RegExp(`(?<=[\\s{])${escapeRegExp(word)}(?=[\\s=}])`).exec(fence)
  return found ? { line: start.line, column: start.column + found.index } : node.position
}

/** The last lines of an output for a terminal message: a few lines, each cut to a readable width. */
export function outputTail(output: string, lines = 12, width = 160): string {
  // Lines are found from the end: one huge line is neither split nor copied whole.
  const text = output.endsWith('\n') ? output.slice(0, -1) : output
  const tail: string[] = []
  let end = text.length
  while (tail.length < lines && end >= 0) {
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1
    const length = end - start
    const line = stripAnsi(text.slice(start, start + Math.min(length, width * 2)))
    tail.unshift(length > width ? `${line.slice(0, width)}… (${length - width} more characters)` : line)
    if (start === 0) break
    end = start - 1
  }
  return tail.join('\n')
}

function locate(relative: string, snippetsDir: string, fail: (reason: string, ruleId: string) => never): string {
  const absolute = path.resolve(snippetsDir, relative)
  if (!absolute.startsWith(snippetsDir + path.sep)) fail(`\`${relative}\` is outside the snippets folder`, 'snippet-file')
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    const dir = path.dirname(absolute)
    const siblings = existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')).slice(0, 12) : []
    const hint = siblings.length > 0 ? `; \`${path.relative(snippetsDir, dir) || '.'}\` has ${siblings.map((name) => `\`${name}\``).join(', ')}` : ''
    fail(`Cannot find snippet \`${relative}\` in \`${path.relative(process.cwd(), snippetsDir) || '.'}\`${hint}`, 'snippet-file')
  }
  // Decided where the file really is: a symlink in snippets/ to a file or folder elsewhere is outside.
  const real = realpathSync(absolute)
  const realDir = realpathSync(snippetsDir)
  if (!real.startsWith(realDir + path.sep)) fail(`\`${relative}\` is a symlink to \`${real}\`, outside the snippets folder: not read or run`, 'snippet-file')
  // Its stored outputs go to .outputs/ beside it: that folder must be inside too.
  const outputs = path.join(path.dirname(absolute), '.outputs')
  if (existsSync(outputs) && !realpathSync(outputs).startsWith(realDir + path.sep)) {
    fail(`\`${path.relative(snippetsDir, outputs)}\` is a symlink to \`${realpathSync(outputs)}\`, outside the snippets folder: no output is stored there`, 'snippet-file')
  }
  return absolute
}

function fillBlock(block: OutputBlock, outcome: OutputOutcome | undefined, file: VFile): void {
  const { node, request } = block
  const place = node.position
  const where = `snippets/${request.snippet}`
  if (!outcome) throw new Error(`no outcome for ${requestId(request)}`)
  const tail = () => outputTail(outcome.stored.output)
  const fail = (reason: string, ruleId: string) => {
    const message = file.message(reason, { place, ruleId, source: 'snippets' })
    if (outcome.stored.output) message.note = tail()
    message.fatal = true
    throw message
  }
  if (outcome.failure) fail(outcome.failure, request.kind === 'lint' ? 'snippet-lint' : outcome.failureRule ?? 'snippet-run')
  const run = outcome.run
  if (run?.timedOut) fail(`\`${where}\` did not finish within ${request.timeoutMs / 1000} s: stopped (partial output below)`, 'snippet-timeout')
  if (run?.truncated) fail(`\`${where}\` printed more than 1 MiB: stopped`, 'snippet-flood')
  // (A notice says a stored output was corrupt, and what replaced it.)
  if (outcome.notice) file.message(outcome.notice, { place, ruleId: 'snippet-corrupt', source: 'snippets' })
  if (run && run.leftovers.length > 0) {
    const names = run.leftovers.slice(0, 5).map((entry) => `\`${entry.command}\` (pid ${entry.pid})`)
    const more = run.leftovers.length > 5 ? ` and ${run.leftovers.length - 5} more` : ''
    file.message(`\`${where}\` left ${run.leftovers.length === 1 ? 'a process' : `${run.leftovers.length} processes`} running after it ended, now stopped: ${names.join(', ')}${more}`, { place, ruleId: 'snippet-children', source: 'snippets' })
  }
  if (outcome.projectWrites) {
    const names = outcome.projectWrites.slice(0, 8).map((name) => `\`${name}\``)
    const more = outcome.projectWrites.length > 8 ? ` and ${outcome.projectWrites.length - 8} more` : ''
    file.message(`\`${where}\` wrote into the project outside its own folder: ${names.join(', ')}${more}`, { place, ruleId: 'snippet-writes', source: 'snippets' })
  }
  if (run?.invalidUtf8) file.message(`\`${where}\` printed bytes that are not UTF-8: shown as \uFFFD`, { place, ruleId: 'snippet-utf8', source: 'snippets' })
  if (request.kind === 'run' && block.expectedExit !== 'any' && outcome.stored.exit !== block.expectedExit) {
    const status = /^\d+$/.test(outcome.stored.exit) ? `exit status ${outcome.stored.exit}` : `signal ${outcome.stored.exit}`
    fail(`\`${where}\` ended with ${status}, expected ${block.expectedExit === '0' ? 'success (set `exit=` to expect a failure)' : `exit status ${block.expectedExit}`}`, 'snippet-exit')
  }
  try {
    // (What the shaping warns of is a `replace` that changed nothing: pointed at.)
    node.value = request.kind === 'run' ? shapeOutput(outcome.stored.output, block.shape, (message) => file.message(message, { place: placeInFence(file, node, 'replace'), ruleId: 'snippet-shape', source: 'snippets' })) : outcome.stored.output
  } catch (error) {
    fail((error as Error).message, 'snippet-shape')
  }
  node.lang = request.kind === 'run' ? 'output' : 'lint'
  if (request.color) {
    // Coloured output is HTML already: the console block the theme styles, with colour spans.
    const html = node as unknown as Html
    html.type = 'html'
    html.value = `<pre class="console output"><code>${ansiToHtml(node.value)}\n</code></pre>`
  }
}
