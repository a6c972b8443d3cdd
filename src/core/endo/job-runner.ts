// The job runner listens on the service device: messages that reach it through a credentials
// device's subscription (route F→U→C→S) are run in process; no webhook hop is needed.
import type { DeviceBus } from '../bus/device-bus.js'
import { runMessage, type RunnerDependencies } from './run-message.js'

export class JobRunner {
  private stop?: () => void
  // A count, not a Set of the running promises: a set growing and shrinking with every job reallocates its
  // table over and over, and those tables outlive young-generation collections (promoted garbage).
  private running = 0
  private idle: Array<() => void> = []

  constructor (private readonly bus: DeviceBus, private readonly deps: RunnerDependencies) {}

  start (): void {
    this.stop = this.bus.router.listen(this.deps.serviceUuid, delivery => {
      if (delivery.kind !== 'message') return
      this.running++
      void runMessage(this.deps, delivery).finally(() => this.finished())
    })
  }

  /** Stops taking jobs and waits for the ones running. */
  async close (): Promise<void> {
    this.stop?.()
    if (this.running > 0) await new Promise<void>(resolve => this.idle.push(resolve))
  }

  private finished (): void {
    if (--this.running > 0 || this.idle.length === 0) return
    const waiting = this.idle
    this.idle = []
    for (const resolve of waiting) resolve()
  }
}
