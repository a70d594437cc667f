// The snippet's parent: a small process started with nothing but the pinned environment, so that
// what a snippet can read of its parent (/proc/<ppid>/environ, cmdline) holds nothing of the
// build's. It runs the snippet with stdout and stderr on its own fd 1 (one pipe: the order a
// terminal shows) and reports how it ended on fd 3 as one JSON line.
// Usage: node launcher.mjs <command> [args...]
import { spawn } from 'node:child_process'
import { writeSync } from 'node:fs'

const [command, ...args] = process.argv.slice(2)
// A timeout signals the whole process group: the snippet handles it (asyncio shows where it
// hung); the launcher waits to report how it ended.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, () => {})

const report = (status) => {
  try {
    writeSync(3, `${JSON.stringify(status)}\n`)
  } catch {
    // the build is gone
  }
  process.exit(0)
}

const child = spawn(command, args, { stdio: ['ignore', 1, 1] })
child.on('error', (error) => report({ error: error.message }))
child.on('exit', (code, signal) => report({ code, signal }))
