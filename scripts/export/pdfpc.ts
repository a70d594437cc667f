/**
 * What a beamer user's presenting tools read beside the PDF: the page labels (a frame's number,
 * shared by its overlay pages, as beamer sets them) and the `.pdfpc` file pdfpc reads (its JSON
 * format, `pdfpcFormat: 2`: per page its index, label, overlay number and the slide's notes).
 */

/** Each page's label (0-based pages): the number of the slide it shows, 1-based. */
export function pageLabels(firstPage: number[], pages: number): string[] {
  const labels: string[] = []
  for (let page = 1; page <= pages; page++) {
    let slide = 0
    while (slide + 1 < firstPage.length && firstPage[slide + 1]! <= page) slide++
    labels.push(String(slide + 1))
  }
  return labels
}

export interface PdfpcPage {
  idx: number
  label: string
  overlay: number
  forcedOverlay: boolean
  hidden: boolean
  note?: string
}

export interface PdfpcFile {
  pdfpcFormat: 2
  /** The notes are plain text (the rendered notes' text), not Markdown. */
  disableMarkdown: true
  pages: PdfpcPage[]
}

/**
 * The `.pdfpc` file: every page, grouped into slides by its label (pdfpc steps through a slide's
 * overlays and counts slides, not pages); a slide's notes on each of its pages, so that they stay
 * in view while its overlays are shown.
 */
export function pdfpcFile(labels: string[], notes: Array<{ page: number; text: string }>): PdfpcFile {
  const byPage = new Map(notes.filter((note) => note.text).map((note) => [note.page, note.text]))
  // A slide's notes are given on its first page (the HTML's notes are by slide): carry them on.
  let carried: string | undefined
  let overlay = 0
  const pages = labels.map((label, idx): PdfpcPage => {
    overlay = idx > 0 && labels[idx - 1] === label ? overlay + 1 : 0
    if (overlay === 0) carried = undefined
    carried = byPage.get(idx) ?? carried
    return { idx, label, overlay, forcedOverlay: overlay > 0, hidden: false, ...(carried ? { note: carried } : {}) }
  })
  return { pdfpcFormat: 2, disableMarkdown: true, pages }
}
