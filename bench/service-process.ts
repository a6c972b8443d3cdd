// The service under test, in its own process: startService on a temporary data directory with ports 0,
// then N persons onboarded as the OAuth callback would (credentials device C, user device U whose
// message.from admits the person's flow device F). The `ready` event carries the ports and each
// person's F credentials and U uuid. Logs go to a file in the data directory (level BENCH_LOG_LEVEL,
// default info, as in production), so a busy log shows up in the figures and the driver can count problems.
// The vault runs with its default connection keys (RSA-4096, the default pool) whatever the environment says,
// so the vault-keys scenario measures what production generates. An event-loop delay histogram
// (monitorEventLoopDelay, 10 ms resolution) runs for the life of the process; the driver resets it when a
// measured window opens (`loop-delay-reset`) and reads it when the window closes (`loop-delay`).
// Usage (forked by bench/run.ts and bench/soak.ts): service-process.ts [--persons N]
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes, randomUUID } from 'node:crypto'
import { Session } from 'node:inspector/promises'
import { pino } from 'pino'
import { createLogger } from '../src/core/log.js'
import { startService } from '../src/core/service/start-service.js'
import { CONFIG_SCHEMA } from '../src/core/config.js'
import { applyGcProfile } from '../src/core/service/gc-profile.js'
import { loopDelayCommands, sampleProcess, sendEvent, serveCommands, type ProcessSample } from './ipc-commands.js'

export interface BenchPerson {
  credentialsUuid: string
  userUuid: string
  flowUuid: string
  flowToken: string
}

export interface ServiceReadyInfo {
  mqttPort: number
  httpPort: number
  pid: number
  persons: BenchPerson[]
  jobTypes: string[]
  setupMs: number
  /** vault.connectionKeyBits and vault.keyPoolSize the service runs with (the config defaults). */
  vault: { connectionKeyBits: number, keyPoolSize: number, defaultConnectionKeyBits: number }
  /** The GC profile applied, and its V8 flags. */
  gc: { profile: string, flags: readonly string[] }
}

/** The vault settings of the config schema's defaults: what the service runs with unless told otherwise. */
const VAULT_DEFAULTS = {
  connectionKeyBits: CONFIG_SCHEMA.properties.vault.properties.connectionKeyBits.default,
  keyPoolSize: CONFIG_SCHEMA.properties.vault.properties.keyPoolSize.default,
}

const argv = process.argv.slice(2)
const personCount = Number(argv[argv.indexOf('--persons') + 1] ?? 16) || 16
const started = performance.now()

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-bench-'))
const logFile = path.join(dataDir, 'service.log')
const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'info', destination: pino.destination({ dest: logFile, sync: false }) as unknown as NodeJS.WritableStream })
const service = await startService({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir, vault: VAULT_DEFAULTS }, { logger })
// as `endo-vault start` does (GC_PROFILE from the environment, else auto)
const gc = applyGcProfile(service.config.gcProfile)

async function onboardPerson (index: number): Promise<BenchPerson> {
  const accountId = randomUUID()
  const { credentialsUuid } = await service.endo.onboarding.upsertCredentialsDevice({
    provider: 'bench',
    accountId,
    username: `bench-user-${index}`,
    profile: { name: `Bench User ${index}`, email: `bench-user-${index}@example.test` },
    tokens: { accessToken: randomBytes(32).toString('base64url'), refreshToken: randomBytes(32).toString('base64url'), expiresAt: Date.now() + 3600_000, scope: 'openid profile email offline_access' },
  })
  const flow = await service.bus.register({ type: 'flow', name: `bench flow ${index}` })
  const user = await service.endo.onboarding.createUserDevice(credentialsUuid, { flows: [flow.device.uuid] })
  return { credentialsUuid, userUuid: user.uuid, flowUuid: flow.device.uuid, flowToken: flow.token }
}

const persons: BenchPerson[] = []
for (let i = 0; i < personCount; i++) persons.push(await onboardPerson(i))

let profiler: Session | undefined
let profiling: 'cpu' | 'allocations' = 'cpu'
let logOffset = 0

serveCommands({
  ...loopDelayCommands(10),
  /** Plain devices (type 'device'), for the idle-connections scenario. */
  async 'register-devices' (args: { count: number }) {
    const devices: Array<{ uuid: string, token: string }> = []
    for (let i = 0; i < args.count; i++) {
      const { device, token } = await service.bus.register({ type: 'device', name: `bench idle ${i}` })
      devices.push({ uuid: device.uuid, token })
    }
    return devices
  },
  /** A full garbage collection (the inspector's, which also returns freed memory to the system), then a sample: memory that survives it is retained. */
  async gc (): Promise<{ ms: number, sample: ProcessSample }> {
    const session = new Session()
    session.connect()
    const gcStarted = performance.now()
    try {
      await session.post('HeapProfiler.collectGarbage')
    } finally {
      session.disconnect()
    }
    return { ms: performance.now() - gcStarted, sample: sampleProcess() }
  },
  /** A CPU profile, or with `allocations` a sampled allocation profile that keeps the objects GC already freed (what makes GC work). */
  async 'profile-start' (args: { samplingIntervalMicros?: number, allocations?: boolean } = {}) {
    profiler = new Session()
    profiler.connect()
    if (args.allocations === true) {
      await profiler.post('HeapProfiler.enable')
      await profiler.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
      profiling = 'allocations'
      return true
    }
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.setSamplingInterval', { interval: args.samplingIntervalMicros ?? 200 })
    await profiler.post('Profiler.start')
    profiling = 'cpu'
    return true
  },
  async 'profile-stop' (args: { file: string }) {
    if (profiler === undefined) throw new Error('no profile running')
    const { profile } = profiling === 'allocations' ? await profiler.post('HeapProfiler.stopSampling') : await profiler.post('Profiler.stop')
    profiler.disconnect()
    profiler = undefined
    fs.writeFileSync(args.file, JSON.stringify(profile))
    return args.file
  },
  /** Log lines at warn (40) or above written since the last call: counts and the first few. */
  'log-problems' () {
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''
    const fresh = text.slice(logOffset)
    logOffset = text.length
    const entries = fresh.split('\n').filter(Boolean).map(line => { try { return JSON.parse(line) } catch { return { level: 50, msg: line } } })
    const problems = entries.filter(entry => Number(entry.level) >= 40)
    return {
      errors: problems.filter(p => Number(p.level) >= 50).length,
      warnings: problems.filter(p => Number(p.level) < 50).length,
      first: problems.slice(0, 3).map(p => `${Number(p.level) >= 50 ? 'error' : 'warn'}: ${String(p.msg)}${p.err?.message === undefined ? '' : ` (${String(p.err.message)})`}`),
    }
  },
  async stop () {
    await service.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
    setImmediate(() => process.exit(0))
  },
})

sendEvent({
  event: 'ready',
  info: {
    mqttPort: service.mqttPort,
    httpPort: service.httpPort,
    pid: process.pid,
    persons,
    jobTypes: [...service.endo.catalog.jobs.keys()],
    setupMs: Math.round(performance.now() - started),
    vault: { ...service.config.vault, defaultConnectionKeyBits: VAULT_DEFAULTS.connectionKeyBits },
    gc,
  } satisfies ServiceReadyInfo,
})
