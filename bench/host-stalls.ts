// The machine's own noise floor: how often, and for how long, a thread that never blocks loses its CPU.
// One worker thread per CPU spins reading the clock for a few seconds and keeps every gap of 1 ms or more
// between two reads. A gap is time the thread did not run: guest kernel threads, other processes and, on a
// VM, the hypervisor taking the vCPU away (which the guest does not account: steal stays 0 on this host).
// A job in flight in a process whose CPU is away waits as long, so these gaps are the floor under the p99 of
// any row of the run; they are measured with nothing else running, before the first section and after the last.
import os from 'node:os'
import { Worker } from 'node:worker_threads'

/** Gaps this long or longer count as a stall in the summary (the Echo × 16 p50 is ~1 ms, its p99 target 5 ms). */
export const STALL_MS = 3

export interface HostStalls {
  /** When the probe ran. */
  at: 'start' | 'end'
  cpus: number
  seconds: number
  /** Gaps of STALL_MS or more, per second per CPU. */
  stallsPerSecondPerCpu: number
  /** Gaps of 1 ms or more, per second per CPU. */
  gapsPerSecondPerCpu: number
  maxGapMs: number
  /** Share of the spinning threads' time lost in gaps of 1 ms or more. */
  lostPercent: number
}

// Plain JS for an eval worker. performance.now() returns a double, so the loop allocates nothing and the
// worker's own garbage collector never runs during it.
const SPIN = `
const { parentPort, workerData } = require('node:worker_threads')
const { performance } = require('node:perf_hooks')
const end = performance.now() + workerData.ms
const gaps = []
let previous = performance.now()
for (;;) {
  const now = performance.now()
  if (now - previous >= 1) gaps.push(now - previous)
  previous = now
  if (now >= end) break
}
parentPort.postMessage(gaps)
`

async function spin (ms: number): Promise<number[]> {
  return await new Promise((resolve, reject) => {
    const worker = new Worker(SPIN, { eval: true, workerData: { ms } })
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}

export async function measureHostStalls (at: HostStalls['at'], seconds: number): Promise<HostStalls> {
  const cpus = os.availableParallelism()
  const perCpu = await Promise.all(Array.from({ length: cpus }, async () => await spin(seconds * 1000)))
  const gaps = perCpu.flat()
  const perSecondPerCpu = (n: number): number => n / seconds / cpus
  return {
    at,
    cpus,
    seconds,
    stallsPerSecondPerCpu: perSecondPerCpu(gaps.filter(g => g >= STALL_MS).length),
    gapsPerSecondPerCpu: perSecondPerCpu(gaps.length),
    maxGapMs: Math.max(0, ...gaps),
    lostPercent: gaps.reduce((sum, g) => sum + g, 0) / (seconds * 1000 * cpus) * 100,
  }
}

export function hostStallsLine (probe: HostStalls): string {
  return `host at the ${probe.at}: a spinning thread on each of ${probe.cpus} CPUs for ${probe.seconds} s lost its CPU for ≥ ${STALL_MS} ms ` +
    `${probe.stallsPerSecondPerCpu.toFixed(2)} times/s per CPU (≥ 1 ms: ${probe.gapsPerSecondPerCpu.toFixed(2)}/s), longest ${probe.maxGapMs.toFixed(1)} ms, ` +
    `${probe.lostPercent.toFixed(2)} % of its time`
}
