// A closed-loop load: N lanes, each with exactly one request in flight; a lane sends its next request as
// soon as its reply arrives. Phases: warm-up (not counted) → measured window → drain (no new requests,
// in-flight ones are awaited). A reply that does not come within `replyTimeoutMs` is counted lost and the
// lane moves on, so one loss never stalls the run. Replies that match no request in flight are counted too.
import { performance } from 'node:perf_hooks'

export interface LatencySummary {
  samples: number
  meanMs: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

export interface ClosedLoopResult {
  lanes: number
  measuredMs: number
  /** Replies completed inside the measured window (errors included). */
  completed: number
  perSecond: number
  latency: LatencySummary
  /** Over the whole run (warm-up and drain included): no reply within the timeout. */
  lost: number
  /** Replies that answered a request, but wrongly (error code, wrong content). */
  errors: number
  /** Replies for no request in flight (late after a loss, or duplicates). */
  unmatched: number
  firstProblems: string[]
  sent: number
}

export interface ClosedLoopOptions {
  lanes: number
  warmupMs: number
  measureMs: number
  replyTimeoutMs: number
  /** Called when the measured window opens and closes (the driver samples the server then). */
  onPhase?: (phase: 'measure-start' | 'measure-end') => void
}

export function summarize (values: number[]): LatencySummary {
  if (values.length === 0) return { samples: 0, meanMs: NaN, p50Ms: NaN, p90Ms: NaN, p99Ms: NaN, maxMs: NaN }
  const sorted = Float64Array.from(values).sort()
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
  let total = 0
  for (const v of sorted) total += v
  return { samples: sorted.length, meanMs: total / sorted.length, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] }
}

/**
 * `fire(lane, tag)` sends lane's request carrying `tag`; the transport calls `complete(lane, tag, problem?)`
 * when the matching reply arrives. Resolves when the drain ends.
 */
export class ClosedLoop {
  private readonly inFlight: Array<{ tag: string, startedAt: number } | undefined>
  private readonly seq: number[]
  private phase: 'idle' | 'warmup' | 'measure' | 'drain' | 'done' = 'idle'
  private measureStart = 0
  private measureEnd = 0
  private readonly latencies: number[] = []
  private completedInWindow = 0
  private lost = 0
  private errors = 0
  private unmatched = 0
  private sent = 0
  private readonly problems: string[] = []
  private fire: (lane: number, tag: string) => void = () => {}

  constructor (private readonly options: ClosedLoopOptions) {
    this.inFlight = new Array(options.lanes).fill(undefined)
    this.seq = new Array(options.lanes).fill(0)
  }

  private problem (text: string): void {
    if (this.problems.length < 5) this.problems.push(text)
  }

  private next (lane: number): void {
    if (this.phase !== 'warmup' && this.phase !== 'measure') return
    const tag = `${lane}.${++this.seq[lane]}`
    this.inFlight[lane] = { tag, startedAt: performance.now() }
    this.sent++
    try {
      this.fire(lane, tag)
    } catch (error) {
      this.inFlight[lane] = undefined
      this.errors++
      this.problem(`send failed: ${(error as Error).message}`)
      setTimeout(() => this.next(lane), 10)
    }
  }

  complete (lane: number, tag: string, problem?: string): void {
    const current = this.inFlight[lane]
    if (current === undefined || current.tag !== tag) { this.unmatched++; return }
    const now = performance.now()
    this.inFlight[lane] = undefined
    if (problem !== undefined) { this.errors++; this.problem(problem) }
    if (this.phase === 'measure') {
      this.completedInWindow++
      this.latencies.push(now - current.startedAt)
    }
    this.next(lane)
  }

  async run (fire: (lane: number, tag: string) => void): Promise<ClosedLoopResult> {
    this.fire = fire
    const { lanes, warmupMs, measureMs, replyTimeoutMs, onPhase } = this.options
    this.phase = 'warmup'
    const sweeper = setInterval(() => this.sweep(), Math.min(100, replyTimeoutMs / 4))
    for (let lane = 0; lane < lanes; lane++) this.next(lane)
    await sleep(warmupMs)
    this.phase = 'measure'
    this.measureStart = performance.now()
    onPhase?.('measure-start')
    await sleep(measureMs)
    this.phase = 'drain'
    this.measureEnd = performance.now()
    onPhase?.('measure-end')
    const drainDeadline = performance.now() + replyTimeoutMs + 500
    while (this.inFlight.some(x => x !== undefined) && performance.now() < drainDeadline) await sleep(5)
    this.sweep()
    clearInterval(sweeper)
    this.phase = 'done'
    const measuredMs = this.measureEnd - this.measureStart
    return {
      lanes,
      measuredMs,
      completed: this.completedInWindow,
      perSecond: this.completedInWindow / (measuredMs / 1000),
      latency: summarize(this.latencies),
      lost: this.lost,
      errors: this.errors,
      unmatched: this.unmatched,
      firstProblems: this.problems,
      sent: this.sent,
    }
  }

  private sweep (): void {
    const now = performance.now()
    for (let lane = 0; lane < this.inFlight.length; lane++) {
      const current = this.inFlight[lane]
      if (current === undefined || now - current.startedAt < this.options.replyTimeoutMs) continue
      this.inFlight[lane] = undefined
      this.lost++
      this.problem(`lane ${lane}: no reply to ${current.tag} within ${this.options.replyTimeoutMs} ms`)
      this.next(lane)
    }
  }
}

export function sleep (ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}
