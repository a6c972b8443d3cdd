// The IPC protocol between the bench driver (bench/run.ts) and its child processes: the driver sends
// `{id, cmd, args}`, the child answers `{id, ok, result}` or `{id, ok: false, error}`; a child says it is
// ready with `{event: 'ready', info}` and may send other events (`measure-start`, `measure-end`).
// The child side is `serveCommands`; the driver side is `ChildLink` (bench/child-link.ts).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

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
}

/**
 * `loop-delay-reset` and `loop-delay` commands over one histogram that runs for the life of the process; the driver
 * resets it when a measured window opens and reads it when the window closes.
 */
export function loopDelayCommands (resolutionMs = 10): CommandHandlers {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs })
  histogram.enable()
  const ms = (ns: number): number => ns / 1e6
  return {
    'loop-delay-reset' () { histogram.reset(); return true },
    'loop-delay' (): LoopDelay {
      const count = histogram.count
      return count === 0
        ? { resolutionMs, count, maxMs: NaN, p99Ms: NaN, p50Ms: NaN, meanMs: NaN }
        : { resolutionMs, count, maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), p50Ms: ms(histogram.percentile(50)), meanMs: ms(histogram.mean) }
    },
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
