/** Where the project's folders are, wherever the command is run from. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const slidesDir = path.join(projectRoot, 'slides')
export const snippetsDir = path.join(projectRoot, 'snippets')
export const distDir = path.join(projectRoot, 'dist')
