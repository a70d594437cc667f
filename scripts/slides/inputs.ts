/** Files a build read besides the deck (for the up-to-date check), recorded by the transforms. */
import type { VFile } from 'vfile'

declare module 'vfile' {
  interface DataMap {
    inputs: Set<string>
  }
}

export function recordInput(file: VFile, input: string): void {
  ;(file.data.inputs ??= new Set()).add(input)
}
