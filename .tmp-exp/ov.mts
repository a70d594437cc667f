import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { resolvePython } from '../scripts/snippets/interpreters.ts'
import { runSnippet } from '../scripts/snippets/run.ts'
import { findRunProcesses } from '../scripts/snippets/contain.ts'
import { normalizeOutput } from '../scripts/snippets/normalize.ts'
const python = resolvePython()!
const dir = mkdtempSync(path.join(os.tmpdir(), 'ov-'))
const file = path.join(dir, 'hello.py')
writeFileSync(file, 'import asyncio\n\nasync def main():\n    print("hello")\n\nasyncio.run(main())\n')
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(1)
const t = { run: [] as number[], norm: [] as number[], find: [] as number[], direct: [] as number[], sh: [] as number[] }
const direct = (cmd: string, args: string[]) => new Promise<number>((res) => { const s = performance.now(); const c = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }); c.stdout.resume(); c.stderr.resume(); c.on('close', () => res(performance.now() - s)) })
for (let i = 0; i < 20; i++) {
  let s = performance.now(); const r = await runSnippet(file, python); t.run.push(performance.now() - s)
  s = performance.now(); await normalizeOutput(r.output, { snippetsDir: dir, projectDir: dir, replacements: python.replacements }); t.norm.push(performance.now() - s)
  s = performance.now(); findRunProcesses('x', undefined); t.find.push(performance.now() - s)
  t.direct.push(await direct(python.command[0]!, [file]))
  t.sh.push(await direct('/bin/sh', ['-c', 'trap : INT TERM HUP; (exec "$@"); echo $?', 'sh', python.command[0]!, file]))
}
console.log(python.command, Object.fromEntries(Object.entries(t).map(([k, v]) => [k, med(v)])))
