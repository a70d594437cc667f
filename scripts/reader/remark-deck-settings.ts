/** remark plugin: reads the YAML front matter into `file.data.settings` (see scripts/reader/settings.ts). */
import type { Root, Yaml } from 'mdast'
import type { VFile } from 'vfile'
import { parseSettings, DEFAULT_SETTINGS, type DeckSettings } from './settings.ts'

declare module 'vfile' {
  interface DataMap {
    settings: DeckSettings
  }
}

export interface DeckSettingsOptions {
  /** What the front matter starts from: the project's defaults (deck.config.yaml), else DEFAULT_SETTINGS. */
  defaults?: DeckSettings
}

export default function remarkDeckSettings(options: DeckSettingsOptions = {}) {
  const defaults = options.defaults ?? DEFAULT_SETTINGS
  return (tree: Root, file: VFile): void => {
    const yaml = tree.children.find((node): node is Yaml => node.type === 'yaml')
    file.data.settings = yaml
      ? parseSettings(yaml.value, { line: (yaml.position?.start.line ?? 1) + 1, column: 1, offset: 0 }, file, defaults)
      : { ...defaults, author: [...defaults.author] }
  }
}
