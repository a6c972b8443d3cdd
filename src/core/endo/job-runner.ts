// The job runner listens on the service device: messages that reach it through a credentials
// device's subscription (route F→U→C→S) are run in process; no webhook hop is needed.
import type { DeviceBus } from '../bus/device-bus.js'
import { runMessage, type JobObserver, type RunnerDependencies } from './run-message.js'

export class JobRunner {
  private stop?: () => void
  // A count, not a Set of the running promises: a set growing and shrinking with every job reallocates its
  // table over and over, and those tables outlive young-generation collections (promoted garbage).
  private running = 0
  private waiting: Array<() => void> = []
  private observer?: JobObserver

  constructor (private readonly bus: DeviceBus, private readonly deps: RunnerDependencies) {}

  start (): void {
    this.stop = this.bus.router.listen(this.deps.serviceUuid, delivery => {
      if (delivery.kind !== 'message') return
      this.running++
      void runMessage(this.deps, delivery, this.observer).finally(() => this.finished())
    })
  }

  /** Jobs running now (a drain waits for them; /metrics shows them). */
  get inFlight (): number {
    return this.running
  }

  /** Tells `observer` the jobType, code and duration of every job that ends from now on (/metrics). */
  observeJobs (observer: JobObserver): void {
    this.observer = observer
  }

  /** True once no job is running; false when `waitMs` passes first. */
  async idle (waitMs = Infinity): Promise<boolean> {
    if (this.running === 0) return true
    return await new Promise<boolean>(resolve => {
      const done = (): void => { clearTimeout(timer); resolve(true) }
      const timer = Number.isFinite(waitMs)
        ? setTimeout(() => { this.waiting = this.waiting.filter(w => w !== done); resolve(false) }, waitMs)
        : undefined
      this.waiting.push(done)
    })
  }

  /** Stops taking jobs and waits for the ones running, at most `waitMs`. */
  async close (waitMs = Infinity): Promise<void> {
    this.stop?.()
    await this.idle(waitMs)
  }

  private finished (): void {
    if (--this.running > 0 || this.waiting.length === 0) return
    const waiting = this.waiting
    this.waiting = []
    for (const resolve of waiting) resolve()
  }
}
