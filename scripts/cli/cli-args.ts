/**
 * Command-line parsing shared by the commands: node:util's parseArgs, strict, with its errors
 * turned into one usage line (exit 2) instead of a stack trace, and a help text built from the
 * same option list.
 */
import { parseArgs } from 'node:util'

export interface OptionSpec {
  type: 'boolean' | 'string'
  short?: string
  /** The value's name in the help (`DIR`), for string options. */
  value?: string
  description: string
}

export type OptionSpecs = Record<string, OptionSpec>

/** A mistake in the command line: printed as one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

export function parseCommandLine(args: string[], options: OptionSpecs, allowPositionals: boolean): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals,
      options: Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }])),
    })
    return { values: values as Parsed['values'], positionals }
  } catch (error) {
    throw new UsageError(usageMessage(error, options))
  }
}

/** parseArgs's messages are long and mention its own API; these name the flag and the fix. */
function usageMessage(error: unknown, options: OptionSpecs): string {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1] ?? ''
  const name = flag.replace(/^-+/, '')
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option \`${flag}\``
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const spec = options[name] ?? Object.entries(options).find(([, candidate]) => candidate.short === name)?.[1]
      return spec?.type === 'string' ? `Option \`${flag}\` needs a value (\`${flag} ${spec.value ?? 'VALUE'}\`)` : `Option \`${flag}\` takes no value`
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument \`${/'([^']*)'/.exec(message)?.[1] ?? ''}\``
    default:
      return message.split('\n')[0] ?? message
  }
}

/** The options part of a help text, aligned. */
export function describeOptions(options: OptionSpecs): string {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`
    return [flags, spec.description] as const
  })
  const width = Math.max(...rows.map(([flags]) => flags.length))
  return rows.map(([flags, description]) => `  ${flags.padEnd(width)}  ${description}`).join('\n')
}
