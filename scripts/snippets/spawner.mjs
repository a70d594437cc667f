// The process that starts snippet runs for a build (snippets/spawner.ts): small, so that a start
// costs what a fork of a small process costs (a fork copies the page tables of the process that
// forks: ~3 ms here, 25-70 ms from a build or a dev server holding 0.5-1.5 GB). It starts what
// it is asked to, with pipes on fds 3 and 4, and reports each pipe's chunks and end as they
// happen, then the exit. Plain JavaScript: Node runs it as it is, from the sources and from the
// bundle alike. It ends with the build (its IPC channel closes).
import { spawn } from 'node:child_process'

const children = new Map()

process.on('message', (message) => {
  if (message.destroy !== undefined) return void children.get(message.id)?.stdio[message.destroy]?.destroy()
  const { id, file, args, cwd, env } = message
  let child
  try {
    child = spawn(file, args, { cwd, env, stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true })
  } catch (error) {
    return void process.send({ id, error: { message: String(error?.message ?? error), code: error?.code } })
  }
  children.set(id, child)
  process.send({ id, pid: child.pid })
  // The exit is reported after what the pipes held (the status line, the last output): Node may
  // see a process exit before it has read its pipes, and the build waits for a pipe only briefly
  // once the exit is known. A pipe that stays open (a process left behind holds it) is waited for
  // half a second; the I/O that came meanwhile is read first (setImmediate), however late this
  // process was scheduled.
  let open = 2
  let exited = false
  let reported = false
  const report = () => {
    if (reported) return
    reported = true
    process.send({ id, exited: true })
  }
  for (const fd of [3, 4]) {
    const stream = child.stdio[fd]
    stream.on('data', (data) => process.send({ id, fd, data }))
    stream.on('close', () => {
      process.send({ id, fd, closed: true })
      if (--open === 0 && exited) report()
    })
  }
  child.on('error', (error) => process.send({ id, error: { message: error.message, code: error.code } }))
  child.on('exit', () => {
    exited = true
    if (open === 0) return report()
    setTimeout(() => setImmediate(report), 500)
  })
  child.on('close', () => children.delete(id))
})

process.on('disconnect', () => process.exit(0))
