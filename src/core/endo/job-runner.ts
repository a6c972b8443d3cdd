// The job runner listens on the service device: messages that reach it through a credentials
// device's subscription (route F→U→C→S) are run in process; no webhook hop is needed.
import type { DeviceBus } from '../bus/device-bus.js'
import { runMessage, type RunnerDependencies } from './run-message.js'

export class JobRunner {
  private stop?: () => void
  private readonly inFlight = new Set<Promise<void>>()

  constructor (private readonly bus: DeviceBus, private readonly deps: RunnerDependencies) {}

  start (): void {
    this.stop = this.bus.router.listen(this.deps.serviceUuid, delivery => {
      if (delivery.kind !== 'message') return
      const run = runMessage(this.deps, delivery)
      this.inFlight.add(run)
      void run.finally(() => this.inFlight.delete(run))
    })
  }

  /** Stops taking jobs and waits for the ones running. */
  async close (): Promise<void> {
    this.stop?.()
    await Promise.allSettled([...this.inFlight])
  }
}
