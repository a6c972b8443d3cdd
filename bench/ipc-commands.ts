// The IPC protocol between the bench driver (bench/run.ts) and its child processes: the driver sends
// `{id, cmd, args}`, the child answers `{id, ok, result}` or `{id, ok: false, error}`; a child says it is
// ready with `{event: 'ready', info}` and may send other events (`measure-start`, `measure-end`).
// The child side is `serveCommands`; the driver side is `ChildLink` (bench/child-link.ts).
import fs from 'node:fs'
import { constants as perfConstants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'

export interface CommandRequest { id: number, cmd: string, args?: unknown }
export interface CommandAnswer { id: number, ok: boolean, result?: unknown, error?: string }
export interface ChildEvent { event: string, [key: string]: unknown }

export type CommandHandlers = Record<string, (args: any) => Promise<unknown> | unknown>

/** What a process says about itself: CPU (µs, cumulative), memory, event-loop utilization (cumulative). */
export interface ProcessSample {
  at: number
  cpuUserMicros: number
  cpuSystemMicros: number
  rssBytes: number
  heapUsedBytes: number
  elu: { idle: number, active: number }
}

export function sampleProcess (): ProcessSample {
  const cpu = process.cpuUsage()
  const memory = process.memoryUsage()
  const elu = performance.eventLoopUtilization()
  return { at: performance.now(), cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, elu: { idle: elu.idle, active: elu.active } }
}

/**
 * Event-loop delay as node's `monitorEventLoopDelay` histogram gives it: each value is the time between two
 * turns of a timer armed every `resolution` ms, so an idle loop shows about `resolution` and a loop blocked for
 * S ms shows at most S + `resolution` (the figures are an upper bound of the longest block, never below it).
 */
export interface LoopDelay {
  resolutionMs: number
  /** Timer turns recorded since the last reset. */
  count: number
  maxMs: number
  p99Ms: number
  p50Ms: number
  meanMs: number
  /**
   * The longest gap between two turns of a second timer (same resolution) and how the main thread spent it, from
   * Linux's /proc/self/task/<pid>/schedstat: on a CPU, or runnable but waiting for one (the machine's other
   * processes). `maxOwnMs` is the longest gap less its CPU wait: what the process itself took (running, or blocked
   * in a system call), resolution included. Undefined where schedstat is not available.
   */
  gaps?: { longest: { gapMs: number, onCpuMs: number, cpuWaitMs: number }, maxOwnMs: number }
  /** Garbage collections over the same span (from the `gc` performance entries): how many, the longest and the sum of their durations, and the kind of the longest. */
  gc: { count: number, maxMs: number, totalMs: number, longestKind: string }
}

const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
}

/**
 * `loop-delay-reset` and `loop-delay` commands over one histogram that runs for the life of the process; the driver
 * resets it when a measured window opens and reads it when the window closes.
 */
export function loopDelayCommands (resolutionMs = 10): CommandHandlers {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs })
  histogram.enable()
  let gc = { count: 0, maxMs: 0, totalMs: 0, longestKind: '' }
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      gc.count++
      gc.totalMs += entry.duration
      if (entry.duration > gc.maxMs) {
        gc.maxMs = entry.duration
        gc.longestKind = GC_KINDS[((entry as unknown as { detail?: { kind?: number } }).detail)?.kind ?? -1] ?? 'other'
      }
    }
  }).observe({ entryTypes: ['gc'] })
  const gaps = gapTracker(resolutionMs)
  const ms = (ns: number): number => ns / 1e6
  return {
    'loop-delay-reset' () { histogram.reset(); gc = { count: 0, maxMs: 0, totalMs: 0, longestKind: '' }; gaps?.reset(); return true },
    'loop-delay' (): LoopDelay {
      const count = histogram.count
      const common = { resolutionMs, count, gc: { ...gc }, gaps: gaps?.read() }
      return count === 0
        ? { ...common, maxMs: NaN, p99Ms: NaN, p50Ms: NaN, meanMs: NaN }
        : { ...common, maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), p50Ms: ms(histogram.percentile(50)), meanMs: ms(histogram.mean) }
    },
  }
}

/**
 * The main thread's cumulative time on a CPU and waiting for one (ns), or undefined off Linux. Read every 10 ms
 * inside the measured process, so through one open descriptor and buffer (a pread at 0 regenerates a /proc file):
 * readFileSync's open, fstat and close per read cost that process 1 % of its CPU.
 */
function schedstatReader (file: string): () => { run: number, wait: number } | undefined {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch {
    return () => undefined
  }
  const buffer = Buffer.alloc(128)
  return () => {
    try {
      const [run, wait] = buffer.toString('latin1', 0, fs.readSync(fd, buffer, 0, buffer.length, 0)).split(' ').map(Number)
      return Number.isFinite(run) && Number.isFinite(wait) ? { run, wait } : undefined
    } catch {
      return undefined
    }
  }
}

function gapTracker (resolutionMs: number): { reset: () => void, read: () => LoopDelay['gaps'] } | undefined {
  const readSchedstat = schedstatReader(`/proc/self/task/${process.pid}/schedstat`)
  if (readSchedstat() === undefined) return undefined
  let last = { at: performance.now(), sched: readSchedstat() }
  let longest = { gapMs: 0, onCpuMs: 0, cpuWaitMs: 0 }
  let maxOwnMs = 0
  setInterval(() => {
    const at = performance.now()
    const sched = readSchedstat()
    if (sched !== undefined && last.sched !== undefined) {
      const gapMs = at - last.at
      const onCpuMs = (sched.run - last.sched.run) / 1e6
      const cpuWaitMs = (sched.wait - last.sched.wait) / 1e6
      if (gapMs > longest.gapMs) longest = { gapMs, onCpuMs, cpuWaitMs }
      maxOwnMs = Math.max(maxOwnMs, gapMs - cpuWaitMs)
    }
    last = { at, sched }
  }, resolutionMs).unref()
  return {
    reset () { longest = { gapMs: 0, onCpuMs: 0, cpuWaitMs: 0 }; maxOwnMs = 0; last = { at: performance.now(), sched: readSchedstat() } },
    read: () => ({ longest: { ...longest }, maxOwnMs }),
  }
}

/** To the driver over IPC; printed as one JSON line on stdout when the process runs on its own. */
export function sendEvent (event: ChildEvent): void {
  if (process.send !== undefined) process.send(event)
  else console.log(JSON.stringify(event))
}

/** Answers the driver's commands; `sample` is always available. Exits when the driver goes away. */
export function serveCommands (handlers: CommandHandlers): void {
  const all: CommandHandlers = { sample: () => sampleProcess(), ...handlers }
  process.on('message', (message: CommandRequest) => {
    const handler = all[message.cmd]
    if (handler === undefined) { process.send?.({ id: message.id, ok: false, error: `unknown command ${message.cmd}` }); return }
    Promise.resolve().then(() => handler(message.args)).then(
      result => process.send?.({ id: message.id, ok: true, result } satisfies CommandAnswer),
      (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies CommandAnswer)
    )
  })
  process.on('disconnect', () => process.exit(0))
}
