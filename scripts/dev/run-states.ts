/**
 * The latest update of each block's run on stage since the stored outputs were last put back
 * (u): a page that opens or reloads during the talk (a presenter view opened again, a page that
 * missed a build and reloads) shows the runs that the other pages show, a streaming one included,
 * instead of the stored outputs. Only in the server's memory: a restart shows the stored outputs.
 */
import type { StageBlock } from './page.ts'
import type { StageUpdate } from './stage-run.ts'

export class RunStates {
  private readonly latest = new Map<string, StageUpdate>()

  record(update: StageUpdate): void {
    this.latest.set(update.block, update)
  }

  clear(): void {
    this.latest.clear()
  }

  /**
   * After a rebuild, a finished run is forgotten where the pages now show the new build's markup
   * for it: its block is gone, or its slide was rebuilt (`changed`: the slides swapped in place;
   * undefined: every page reloaded). A run still streaming goes on into its block (page.ts ids).
   */
  rebuilt(blocks: readonly StageBlock[], changed: readonly number[] | undefined): void {
    const slideOf = new Map(blocks.map((block) => [block.id, block.slide]))
    for (const [block, update] of this.latest) {
      if (update.state === 'running') continue
      const slide = slideOf.get(block)
      if (slide === undefined || !changed || changed.includes(slide)) this.latest.delete(block)
    }
  }

  /** What a page that joins is sent after its hello, in the order the runs were last updated. */
  updates(): StageUpdate[] {
    return [...this.latest.values()]
  }
}
