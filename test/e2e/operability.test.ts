// Operability (issue 20): what an operator and a load balancer see of an instance. GET /metrics in Prometheus
// text (from loopback, or with METRICS_TOKEN from anywhere), GET /healthz and /readyz, and the drain that
// SIGTERM starts: /readyz 503 at once, no new connection, running jobs finish, then the sessions close.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mqtt from 'mqtt'
import { sql } from 'kysely'
import { WebSocket } from 'ws'
import { startTestService, temporaryDataDir, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { v2 } from '../support/device-fixture.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const fixtureJobs = path.join(root, 'test/fixtures/jobs')
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123456789'

async function until (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

async function get (service: { httpPort: number }, route: string, headers: Record<string, string> = {}): Promise<{ status: number, text: string, headers: Headers }> {
  const response = await fetch(`http://127.0.0.1:${service.httpPort}${route}`, { headers })
  return { status: response.status, text: await response.text(), headers: response.headers }
}

/** The value of one exposition line, e.g. sample(text, 'endo_vault_jobs_total{jobType="Echo",code="200"}'). */
function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find(l => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** How an mqtt.js connection attempt ends: "connected", or the error that ended it. */
async function connectionAttempt (url: string): Promise<string> {
  try {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000 }, false)
    await client.endAsync(true)
    return 'connected'
  } catch (error) {
    return (error as Error).message
  }
}

/** The HTTP status a WebSocket upgrade to /mqtt is answered with (101 when it is accepted). */
async function upgradeStatus (port: number): Promise<number> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, 'mqtt')
  return await new Promise(resolve => {
    socket.once('open', () => { socket.terminate(); resolve(101) })
    // with this listener, ending the refused request is ours to do (ws' documentation)
    socket.once('unexpected-response', (request, response) => { resolve(response.statusCode ?? 0); request.destroy() })
    socket.on('error', () => {})
  })
}

describe('GET /metrics without METRICS_TOKEN, read from loopback', () => {
  let service: TestService
  let person: Person
  let expired: Person
  let metrics: string
  beforeAll(async () => {
    // a provider whose token endpoint nobody answers: a refresh is "unavailable"
    service = await startTestService({ oauth: { authorizationUrl: 'http://127.0.0.1:1/authorize', tokenUrl: 'http://127.0.0.1:1/token', userinfoUrl: 'http://127.0.0.1:1/userinfo', clientId: 'endo-vault' } })
    person = await onboardPerson(service, { username: 'ops' })
    expect((await person.sendJob('Echo', { text: 'hello' })).metadata.code).toBe(200)
    expect((await person.sendJob('NoSuchJob', {})).metadata.code).toBe(404)
    expired = await onboardPerson(service, { username: 'expired' })
    await service.endo.credentials.update(expired.credentialsUuid, blob => ({
      ...blob, provider: 'http://127.0.0.1:1', secrets: { credentials: { accessToken: 'expired-access-token-0123456789', refreshToken: 'refresh-token-0123456789abcdef', expiresAt: Date.now() - 1000 } },
    }))
    expect((await expired.sendJob('Echo', { text: 'too late' })).metadata.code).toBe(503)
    // a v2 device without message.from refuses the flow's message silently (§7)
    const closed = await service.bus.register(v2())
    await person.flow.client.publishAsync('message', JSON.stringify({ devices: [closed.device.uuid], data: {} }), { qos: 1 })
    await until(() => service.bus.router.counts.refused > 0, 'the refusal')
    const scrape = await get(service, '/metrics')
    expect(scrape.status).toBe(200)
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    metrics = scrape.text
  })
  afterAll(async () => { await person.end(); await expired.end(); await service.stop() })

  it('counts the Echo jobs by jobType and code, and their durations in a histogram by jobType', () => {
    expect(sample(metrics, 'endo_vault_jobs_total{jobType="Echo",code="200"}')).toBe(1)
    // the 200 and the 503 below
    expect(sample(metrics, 'endo_vault_job_duration_seconds_count{jobType="Echo"}')).toBe(2)
    expect(sample(metrics, 'endo_vault_job_duration_seconds_bucket{le="+Inf",jobType="Echo"}')).toBe(2)
    expect(sample(metrics, 'endo_vault_job_duration_seconds_sum{jobType="Echo"}')).toBeGreaterThan(0)
  })

  it('counts a jobType the catalog lacks as "unknown", never under the name the client wrote', () => {
    expect(sample(metrics, 'endo_vault_jobs_total{jobType="unknown",code="404"}')).toBe(1)
    expect(metrics).not.toContain('NoSuchJob')
  })

  it('counts the messages delivered and the one the recipient refused', () => {
    expect(sample(metrics, 'endo_vault_messages_total{outcome="refused"}')).toBe(1)
    expect(sample(metrics, 'endo_vault_messages_total{outcome="delivered"}')).toBeGreaterThan(0)
  })

  it('shows the open MQTT connections, the devices held and how lookups were answered', () => {
    expect(sample(metrics, 'endo_vault_mqtt_connections')).toBeGreaterThanOrEqual(1)
    expect(sample(metrics, 'endo_vault_devices_held')).toBeGreaterThanOrEqual(1)
    expect(sample(metrics, 'endo_vault_device_lookups_total{answered_from="memory"}')).toBeGreaterThan(0)
    const ratio = sample(metrics, 'endo_vault_device_cache_hit_ratio') ?? -1
    expect(ratio > 0 && ratio <= 1).toBe(true)
  })

  it('counts the refresh the provider did not answer, and the job it failed', () => {
    expect(sample(metrics, 'endo_vault_oauth_refreshes_total{outcome="unavailable"}')).toBe(1)
    expect(sample(metrics, 'endo_vault_oauth_refreshes_total{outcome="succeeded"}')).toBe(0)
    expect(sample(metrics, 'endo_vault_jobs_total{jobType="Echo",code="503"}')).toBe(1)
  })

  it('shows no store error and no running job', () => {
    expect(sample(metrics, 'endo_vault_store_errors_total')).toBe(0)
    expect(sample(metrics, 'endo_vault_jobs_in_flight')).toBe(0)
  })

  it('shows the process\' event-loop delay', () => {
    expect(sample(metrics, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
    expect(sample(metrics, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0)
  })

  it('names no device, person or token', () => {
    expect(metrics).not.toMatch(UUID)
    expect(metrics).not.toContain(person.user.token)
  })

  it('answers GET /healthz and /readyz with 200 naming each check', async () => {
    expect(await get(service, '/healthz')).toMatchObject({ status: 200, text: JSON.stringify({ status: 'ok' }) })
    const ready = await get(service, '/readyz')
    expect(ready.status).toBe(200)
    expect(JSON.parse(ready.text)).toEqual({ status: 'ok', checks: { store: 'ok', broker: 'ok' } })
  })

  it('answers /readyz 503 naming a check that failed or took too long, and logs the failure', async () => {
    const added = service.readinessChecks.push(
      { name: 'hangs', check: async () => { await new Promise(() => {}) } },
      { name: 'throws', check: async () => { throw new Error('connection reset') } })
    try {
      const ready = await get(service, '/readyz')
      expect(ready.status).toBe(503)
      expect(JSON.parse(ready.text)).toEqual({ status: 'unavailable', checks: { store: 'ok', broker: 'ok', hangs: 'timeout', throws: 'failed' } })
      expect(service.logLines.some(line => line.includes('readiness.failed') && line.includes('connection reset'))).toBe(true)
    } finally {
      service.readinessChecks.splice(added - 2, 2)
    }
  })

  it('counts a store query that failed', async () => {
    // the message, not toThrow: better-sqlite3's error class comes from the jest context that loaded the addon first
    const failure = await sql`select * from no_such_table`.execute(service.store).then(() => 'no error', (error: unknown) => (error as Error).message)
    expect(failure).toMatch(/no such table/)
    expect(sample((await get(service, '/metrics')).text, 'endo_vault_store_errors_total')).toBe(1)
  })
})

describe('an instance with METRICS_TOKEN, drained', () => {
  let service: TestService
  let person: Person
  beforeAll(async () => {
    service = await startTestService({ metricsToken: METRICS_TOKEN, drainTimeoutMs: 5000 }, { jobsDir: fixtureJobs })
    person = await onboardPerson(service, { username: 'drain' })
  })
  afterAll(async () => { await person.end(); await service.stop() })

  describe('GET /metrics', () => {
    it('answers 404, as an unknown route, without the token or with another, even from loopback', async () => {
      const unknown = await get(service, '/no-such-route')
      const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: METRICS_TOKEN }]
      for (const headers of attempts) {
        const refused = await get(service, '/metrics', headers)
        expect(refused.status).toBe(404)
        expect(refused.text).toBe(unknown.text.replace('/no-such-route', '/metrics'))
      }
    })

    it('answers 200 with the bearer token', async () => {
      const scrape = await get(service, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })
      expect(scrape.status).toBe(200)
      expect(scrape.text).toContain('# TYPE endo_vault_jobs_total counter')
    })
  })

  describe('while a job runs', () => {
    let reply: Promise<any>
    let drained: Promise<void>
    beforeAll(async () => {
      expect((await get(service, '/readyz')).status).toBe(200)
      reply = person.sendJob('WaitThenAnswer', { ms: 2500 })
      await until(() => service.endo.runner.inFlight === 1, 'the job running')
      drained = service.drain()
    })

    it('answers /readyz 503 at once, naming the broker as draining', async () => {
      const ready = await get(service, '/readyz')
      expect(ready.status).toBe(503)
      expect(JSON.parse(ready.text)).toEqual({ status: 'unavailable', checks: { store: 'ok', broker: 'draining' } })
      expect(ready.headers.get('connection')).toBe('close')
    })

    it('still answers /healthz and /metrics', async () => {
      expect((await get(service, '/healthz')).status).toBe(200)
      const scrape = await get(service, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })
      expect(sample(scrape.text, 'endo_vault_jobs_in_flight')).toBe(1)
    })

    it('refuses new MQTT connections, over TCP and WebSocket', async () => {
      expect(await connectionAttempt(`mqtt://127.0.0.1:${service.mqttPort}`)).toMatch(/ECONNREFUSED/)
      expect(await connectionAttempt(`ws://127.0.0.1:${service.httpPort}/mqtt`)).not.toBe('connected')
      expect(await upgradeStatus(service.httpPort)).toBe(503)
    })

    it('answers any other HTTP request 503', async () => {
      const status = await get(service, '/status')
      expect(status.status).toBe(503)
      expect(JSON.parse(status.text)).toEqual({ error: 'This instance is shutting down: connect to another one' })
    })

    it('lets the job finish and its reply reach the flow, then says it drained', async () => {
      expect((await reply).metadata).toMatchObject({ code: 200 })
      await drained
      const line = service.logLines.map(l => JSON.parse(l)).find(l => l.msg === 'drained')
      expect(line).toMatchObject({ jobsFinished: true, jobsRunning: 0 })
      expect(line.waitedMs).toBeLessThan(5000)
    })
  })
})

describe('a drain whose job outlasts DRAIN_TIMEOUT_MS', () => {
  let service: TestService
  let person: Person
  beforeAll(async () => {
    service = await startTestService({ drainTimeoutMs: 300 }, { jobsDir: fixtureJobs })
    person = await onboardPerson(service, { username: 'late' })
  })
  afterAll(async () => { await person.end(); await service.stop() })

  it('ends at the deadline, saying a job was still running', async () => {
    const reply = person.sendJob('WaitThenAnswer', { ms: 1500 })
    await until(() => service.endo.runner.inFlight === 1, 'the job running')
    const started = Date.now()
    await service.drain()
    expect(Date.now() - started).toBeLessThan(1200)
    const line = service.logLines.map(l => JSON.parse(l)).find(l => l.msg === 'drained')
    expect(line).toMatchObject({ jobsFinished: false, jobsRunning: 1 })
    await reply // the sessions stay until close(): this one still gets its answer
  })
})

describe('endo-vault start, sent SIGTERM', () => {
  let dataDir: string
  beforeEach(() => { dataDir = temporaryDataDir() })
  afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }) })

  it('drains, ends the MQTT sessions and exits 0 saying it drained', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/endo-vault.js'), 'start'], {
      env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', MQTT_PORT: '0', PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const exited = new Promise<number | null>(resolve => child.once('exit', resolve))
    const ports = await new Promise<RegExpExecArray>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        const found = /mqtt:\/\/127\.0\.0\.1:(\d+) http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (found !== null) resolve(found)
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      void exited.then(code => { reject(new Error(`exited with ${String(code)} before listening:\n${output}`)) })
    })
    const { uuid, token } = JSON.parse(fs.readFileSync(path.join(dataDir, 'meshblu.json'), 'utf8')) as { uuid: string, token: string }
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${ports[1]}`, { username: uuid, password: token, reconnectPeriod: 0 })
    const sessionEnded = new Promise<void>(resolve => client.once('close', () => resolve()))
    expect((await get({ httpPort: Number(ports[2]) }, '/readyz')).status).toBe(200)

    child.kill('SIGTERM')
    await sessionEnded
    expect(await exited).toBe(0)
    const drained = output.split('\n').filter(l => l.includes('"msg":"drained"')).map(l => JSON.parse(l))
    expect(drained).toEqual([expect.objectContaining({ jobsFinished: true, jobsRunning: 0 })])
  }, 90_000)
})
