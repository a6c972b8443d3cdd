// `npm run bench`: job round trips through the full service against a bare-aedes baseline, in one run, on
// loopback, the mqtt.js load generator in its own process (issue 9). Sections, in order:
//   decrypt   credentials decrypt micro-figure (in this process, before any child runs)
//   baseline  bare aedes (noDelay) in its own process; request/response pairs, QoS 0 and 1
//   jobs      the service in its own process; each job path of bench/job-paths.ts whose folder exists, QoS 1;
//             then the vault-keys cycles (invite+accept+delete with the default RSA-4096 connection keys)
//   devices   a fresh service with N connected idle devices: its RSS
// Every row carries the service's (or bare broker's) event-loop delay over its measured window (max and p99 of a
// monitorEventLoopDelay histogram, 10 ms resolution, reset when the window opens).
// Prints the tables, writes the results (bench/results.json in full mode) and exits 1 when a reply was lost or
// a path errored, never because of a time. `runBench(options)` is the same without printing or exiting.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ChildLink } from './child-link.js'
import { runCli } from './cli.js'
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js'
import { measureCredentialsDecrypt } from './credentials-decrypt.js'
import { JOB_CYCLES, JOB_PATHS, jobCycleFoldersExist, jobFolderExists } from './job-paths.js'
import type { LoopDelay, ProcessSample } from './ipc-commands.js'
import type { CyclesArgs, JobsArgs, LoadResult, PairsArgs } from './load-process.js'
import type { ServiceReadyInfo } from './service-process.js'
import { checkTargets, decryptTable, idleLine, scenarioTable, targetsTable, type BenchReport, type ScenarioRow } from './bench-report.js'
import { idleDevices } from './idle-devices.js'
import { hostStallsLine, measureHostStalls } from './host-stalls.js'

/** Extra node/V8 flags for the process under test, service or bare broker (GC experiments); recorded in the results' meta. */
const SERVICE_FLAGS = (process.env.BENCH_SERVICE_FLAGS ?? '').split(' ').filter(Boolean)
/** The same for the load generator (e.g. --trace-gc-nvp, to see its own pauses). */
const LOAD_FLAGS = (process.env.BENCH_LOAD_FLAGS ?? '').split(' ').filter(Boolean)

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const REPO_ROOT = path.resolve(BENCH_DIR, '..')
const script = (name: string): string => path.join(BENCH_DIR, name)
const MB = 1024 * 1024

function cpuPercentBetween (start: ProcessSample, end: ProcessSample): number {
  return (end.cpuUserMicros + end.cpuSystemMicros - start.cpuUserMicros - start.cpuSystemMicros) / 1000 / (end.at - start.at) * 100
}

function eluBetween (start: ProcessSample, end: ProcessSample): number {
  const active = end.elu.active - start.elu.active
  const idle = end.elu.idle - start.elu.idle
  return active + idle > 0 ? active / (active + idle) : NaN
}

interface Measured { result: LoadResult, start: ProcessSample, end: ProcessSample, loopDelay?: LoopDelay }

/**
 * Runs one load command while sampling the server process at the edges of the measured window; the server's
 * event-loop delay histogram is reset when the window opens and read when it closes (undefined when the
 * process has no such command).
 */
async function measure (load: ChildLink, server: ChildLink, cmd: 'pairs' | 'jobs' | 'cycles', args: PairsArgs | JobsArgs | CyclesArgs, profile?: { file: string, allocations: boolean }): Promise<Measured> {
  const profileFile = profile?.file
  let start: Promise<ProcessSample> | undefined
  let end: Promise<ProcessSample> | undefined
  let loopDelay: Promise<LoopDelay | undefined> | undefined
  const stopListening = load.onEvent(event => {
    if (event.event === 'measure-start') {
      const reset = server.request('loop-delay-reset').catch(() => {})
      start = reset.then(async () => { if (profile !== undefined) await server.request('profile-start', { allocations: profile.allocations }) }).then(async () => await server.sample())
    } else if (event.event === 'measure-end') {
      loopDelay = server.request<LoopDelay>('loop-delay').catch(() => undefined)
      end = server.sample()
      if (profileFile !== undefined) end = end.then(async sample => { await server.request('profile-stop', { file: profileFile }); return sample })
    }
  })
  try {
    const result = await load.request<LoadResult>(cmd, args)
    if (start === undefined || end === undefined) throw new Error('the load generator never opened its measured window')
    return { result, start: await start, end: await end, loopDelay: await loopDelay }
  } finally {
    stopListening()
  }
}

function rowOf (pathName: string, label: string, qos: 0 | 1, flows: number, m: Measured): ScenarioRow {
  const { result, start, end, loopDelay } = m
  const cpuPercent = cpuPercentBetween(start, end)
  return {
    path: pathName,
    label,
    qos,
    flows,
    jobsPerSecond: result.perSecond,
    latency: result.latency,
    server: { cpuPercent, cpuMicrosPerJob: cpuPercent / 100 * 1e6 / result.perSecond, rssMB: end.rssBytes / MB, eventLoopUtilization: eluBetween(start, end), loopDelay },
    loadCpuPercent: result.loadCpuPercent,
    requestBytes: result.requestBytes,
    replyBytes: result.replyBytes,
    completed: result.completed,
    lost: result.lost,
    errors: result.errors,
    unmatched: result.unmatched,
    problems: result.firstProblems,
  }
}

function gitDescription (): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== ''
    return dirty ? `${commit} + uncommitted src changes` : commit
  } catch {
    return 'unknown'
  }
}

function versionOf (pkg: string): string {
  try {
    const main = createRequire(import.meta.url).resolve(pkg)
    for (let dir = path.dirname(main); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json')
      if (!fs.existsSync(file)) continue
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string, version?: string }
      if (json.name === pkg && json.version !== undefined) return json.version
    }
    return 'unknown'
  } catch {
    return 'unknown'
  }
}

export async function runBench (options: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchReport> {
  const started = Date.now()
  const report: BenchReport = {
    meta: {
      date: new Date().toISOString(),
      mode: options.quick ? 'quick' : 'full',
      command: `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
      node: process.version,
      cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      aedes: versionOf('aedes'),
      mqtt: versionOf('mqtt'),
      commit: gitDescription(),
      warmupMs: options.warmupMs,
      measureMs: options.measureMs,
      payloadBytes: options.payloadBytes,
      ...(SERVICE_FLAGS.length > 0 ? { serviceFlags: SERVICE_FLAGS.join(' ') } : {}),
      ...(LOAD_FLAGS.length > 0 ? { loadFlags: LOAD_FLAGS.join(' ') } : {}),
      note: 'service (or bare broker) and the mqtt.js load generator are separate processes sharing the same 2 cores',
      loadAverageAtStart: os.loadavg().map(n => Math.round(n * 100) / 100),
      sectionSeconds: {} as Record<string, number>,
    },
    scenarios: [],
    skippedPaths: [],
    targets: [],
    failures: [],
  }
  const sections = new Set(options.sections)
  let sectionStarted = Date.now()
  const sectionDone = (name: string): void => {
    const seconds = report.meta.sectionSeconds as Record<string, number>
    seconds[name] = Math.round(((seconds[name] ?? 0) * 1000 + Date.now() - sectionStarted) / 100) / 10
    sectionStarted = Date.now()
  }

  const hostProbeSeconds = options.quick ? 1 : 3
  if (sections.has('host')) {
    log(`host probe, ${hostProbeSeconds} s…`)
    report.host = [await measureHostStalls('start', hostProbeSeconds)]
    sectionDone('host')
  }

  if (sections.has('decrypt')) {
    log('credentials decrypt micro-benchmark…')
    report.decrypt = measureCredentialsDecrypt({ quick: options.quick })
    sectionDone('decrypt')
  }

  const startBareBroker = async (): Promise<ChildLink> => await ChildLink.start('bare broker', script('broker-process.ts'), { execArgv: SERVICE_FLAGS })
  const load = await ChildLink.start('load generator', script('load-process.ts'), { execArgv: LOAD_FLAGS })
  // every process of the run resolves the same GC_PROFILE (the service and bare broker log theirs too)
  report.meta.gc = (load.info as { gc?: unknown }).gc
  const timing = { warmupMs: options.warmupMs, measureMs: options.measureMs, replyTimeoutMs: options.replyTimeoutMs }
  try {
    // The baseline section runs first. In full mode each job row is also preceded by a bare-broker row at the same
    // QoS and flows, and compared with it: the host's speed drifts within a run (one run's QoS 1 × 16 baseline went
    // from 9.7k to 7.2k round trips/s between its start and its end), so only adjacent windows compare fairly.
    const runBaseline = async (qosLevels: Array<0 | 1>, label: string): Promise<void> => {
      const broker = await startBareBroker()
      try {
        for (const qos of qosLevels) {
          for (const flows of options.flows) {
            log(`${label}, QoS ${qos}, ${flows} pair(s)…`)
            const m = await measure(load, broker, 'pairs', { ...timing, port: broker.info.mqttPort, pairs: flows, qos, payloadBytes: options.payloadBytes })
            report.scenarios.push(rowOf('baseline', label, qos, flows, m))
          }
        }
      } finally {
        await broker.stop()
      }
    }
    if (sections.has('baseline')) {
      await runBaseline([0, 1], 'baseline: bare aedes')
      sectionDone('baseline')
    }

    if (sections.has('jobs')) {
      const wanted = JOB_PATHS.filter(p => options.paths.length === 0 || options.paths.includes(p.name))
      for (const name of options.paths) if (!JOB_PATHS.some(p => p.name === name) && !JOB_CYCLES.some(c => c.name === name)) report.failures.push(`unknown job path ${name}`)
      const cycles = JOB_CYCLES.filter(c => options.paths.length === 0 || options.paths.includes(c.name)).filter(c => {
        if (options.vaultCycles === 0) { report.skippedPaths.push({ path: c.name, reason: `skipped (${options.quick ? 'quick mode; ' : ''}--vault-cycles 0)` }); return false }
        if (jobCycleFoldersExist(c)) return true
        report.skippedPaths.push({ path: c.name, reason: `not yet (one of src/jobs/{${c.folders.join(',')}} does not exist)` })
        return false
      })
      const present = wanted.filter(p => {
        if (jobFolderExists(p)) return true
        report.skippedPaths.push({ path: p.name, reason: `not yet (src/jobs/${p.folder} does not exist)` })
        return false
      })
      const persons = Math.max(...options.flows, ...cycles.map(c => c.flowsPerCycle))
      const service = await ChildLink.start('service', script('service-process.ts'), { args: ['--persons', String(persons)], execArgv: SERVICE_FLAGS })
      const info = service.info as ServiceReadyInfo
      log(`service ready in ${info.setupMs} ms (${info.persons.length} persons onboarded; jobs: ${info.jobTypes.join(', ')}; GC profile ${info.gc.profile})`)
      const profileDir = options.allocationsDir ?? options.profileDir
      if (profileDir !== undefined) fs.mkdirSync(profileDir, { recursive: true })
      // Idle while the service is measured, and the service idle while it is.
      const pairBroker = sections.has('baseline') && !options.quick ? await startBareBroker() : undefined
      try {
        for (const jobPath of present) {
          if (!info.jobTypes.includes(jobPath.jobType)) {
            report.failures.push(`${jobPath.name}: the service did not load job type ${jobPath.jobType}`)
            continue
          }
          for (const flows of options.flows) {
            let pairedBaseline: number | undefined
            if (pairBroker !== undefined) {
              log(`baseline beside ${jobPath.name}, QoS 1, ${flows} pair(s)…`)
              const b = await measure(load, pairBroker, 'pairs', { ...timing, port: pairBroker.info.mqttPort, pairs: flows, qos: 1, payloadBytes: options.payloadBytes })
              pairedBaseline = report.scenarios.push(rowOf('baseline', `baseline beside ${jobPath.label}`, 1, flows, b)) - 1
            }
            log(`${jobPath.label}, QoS 1, ${flows} flow(s)…`)
            const allocations = options.allocationsDir !== undefined
            const profile = profileDir === undefined ? undefined : { allocations, file: path.resolve(profileDir, `${jobPath.name}-${flows}.${allocations ? 'heapprofile' : 'cpuprofile'}`) }
            try {
              const m = await measure(load, service, 'jobs', { ...timing, port: info.mqttPort, path: jobPath.name, flows: info.persons.slice(0, flows), qos: 1, payloadBytes: options.payloadBytes }, profile)
              const row = rowOf(jobPath.name, jobPath.label, 1, flows, m)
              if (pairedBaseline !== undefined) row.pairedBaseline = pairedBaseline
              if (profile !== undefined) row.profiled = profile.file
              const logged = await service.request<{ errors: number, warnings: number, first: string[] }>('log-problems')
              if (logged.errors > 0) { row.errors += logged.errors; row.problems.push(...logged.first.map(line => `service log: ${line}`)) }
              report.scenarios.push(row)
            } catch (error) {
              report.failures.push(`${jobPath.name} at ${flows} flow(s) errored: ${(error as Error).message.split('\n')[0]}`)
            }
          }
        }
        // Last, as its key pool keeps generating in the background once started. One lane: the two persons of the
        // cycle take turns, so each job generates at most one key pair (pooled or on demand) while it runs.
        for (const cycle of cycles) {
          const missing = cycle.jobTypes.filter(t => !info.jobTypes.includes(t))
          if (missing.length > 0) { report.failures.push(`${cycle.name}: the service did not load job type(s) ${missing.join(', ')}`); continue }
          if (cycle.name === 'vault-keys' && info.vault.connectionKeyBits !== info.vault.defaultConnectionKeyBits) {
            report.failures.push(`vault-keys: the service runs with ${info.vault.connectionKeyBits}-bit connection keys, not the default ${info.vault.defaultConnectionKeyBits}`)
            continue
          }
          const label = `${cycle.label}, RSA-${info.vault.connectionKeyBits}`
          log(`${label}, ${options.vaultCycles} cycle(s)…`)
          try {
            const args: CyclesArgs = { port: info.mqttPort, cycle: cycle.name, lanes: 1, cyclesPerLane: options.vaultCycles, flows: info.persons.slice(0, cycle.flowsPerCycle), replyTimeoutMs: options.cycleReplyTimeoutMs }
            const m = await measure(load, service, 'cycles', args)
            const row: ScenarioRow = { ...rowOf(cycle.name, label, 1, 1, m), unit: 'cycle', steps: m.result.steps, vault: { connectionKeyBits: info.vault.connectionKeyBits, keyPoolSize: info.vault.keyPoolSize } }
            const logged = await service.request<{ errors: number, warnings: number, first: string[] }>('log-problems')
            if (logged.errors > 0) { row.errors += logged.errors; row.problems.push(...logged.first.map(line => `service log: ${line}`)) }
            report.scenarios.push(row)
          } catch (error) {
            report.failures.push(`${cycle.name} errored: ${(error as Error).message.split('\n')[0]}`)
          }
        }
      } finally {
        await service.stop()
        await pairBroker?.stop()
      }
      sectionDone('jobs')
    }

    if (sections.has('devices') && options.devices > 0) {
      log(`idle memory: a fresh service with ${options.devices} connected devices…`)
      report.idle = await idleDevices(load, options)
      sectionDone('devices')
    }
  } finally {
    await load.stop()
  }
  if (report.host !== undefined) {
    log(`host probe, ${hostProbeSeconds} s…`)
    report.host.push(await measureHostStalls('end', hostProbeSeconds))
    sectionDone('host')
  }

  for (const row of report.scenarios) {
    if (row.path === 'baseline' || row.unit === 'cycle') continue
    const paired = row.pairedBaseline === undefined ? undefined : report.scenarios[row.pairedBaseline]
    const bases = paired !== undefined ? [paired] : report.scenarios.filter(r => r.path === 'baseline' && r.qos === row.qos && r.flows === row.flows && !r.label.startsWith('baseline beside'))
    if (bases.length > 0) row.ratioToBaseline = row.jobsPerSecond / (bases.reduce((sum, r) => sum + r.jobsPerSecond, 0) / bases.length)
  }
  for (const row of report.scenarios) {
    const what = `${row.label}, QoS ${row.qos}, ${row.flows} flow(s)`
    if (row.lost > 0) report.failures.push(`${what}: ${row.lost} replies lost`)
    if (row.errors > 0) report.failures.push(`${what}: ${row.errors} error replies (${row.problems[0] ?? ''})`)
    if (row.unmatched > 0) report.failures.push(`${what}: ${row.unmatched} replies matched no request`)
    if (row.completed === 0) report.failures.push(`${what}: no reply completed in the measured window`)
  }
  if (report.idle !== undefined && report.idle.failed > 0) report.failures.push(`idle devices: ${report.idle.failed} failed to connect (${report.idle.problem ?? ''})`)
  const targetRatios = Object.fromEntries(JOB_PATHS.filter(p => p.targetRatioAt16 !== undefined).map(p => [p.name, p.targetRatioAt16 as number]))
  report.targets = checkTargets(report, targetRatios)
  report.meta.loadAverageAtEnd = os.loadavg().map(n => Math.round(n * 100) / 100)
  report.meta.totalSeconds = Math.round((Date.now() - started) / 100) / 10
  return report
}

function gcLabel (gc: unknown): string {
  const { profile, flags } = (gc ?? {}) as { profile?: string, flags?: string[] }
  return profile === undefined ? '' : `GC profile ${profile} in every process${flags !== undefined && flags.length > 0 ? ` (${flags.join(' ')})` : ''}; `
}

export function printReport (report: BenchReport, print: (text: string) => void = console.log): void {
  print(`\nendo-vault bench (${String(report.meta.mode)}; ${String(report.meta.cpu)}; node ${String(report.meta.node)}; aedes ${String(report.meta.aedes)}, mqtt.js ${String(report.meta.mqtt)}; commit ${String(report.meta.commit)})`)
  print(`warm-up ${Number(report.meta.warmupMs) / 1000} s, measured ${Number(report.meta.measureMs) / 1000} s per row; ~${String(report.meta.payloadBytes)}-byte jobs; one job in flight per flow; loopback; ${gcLabel(report.meta.gc)}${String(report.meta.note)}\n`)
  for (const probe of report.host ?? []) print(hostStallsLine(probe))
  if (report.host !== undefined) print('')
  if (report.scenarios.length > 0) print(scenarioTable(report.scenarios) + '\n')
  print('loop max, loop p99: event-loop delay of the service (or bare broker) over the window, monitorEventLoopDelay with its 10 ms resolution included (an idle loop')
  print('shows ~10 ms), CPU wait included. own max: the longest gap between 10 ms timer turns less the time the main thread waited for a CPU (Linux schedstat).')
  for (const r of report.scenarios.filter(r => r.unit === 'cycle')) {
    const steps = Object.entries(r.steps ?? {}).map(([jobType, l]) => `${jobType} p50 ${Math.round(l.p50Ms)} ms, max ${Math.round(l.maxMs)} ms`).join('; ')
    const seconds = r.jobsPerSecond > 0 ? r.completed / r.jobsPerSecond : NaN
    print(`${r.path}: ${r.completed} cycles (one at a time) in ${seconds.toFixed(1)} s with ${String(r.vault?.connectionKeyBits)}-bit connection keys (key pool ${String(r.vault?.keyPoolSize)}); per job: ${steps}; jobs/s, latency and svc µs/job of its row are per cycle (svc CPU includes the key generation on the threadpool)`)
  }
  print('')
  for (const s of report.skippedPaths) print(`${s.path}: ${s.reason}`)
  if (report.decrypt !== undefined) print('\n' + decryptTable(report.decrypt) + '\n')
  if (report.idle !== undefined) print(idleLine(report.idle) + '\n')
  if (report.meta.mode === 'quick') print('quick mode: 1 s windows on a shared machine; the verdicts below are indicative only (quick fails only on a lost reply or an error)')
  print(targetsTable(report.targets))
  print(report.failures.length === 0 ? '\nno reply lost, no path errored' : `\nFAILED:\n  ${report.failures.join('\n  ')}`)
  const sectionTimes = Object.entries(report.meta.sectionSeconds as Record<string, number>).map(([name, seconds]) => `${name} ${seconds} s`).join(', ')
  print(`(${String(report.meta.totalSeconds)} s: ${sectionTimes}; load average at start ${(report.meta.loadAverageAtStart as number[]).join(' ')}, at end ${(report.meta.loadAverageAtEnd as number[]).join(' ')})`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runCli({ tag: 'bench', usage: USAGE, parse: parseBenchOptions, run: runBench, print: printReport, passed: report => report.failures.length === 0 })
}
