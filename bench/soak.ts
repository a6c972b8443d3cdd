// Soak (issue 10, "Load and slow consumers"): the service in its own process with 1,000 devices connected and
// subscribed to their own topics (idle), and 16 flows sending Echo jobs closed-loop for 60 s, from the mqtt.js
// load generator in another process. Reuses the bench's processes: bench/service-process.ts (the service and its
// onboarded persons), bench/load-process.ts (the idle devices and the closed loop of bench/closed-loop.ts) and
// bench/idle-devices.ts. The service's RSS is sampled every second of the measured window.
// Passes when no reply was lost and RSS grew by less than 10 % over the second half: the last sample against
// the one at the half-way mark, each taken right after a full garbage collection in the service. Under this load
// the V8 heap saw-tooths by ~100 MB between major collections (RSS by up to ~60 MB), so two samples taken
// without one compare the phases of the saw-tooth, not what the service keeps; the per-second samples (no forced
// collection) are reported alongside, with the growth they give. The soak also fails on an error reply, a
// reply that matched no request, an idle device that failed to connect or dropped, or an error in the service
// log. Exit code 1 when it fails.
//   node --import tsx bench/soak.ts [--seconds 60] [--warmup 2] [--devices 1000] [--flows 16] [--out FILE]
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ChildLink } from './child-link.js'
import { optionReader, runCli } from './cli.js'
import { connectIdleDevices, type IdleConnectResult } from './idle-devices.js'
import type { LoopDelay, ProcessSample } from './ipc-commands.js'
import type { JobsArgs, LoadResult } from './load-process.js'
import type { ServiceReadyInfo } from './service-process.js'

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const MB = 1024 * 1024
export const GROWTH_LIMIT = 0.10

export const SOAK_USAGE = `usage: node --import tsx bench/soak.ts [options]
  --seconds S    measured seconds of Echo load (default 60)
  --warmup S     warm-up seconds before the measured window (default 2)
  --devices N    idle devices connected and subscribed to their own topics (default 1000)
  --flows N      flows sending Echo jobs, one in flight each (default 16)
  --out FILE     also write the results as JSON (e.g. bench/soak-results.json)
Exits 1 if a reply is lost or the service's RSS (right after a full GC) grows by 10 % or more over the second
half; also on an error or unmatched reply, an idle device that did not stay connected, or a service log error.`

export interface SoakOptions { seconds: number, warmupSeconds: number, devices: number, flows: number, out?: string }

export function parseSoakOptions (argv: string[]): SoakOptions {
  const value = optionReader(argv, ['--seconds', '--warmup', '--devices', '--flows', '--out', '--help'], SOAK_USAGE)
  const number = (flag: string, fallback: number, check: (n: number) => boolean, what: string): number => {
    const raw = value(flag)
    const n = raw === undefined ? fallback : Number(raw)
    if (!check(n)) throw new Error(`${flag} must be ${what}`)
    return n
  }
  return {
    seconds: number('--seconds', 60, n => Number.isFinite(n) && n >= 2, 'at least 2 seconds'),
    warmupSeconds: number('--warmup', 2, n => Number.isFinite(n) && n >= 0, 'a number of seconds'),
    devices: number('--devices', 1000, n => Number.isInteger(n) && n >= 0, 'a whole number'),
    flows: number('--flows', 16, n => Number.isInteger(n) && n >= 1, 'a positive whole number'),
    out: value('--out'),
  }
}

export interface RssSample {
  /** Seconds since the measured window opened. */
  t: number
  rssMB: number
  heapUsedMB: number
  /** Service CPU over the second before this sample (100 % = one core). */
  cpuPercent: number
}

/** An RSS sample right after a forced full garbage collection in the service. */
export interface CollectedSample { t: number, rssMB: number, heapUsedMB: number, gcMs: number }

export interface SoakResult {
  meta: Record<string, unknown>
  idle: IdleConnectResult & { devices: number, stillConnectedAtEnd: number }
  load: { jobsDone: number, jobsPerSecond: number, sent: number, lost: number, errors: number, unmatched: number, latency: LoadResult['latency'], loadCpuPercent: number, problems: string[] }
  /** `loopDelay`: over the window, the forced collections left out (max and p99: the larger of the two halves). */
  service: { rssBeforeLoadMB: number, loopDelay?: { maxMs: number, p99Ms: number, ownMaxMs?: number, halves: Array<LoopDelay | undefined> }, logErrors: number, logWarnings: number, logFirst: string[] }
  rss: {
    /** Every second, no forced collection. */
    samples: RssSample[]
    peakMB: number
    /** After a forced full collection at the half-way mark and at the end of the window: the verdict's figures. */
    collected: { half: CollectedSample, last: CollectedSample }
    growthSecondHalf: number
    /** The same comparison on the per-second samples: the last one before the half-way collection, and the last one. */
    uncollected: { halfMB: number, halfAt: number, lastMB: number, lastAt: number, growth: number }
  }
  verdicts: Array<{ check: string, value: string, pass: boolean }>
  pass: boolean
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits

export async function runSoak (options: SoakOptions, log: (line: string) => void = () => {}): Promise<SoakResult> {
  const started = Date.now()
  const loadAverageAtStart = os.loadavg().map(n => round(n, 2))
  const load = await ChildLink.start('load generator', path.join(BENCH_DIR, 'load-process.ts'))
  let service: ChildLink | undefined
  try {
    service = await ChildLink.start('service', path.join(BENCH_DIR, 'service-process.ts'), { args: ['--persons', String(options.flows)] })
    const info = service.info as ServiceReadyInfo
    log(`service ready in ${info.setupMs} ms (${info.persons.length} persons onboarded)`)
    log(`connecting ${options.devices} idle devices…`)
    const idle = options.devices > 0 ? await connectIdleDevices(load, service, options.devices) : { connected: 0, failed: 0, ms: 0 }
    log(`${idle.connected} connected in ${(idle.ms / 1000).toFixed(1)} s${idle.failed > 0 ? `, ${idle.failed} failed (${idle.firstProblem ?? ''})` : ''}`)
    const beforeLoad = await service.sample()

    // RSS every second of the measured window (the first when it opens, the last when it closes); at the half-way
    // mark and at the end, a forced full collection and the sample right after it. The event-loop delay is read
    // before each forced collection and reset after it, so the collections' own pauses stay out of it.
    const samples: RssSample[] = []
    let windowOpenedAt = 0
    let previous: ProcessSample | undefined
    let queue: Promise<void> = Promise.resolve()
    const enqueue = (step: (server: ChildLink) => Promise<void>): void => { queue = queue.then(async () => await step(service as ChildLink)) }
    const since = (): number => round((Date.now() - windowOpenedAt) / 1000, 2)
    let timer: NodeJS.Timeout | undefined
    let halfTimer: NodeJS.Timeout | undefined
    const halves: Array<LoopDelay | undefined> = []
    const collected: CollectedSample[] = []
    const takeSample = (): void => enqueue(async server => {
      const s = await server.sample()
      const cpuPercent = previous === undefined ? NaN : (s.cpuUserMicros + s.cpuSystemMicros - previous.cpuUserMicros - previous.cpuSystemMicros) / 1000 / (s.at - previous.at) * 100
      previous = s
      samples.push({ t: since(), rssMB: round(s.rssBytes / MB), heapUsedMB: round(s.heapUsedBytes / MB), cpuPercent: round(cpuPercent) })
    })
    const collect = (): void => enqueue(async server => {
      halves.push(await server.request<LoopDelay>('loop-delay').catch(() => undefined))
      const t = since()
      const { ms, sample } = await server.request<{ ms: number, sample: ProcessSample }>('gc')
      collected.push({ t, rssMB: round(sample.rssBytes / MB), heapUsedMB: round(sample.heapUsedBytes / MB), gcMs: round(ms) })
      await new Promise(resolve => setTimeout(resolve, 50)) // the service's timers turn once after the pause, which is then left out
      await server.request('loop-delay-reset').catch(() => {})
      previous = undefined
    })
    const stopListening = load.onEvent(event => {
      if (event.event === 'measure-start') {
        windowOpenedAt = Date.now()
        enqueue(async server => { await server.request('loop-delay-reset').catch(() => {}) })
        takeSample()
        timer = setInterval(takeSample, 1000)
        halfTimer = setTimeout(collect, options.seconds * 500)
        log(`measuring for ${options.seconds} s…`)
      } else if (event.event === 'measure-end') {
        clearInterval(timer)
        clearTimeout(halfTimer)
        takeSample()
        collect()
      }
    })
    let result: LoadResult
    try {
      const args: JobsArgs = { port: info.mqttPort, path: 'echo', flows: info.persons.slice(0, options.flows), qos: 1, payloadBytes: 300, warmupMs: options.warmupSeconds * 1000, measureMs: options.seconds * 1000, replyTimeoutMs: 5000 }
      result = await load.request<LoadResult>('jobs', args)
    } finally {
      clearInterval(timer)
      clearTimeout(halfTimer)
      stopListening()
    }
    await queue
    const idleStatus = await load.request<{ clients: number, connected: number }>('idle-status')
    const logged = await service.request<{ errors: number, warnings: number, first: string[] }>('log-problems')
    await load.request('disconnect-idle')

    if (samples.length < 2 || collected.length !== 2) throw new Error(`the measured window gave ${samples.length} RSS samples and ${collected.length} collected samples (expected 2)`)
    const [halfCollected, lastCollected] = collected
    const growth = (lastCollected.rssMB - halfCollected.rssMB) / halfCollected.rssMB
    const last = samples[samples.length - 1]
    const half = samples.filter(s => s.t <= halfCollected.t).at(-1) ?? samples[0] // the last one before the half-way collection
    const measuredHalves = halves.filter((h): h is LoopDelay => h !== undefined && h.count > 0)
    const owns = measuredHalves.map(h => h.gaps?.maxOwnMs).filter((n): n is number => n !== undefined)
    const loopDelay = measuredHalves.length === 0 ? undefined : { maxMs: Math.max(...measuredHalves.map(h => h.maxMs)), p99Ms: Math.max(...measuredHalves.map(h => h.p99Ms)), ownMaxMs: owns.length === 0 ? undefined : Math.max(...owns), halves }
    const verdicts = [
      { check: 'replies lost = 0', value: String(result.lost), pass: result.lost === 0 },
      { check: `RSS growth over the second half < ${GROWTH_LIMIT * 100} %`, value: `${(growth * 100).toFixed(1)} % (after a full GC: ${halfCollected.rssMB} MB at ${halfCollected.t} s → ${lastCollected.rssMB} MB at ${lastCollected.t} s)`, pass: growth < GROWTH_LIMIT },
      { check: 'error replies = 0', value: String(result.errors), pass: result.errors === 0 },
      { check: 'replies matching no request = 0', value: String(result.unmatched), pass: result.unmatched === 0 },
      { check: `idle devices connected at the end = ${options.devices}`, value: `${idleStatus.connected} (${idle.failed} failed to connect)`, pass: idle.failed === 0 && idleStatus.connected === options.devices },
      { check: 'errors in the service log = 0', value: String(logged.errors), pass: logged.errors === 0 },
      { check: 'jobs done > 0', value: String(result.completed), pass: result.completed > 0 },
    ]
    return {
      meta: {
        date: new Date().toISOString(),
        command: `node --import tsx bench/soak.ts${process.argv.length > 2 ? ' ' + process.argv.slice(2).join(' ') : ''}`,
        node: process.version,
        cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
        devices: options.devices,
        flows: options.flows,
        loadAverageAtStart,
        loadAverageAtEnd: os.loadavg().map(n => round(n, 2)),
        totalSeconds: round((Date.now() - started) / 1000),
      },
      idle: { ...idle, devices: options.devices, stillConnectedAtEnd: idleStatus.connected },
      load: { jobsDone: result.completed, jobsPerSecond: result.perSecond, sent: result.sent, lost: result.lost, errors: result.errors, unmatched: result.unmatched, latency: result.latency, loadCpuPercent: result.loadCpuPercent, problems: result.firstProblems },
      service: { rssBeforeLoadMB: round(beforeLoad.rssBytes / MB), loopDelay, logErrors: logged.errors, logWarnings: logged.warnings, logFirst: logged.first },
      rss: {
        samples,
        peakMB: Math.max(...samples.map(s => s.rssMB)),
        collected: { half: halfCollected, last: lastCollected },
        growthSecondHalf: growth,
        uncollected: { halfMB: half.rssMB, halfAt: half.t, lastMB: last.rssMB, lastAt: last.t, growth: (last.rssMB - half.rssMB) / half.rssMB },
      },
      verdicts,
      pass: verdicts.every(v => v.pass),
    }
  } finally {
    await service?.stop()
    await load.stop()
  }
}

export function printSoak (r: SoakResult, print: (text: string) => void = console.log): void {
  const m = r.meta
  print(`\nendo-vault soak: ${String(m.devices)} idle devices + ${String(m.flows)} flows of Echo jobs (closed loop, QoS 1) for ${String(m.seconds)} s; ${String(m.cpu)}; node ${String(m.node)}`)
  print(`idle devices: ${r.idle.connected} of ${r.idle.devices} connected and subscribed in ${(r.idle.ms / 1000).toFixed(1)} s; ${r.idle.stillConnectedAtEnd} still connected at the end`)
  print(`jobs done: ${r.load.jobsDone.toLocaleString('en-US')} in the window (${Math.round(r.load.jobsPerSecond).toLocaleString('en-US')}/s; p50 ${r.load.latency.p50Ms.toFixed(2)} ms, p99 ${r.load.latency.p99Ms.toFixed(2)} ms, max ${r.load.latency.maxMs.toFixed(1)} ms, the forced GCs included); ${r.load.sent.toLocaleString('en-US')} sent in all`)
  print(`replies lost: ${r.load.lost}; error replies: ${r.load.errors}; unmatched: ${r.load.unmatched}${r.load.problems.length > 0 ? ` (${r.load.problems[0]})` : ''}`)
  const ld = r.service.loopDelay
  print(`service event-loop delay over the window (forced GCs left out): max ${ld === undefined ? '–' : ld.maxMs.toFixed(1)} ms, p99 ${ld === undefined ? '–' : ld.p99Ms.toFixed(1)} ms (10 ms resolution and CPU wait included); own max (CPU wait left out) ${ld?.ownMaxMs === undefined ? '–' : ld.ownMaxMs.toFixed(1)} ms; log: ${r.service.logErrors} errors, ${r.service.logWarnings} warnings${r.service.logFirst.length > 0 ? ` (first: ${r.service.logFirst[0]})` : ''}`)
  print(`service RSS: ${r.service.rssBeforeLoadMB} MB with the devices connected, before the load; each second of the window (MB, no forced GC):`)
  for (let i = 0; i < r.rss.samples.length; i += 15) print('  ' + r.rss.samples.slice(i, i + 15).map(s => `${String(Math.round(s.t)).padStart(2)}s ${Math.round(s.rssMB)}`).join('  '))
  const { half, last } = r.rss.collected
  print(`right after a forced full GC: ${half.rssMB} MB at ${half.t} s (heap used ${half.heapUsedMB} MB; GC ${half.gcMs} ms), ${last.rssMB} MB at ${last.t} s (heap used ${last.heapUsedMB} MB; GC ${last.gcMs} ms): growth over the second half ${(r.rss.growthSecondHalf * 100).toFixed(1)} %`)
  const u = r.rss.uncollected
  print(`per-second samples (GC saw-tooth included; the half-way one is the last before the forced GC): ${u.halfMB} MB at ${u.halfAt} s → ${u.lastMB} MB at ${u.lastAt} s (${(u.growth * 100).toFixed(1)} %), peak ${r.rss.peakMB} MB`)
  print('')
  const width = Math.max(...r.verdicts.map(v => v.check.length))
  for (const v of r.verdicts) print(`${v.check.padEnd(width)}  ${v.pass ? 'pass' : 'FAIL'}  ${v.value}`)
  print(`\n${r.pass ? 'soak passed' : 'soak FAILED'} (${String(m.totalSeconds)} s; load average at start ${(m.loadAverageAtStart as number[]).join(' ')}, at end ${(m.loadAverageAtEnd as number[]).join(' ')})`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runCli({ tag: 'soak', usage: SOAK_USAGE, parse: parseSoakOptions, run: runSoak, print: printSoak, passed: result => result.pass })
}
