// marp-cli takes a custom engine only from a config file. The engine is TypeScript: this file
// is loaded inside the toolchain's own process, which runs under tsx.
import { createEngine } from './engine.ts'

export default { engine: createEngine }
