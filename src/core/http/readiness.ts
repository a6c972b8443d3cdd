// Readiness for load balancers (GET /readyz): named checks the service composes (the store, the broker; Redis
// in cluster mode), run together, each within a deadline. A check passes by resolving.
import { clipped } from '../limits.js'

export interface ReadinessCheck {
  /** The key under `checks` in /readyz's answer: store, broker, redis… */
  name: string
  check: () => Promise<void>
}

/** A check's refusal whose message may be shown on /readyz ("draining"); any other error shows as "failed" and is logged. */
export class NotReady extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'NotReady'
  }
}

/** How long one check may take: a load balancer probes every few seconds and gives up after a second or two. */
export const READINESS_DEADLINE_MS = 1000

export interface Readiness {
  ready: boolean
  /** "ok", or why not: a NotReady message, "timeout", "failed". */
  checks: Record<string, string>
}

async function outcomeOf (readiness: ReadinessCheck, deadlineMs: number, failed: (name: string, error: unknown) => void): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<string>(resolve => { timer = setTimeout(() => resolve('timeout'), deadlineMs) })
  const checked = readiness.check().then(() => 'ok', (error: unknown) => {
    if (error instanceof NotReady) return clipped(error.message, 100)
    failed(readiness.name, error)
    return 'failed'
  })
  try {
    return await Promise.race([checked, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs every check at once; ready when all say ok. `failed` hears the errors that are not a NotReady. */
export async function readinessOf (checks: readonly ReadinessCheck[], failed: (name: string, error: unknown) => void, deadlineMs = READINESS_DEADLINE_MS): Promise<Readiness> {
  const outcomes = await Promise.all(checks.map(async check => [check.name, await outcomeOf(check, deadlineMs, failed)] as const))
  return { ready: outcomes.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(outcomes) }
}
