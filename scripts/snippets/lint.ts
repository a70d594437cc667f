/**
 * Lint findings of a Python snippet from ruff's WebAssembly build, as `path:line:col: CODE message`
 * lines (the shape of ruff's own concise output). Loaded only when a lint block needs a run.
 */
type RuffModule = typeof import('@astral-sh/ruff-wasm-nodejs')

let ruff: Promise<RuffModule> | undefined

function loadRuff(): Promise<RuffModule> {
  ruff ??= import('@astral-sh/ruff-wasm-nodejs').then((module) => ((module as { default?: RuffModule }).default ?? module) as RuffModule)
  return ruff
}

export class LintSelectError extends Error {
  override name = 'LintSelectError'
}

export async function lintSource(source: string, displayPath: string, select: string[]): Promise<string> {
  const { Workspace, PositionEncoding } = await loadRuff()
  let workspace: InstanceType<RuffModule['Workspace']>
  try {
    workspace = new Workspace({ 'target-version': 'py311', lint: { select } }, PositionEncoding.Utf16)
  } catch (error) {
    throw new LintSelectError(`ruff does not accept \`select="${select.join(',')}"\`: ${String(error)}`)
  }
  const diagnostics = workspace.check(source) as Array<{ code: string | null; message: string; start_location: { row: number; column: number } }>
  workspace.free()
  return diagnostics
    .map((d) => `${displayPath}:${d.start_location.row}:${d.start_location.column}: ${d.code ?? 'syntax-error'} ${d.message}`)
    .join('\n')
}
