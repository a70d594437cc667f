/**
 * A Shiki theme after pandoc's default "pygments" highlighting style, the one the beamer
 * reference uses (shared/reference/frankfurt-crane.md §12), mapped onto TextMate scopes.
 */
import type { ThemeRegistration } from 'shiki'

export const pygmentsTheme: ThemeRegistration = {
  name: 'pandoc-pygments',
  type: 'light',
  colors: { 'editor.background': '#ffffff00', 'editor.foreground': '#000000' },
  tokenColors: [
    { scope: ['keyword', 'storage.type', 'storage.modifier', 'keyword.control', 'keyword.operator.logical', 'keyword.operator.word'], settings: { foreground: '#007020', fontStyle: 'bold' } },
    { scope: ['keyword.control.import', 'keyword.control.from'], settings: { foreground: '#008000', fontStyle: 'bold' } },
    { scope: ['support.function.builtin', 'support.function', 'support.type.python'], settings: { foreground: '#008000' } },
    { scope: ['string', 'punctuation.definition.string'], settings: { foreground: '#4070a0' } },
    { scope: ['meta.fstring', 'string.interpolated', 'storage.type.string'], settings: { foreground: '#bb6688' } },
    { scope: ['constant.character.escape', 'constant.character.format.placeholder'], settings: { foreground: '#4070a0' } },
    { scope: ['constant.numeric'], settings: { foreground: '#40a070' } },
    { scope: ['keyword.operator', 'punctuation.separator.annotation'], settings: { foreground: '#666666' } },
    // `self` and `cls` also in parameter lists, where the grammar calls them parameters.
    { scope: ['variable.language', 'constant.language', 'variable.parameter.function.language.special'], settings: { foreground: '#19177c' } },
    { scope: ['support.type.exception'], settings: { foreground: '#bc7a00' } },
    { scope: ['comment', 'punctuation.definition.comment'], settings: { foreground: '#60a0b0', fontStyle: 'italic' } },
    // pandoc's highlighter leaves names of functions and classes (defined or called) black.
    { scope: ['support.type.builtin', 'storage.type.primitive'], settings: { foreground: '#902000' } },
    { scope: ['invalid'], settings: { foreground: '#ff0000', fontStyle: 'bold' } },
  ],
}
