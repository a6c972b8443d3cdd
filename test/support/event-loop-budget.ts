// The hardening budget (issue 17): while an attack runs, a bystander pair of devices keeps messaging each
// other over MQTT, and the test asserts the process answered, their round trips were not held up past the
// budget, and memory came back. Memory is the heap after forced collections plus external buffers, which
// is what an attack can leave behind; RSS is reported beside it (V8 keeps freed pages, so RSS lags).
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { TestService } from './test-service.js'
import { connect, registerDevice, v2 } from './device-fixture.js'

export const ROUND_TRIP_BUDGET_MS = 50

export interface BudgetReport {
  /** Longest round trip of a bystander message (ms) while the attack ran. */
  worstRoundTripMs: number
  roundTrips: number
  /** Longest event-loop delay seen (ms, 10 ms resolution of the histogram excluded). */
  worstLoopDelayMs: number
  /** Live memory (heap + external + arrayBuffers) after collection, before and after the attack, MB. */
  memoryBeforeMb: number
  memoryAfterMb: number
  rssBeforeMb: number
  rssAfterMb: number
}

async function settledMemory (): Promise<{ live: number, rss: number }> {
  const gc = (globalThis as { gc?: () => void }).gc
  for (let i = 0; i < 3; i++) { gc?.(); await new Promise(resolve => setImmediate(resolve)) }
  const usage = process.memoryUsage()
  return { live: (usage.heapUsed + usage.external) / 1048576, rss: usage.rss / 1048576 }
}

/**
 * Runs `attack` while a bystander pair exchanges messages every 5 ms; returns what it cost.
 * The attack's own promise may reject (connections cut): that is the attacker's problem, not ours.
 */
export async function underBudget (service: TestService, attack: () => Promise<unknown>): Promise<BudgetReport> {
  const bob = await registerDevice(service, v2({ 'message.from': ['*'] }))
  const alice = await registerDevice(service, v2({ 'message.from': ['*'] }))
  const bobDevice = await connect(service, bob)
  const aliceDevice = await connect(service, alice)
  // warm the path so the first round trip does not count compilation
  for (let i = 0; i < 20; i++) await roundTrip()
  const before = await settledMemory()

  let worst = 0
  let count = 0
  let running = true
  async function roundTrip (): Promise<number> {
    const marker = Math.random().toString(36).slice(2)
    const started = performance.now()
    const arrived = bobDevice.next(e => e.data?.marker === marker, 10_000)
    await aliceDevice.client.publishAsync('message', JSON.stringify({ devices: [bob.uuid], marker }), { qos: 1 })
    await arrived
    return performance.now() - started
  }
  const probe = (async () => {
    while (running) {
      const ms = await roundTrip()
      worst = Math.max(worst, ms)
      count++
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  })()
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  try {
    await attack().catch(() => {})
  } finally {
    // a few more round trips after the attack: a backlog it left shows here
    await new Promise(resolve => setTimeout(resolve, 100))
    running = false
    await probe
    loop.disable()
  }
  await bobDevice.end()
  await aliceDevice.end()
  const after = await settledMemory()
  return {
    worstRoundTripMs: Math.round(worst * 10) / 10,
    roundTrips: count,
    worstLoopDelayMs: Math.max(0, Math.round(loop.max / 1e6 - 10)),
    memoryBeforeMb: Math.round(before.live),
    memoryAfterMb: Math.round(after.live),
    rssBeforeMb: Math.round(before.rss),
    rssAfterMb: Math.round(after.rss),
  }
}

/** One line for the test log (the figures for the report). */
export function describeBudget (name: string, report: BudgetReport): string {
  return `${name}: worst bystander round trip ${report.worstRoundTripMs} ms over ${report.roundTrips}, worst loop delay ${report.worstLoopDelayMs} ms, ` +
    `live memory ${report.memoryBeforeMb} → ${report.memoryAfterMb} MB, RSS ${report.rssBeforeMb} → ${report.rssAfterMb} MB`
}

/** The assertions: round trips within budget, live memory back within 10 % (+ 5 MB for jest's own noise). */
export function expectWithinBudget (report: BudgetReport): void {
  expect(report.roundTrips).toBeGreaterThan(0)
  expect(report.worstRoundTripMs).toBeLessThanOrEqual(ROUND_TRIP_BUDGET_MS)
  expect(report.memoryAfterMb).toBeLessThanOrEqual(report.memoryBeforeMb * 1.1 + 5)
}
