/**
 * Preloaded into every Node.js and TypeScript snippet (`--require` through NODE_OPTIONS: CommonJS,
 * so that a CommonJS snippet is still run by Node's CommonJS loader, and its stack traces have the
 * frames a terminal shows): the files a run opens, for its freshness key
 * (scripts/snippets/reads.ts). One line per file, `r <path>` for a read, `w <path>` for a write,
 * `x` when it starts another program (whose reads are not seen: its folder then counts), appended
 * to the file DECK_SNIPPET_READS names; nothing goes to the output, and both variables leave the
 * environment (the snippet sees the environment it saw before). The module loader
 * reads through Node's internals and is not seen: the files a snippet imports are found from its
 * source (dependencies.ts).
 */
'use strict'
const childProcess = require('node:child_process')
const fs = require('node:fs')
const { syncBuiltinESMExports } = require('node:module')
const path = require('node:path')
const { fileURLToPath } = require('node:url')

const target = process.env.DECK_SNIPPET_READS
if (target) {
  delete process.env.DECK_SNIPPET_READS
  delete process.env.NODE_OPTIONS
  install(target)
}

function install(target) {
  let fd
  try {
    fd = fs.openSync(target, 'a', 0o600)
  } catch {
    return
  }
  const { writeSync } = fs
  const seen = new Set()
  const record = (kind, name) => {
    try {
      if (kind === 'x') {
        if (!seen.has('x')) writeSync(fd, 'x\n')
        seen.add('x')
        return
      }
      let file = name
      if (file instanceof URL) file = fileURLToPath(file)
      else if (Buffer.isBuffer(file)) file = file.toString('utf8')
      if (typeof file !== 'string') return // a file descriptor or handle
      const line = `${kind} ${path.resolve(file)}\n`
      if (seen.has(line)) return
      seen.add(line)
      writeSync(fd, line)
    } catch {
      // never the snippet's problem
    }
  }
  const isWrite = (flags) => {
    if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) !== 0
    return typeof flags === 'string' && /[wa+]/.test(flags)
  }
  const flagOf = (options) => (options && typeof options === 'object' ? options.flag ?? options.flags : undefined)
  const wrap = (owner, name, before) => {
    const original = owner[name]
    if (typeof original !== 'function') return
    const wrapped = {
      [name](...args) {
        before(args)
        return original.apply(this, args)
      },
    }[name]
    Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original))
    owner[name] = wrapped
  }
  const reads = (args) => record(isWrite(flagOf(args[1])) ? 'w' : 'r', args[0])
  const writes = (args) => record('w', args[0])
  const opens = (args) => record(isWrite(args[1] ?? 'r') ? 'w' : 'r', args[0])
  const second = (args) => record('w', args[1])
  const copies = (args) => (record('r', args[0]), second(args))
  // Each in its three forms: callback and promise (fs, fs.promises), and `…Sync`.
  const recorders = { readFile: reads, open: opens, writeFile: writes, appendFile: writes, copyFile: copies, cp: copies, rename: second }
  for (const [name, before] of Object.entries(recorders)) {
    wrap(fs, name, before)
    wrap(fs.promises, name, before)
    wrap(fs, `${name}Sync`, before)
  }
  wrap(fs, 'createReadStream', (args) => record('r', args[0]))
  wrap(fs, 'createWriteStream', writes)
  // A program started (not `fork`: a Node.js child is recorded itself).
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync']) wrap(childProcess, name, () => record('x'))
  // `import { readFileSync } from 'node:fs'` sees the wrapped functions.
  syncBuiltinESMExports()
}
