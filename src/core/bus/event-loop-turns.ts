// Long work (device searches and their large answers) runs in slices, and between slices waits here for
// its turn. One waiter resumes per event-loop turn: with a plain setImmediate, N concurrent searches would
// all run their next slice back to back in the same check phase, holding I/O for N slices.
export class EventLoopTurns {
  private readonly waiting: Array<() => void> = []
  private scheduled = false

  /** Resolves on a later event-loop turn, after I/O had its chance, and after the waiters queued before. */
  async next (): Promise<void> {
    await new Promise<void>(resolve => {
      this.waiting.push(resolve)
      this.schedule()
    })
  }

  private schedule (): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => { this.release() })
  }

  private release (): void {
    this.scheduled = false
    // the resumed slice runs in this turn's microtasks; an immediate queued now runs only next turn
    this.waiting.shift()?.()
    if (this.waiting.length > 0) this.schedule()
  }
}
