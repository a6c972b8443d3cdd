// `npm run bench:scale [-- --devices 10000,100000,1000000 --connected 1000]`: one instance with N registered
// devices (issue 19). Per N, on a fresh data directory:
// - registration rate over HTTP (POST /devices, 16 at a time, 2,000 devices);
// - the rest registered in bulk through the same code (DeviceBus.register in this process, on the service's
//   own store and pepper, before the service starts): the documented bulk path, since a million HTTP
//   registrations would take most of an hour;
// - start time of `endo-vault start` to its listening line, and its RSS once `--connected` devices are connected
//   over MQTT;
// - device searches over HTTP by `type` and by `owner` (p50/p99), while a connected device's `whoami` runs in a
//   loop: the longest round trip it saw is how long a search held anyone else up.
// Figures go to stdout as a table (bench/README.md keeps the results).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import mqtt from 'mqtt'
import { DeviceBus } from '../src/core/bus/device-bus.js'
import { createLogger } from '../src/core/log.js'
import { openStore } from '../src/core/store/database.js'
import { loadOrCreatePepper } from '../src/core/service/service-identity.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const option = (name: string, fallback: string): string => argv[argv.indexOf(`--${name}`) + 1] !== undefined && argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] as string : fallback
const sizes = option('devices', '10000,100000').split(',').map(Number)
const connectedCount = Number(option('connected', '1000'))
const TYPES = 100
const OWNERS = 1000
const HTTP_REGISTRATIONS = 2000
const SEARCHES = 200

interface Credentials { uuid: string, token: string }

function quantile (values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

async function startServiceProcess (dataDir: string): Promise<{ child: ChildProcess, ms: number, http: string, mqttPort: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, [path.join(root, 'bin/endo-vault.js'), 'start'], {
    // one address registers thousands of devices here: the per-address registration limit is lifted for the bench
    env: { ...process.env, DATA_DIR: dataDir, HTTP_PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', REGISTRATIONS_PER_ADDRESS_PER_MINUTE: '1000000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return await new Promise((resolve, reject) => {
    let buffer = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = /listening: mqtt:\/\/[^:]+:(\d+) (http:\/\/[^ ]+)/.exec(buffer)
      if (match !== null) resolve({ child, ms: performance.now() - started, mqttPort: Number(match[1]), http: match[2] as string })
    })
    child.once('exit', code => reject(new Error(`service exited with ${code}: ${buffer}`)))
  })
}

async function stopServiceProcess (child: ChildProcess): Promise<void> {
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

function rssOf (pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
}

async function registerOverHttp (http: string, count: number, concurrency: number): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++
      const response = await fetch(`${http}/devices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: `type-${i % TYPES}`, owner: `owner-${i % OWNERS}`, discoverWhitelist: ['*'] }) })
      if (response.status !== 201) throw new Error(`registration answered ${response.status}`)
      await response.arrayBuffer()
    }
  }))
  return count / ((performance.now() - started) / 1000)
}

async function registerInBulk (dataDir: string, from: number, to: number, keep: number): Promise<Credentials[]> {
  const pepper = await loadOrCreatePepper(dataDir)
  const store = await openStore({ file: path.join(dataDir, 'endo-vault.db') })
  const bus = await DeviceBus.open(store, pepper, createLogger({ level: 'silent' }))
  const kept: Credentials[] = []
  for (let i = from; i < to; i++) {
    const { device, token } = await bus.register({ type: `type-${i % TYPES}`, owner: `owner-${i % OWNERS}`, discoverWhitelist: ['*'] })
    if (kept.length < keep) kept.push({ uuid: device.uuid, token })
  }
  await store.destroy()
  return kept
}

async function connectDevices (mqttPort: number, devices: Credentials[]): Promise<mqtt.MqttClient[]> {
  const clients: mqtt.MqttClient[] = []
  for (let i = 0; i < devices.length; i += 50) {
    clients.push(...await Promise.all(devices.slice(i, i + 50).map(async device =>
      await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: device.uuid, password: device.token, clientId: randomUUID(), reconnectPeriod: 0 }))))
  }
  return clients
}

async function whoamiLoop (client: mqtt.MqttClient, stop: () => boolean): Promise<number[]> {
  const times: number[] = []
  await client.subscribeAsync(client.options.username as string)
  while (!stop()) {
    const callbackId = randomUUID()
    const started = performance.now()
    const answered = new Promise<void>(resolve => {
      const onMessage = (_topic: string, payload: Buffer): void => {
        if (payload.includes(callbackId)) { client.off('message', onMessage); resolve() }
      }
      client.on('message', onMessage)
    })
    client.publish('whoami', JSON.stringify({ callbackId }))
    await answered
    times.push(performance.now() - started)
  }
  return times
}

async function timedSearches (http: string, searcher: Credentials, queries: unknown[]): Promise<number[]> {
  const auth = `Basic ${Buffer.from(`${searcher.uuid}:${searcher.token}`).toString('base64')}`
  const times: number[] = []
  for (const query of queries) {
    const started = performance.now()
    const response = await fetch(`${http}/search/devices`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'x-meshblu-page-size': '100' }, body: JSON.stringify(query) })
    const body = await response.json() as unknown[]
    if (response.status !== 200 || body.length === 0) throw new Error(`search answered ${response.status} with ${body.length} devices`)
    times.push(performance.now() - started)
  }
  return times
}

const rows: string[] = []
for (const size of sizes) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-scale-'))
  // first start: identity, pepper, schema; then the HTTP registration rate on the empty instance
  let service = await startServiceProcess(dataDir)
  const registrationRate = await registerOverHttp(service.http, Math.min(HTTP_REGISTRATIONS, size), 16)
  await stopServiceProcess(service.child)
  const bulkStarted = performance.now()
  const devices = await registerInBulk(dataDir, Math.min(HTTP_REGISTRATIONS, size), size, connectedCount + 1)
  const bulkRate = (size - Math.min(HTTP_REGISTRATIONS, size)) / ((performance.now() - bulkStarted) / 1000)
  // warm start on the populated directory
  service = await startServiceProcess(dataDir)
  const startMs = service.ms
  const searcher = devices[0] as Credentials
  const clients = await connectDevices(service.mqttPort, devices.slice(1, connectedCount + 1))
  const rss = rssOf(service.child.pid as number)
  let searching = true
  const bystander = whoamiLoop(clients[0] as mqtt.MqttClient, () => !searching)
  const byType = await timedSearches(service.http, searcher, Array.from({ length: SEARCHES }, (_, i) => ({ type: `type-${i % TYPES}` })))
  const byOwner = await timedSearches(service.http, searcher, Array.from({ length: SEARCHES }, (_, i) => ({ owner: `owner-${i % OWNERS}` })))
  searching = false
  const roundTrips = await bystander
  await Promise.all(clients.map(async client => await client.endAsync()))
  await stopServiceProcess(service.child)
  fs.rmSync(dataDir, { recursive: true, force: true })
  const ms = (value: number): string => value.toFixed(1)
  rows.push(`| ${size.toLocaleString('en')} | ${Math.round(registrationRate)}/s | ${Math.round(bulkRate)}/s | ${ms(quantile(byType, 0.5))} / ${ms(quantile(byType, 0.99))} ms | ${ms(quantile(byOwner, 0.5))} / ${ms(quantile(byOwner, 0.99))} ms | ${ms(Math.max(...roundTrips))} ms (${roundTrips.length}) | ${Math.round(startMs)} ms | ${Math.round(rss / 1024 / 1024)} MB |`)
  console.log(rows.at(-1))
}
console.log('\n| devices | registration (HTTP) | bulk | search by type p50/p99 | search by owner p50/p99 | longest whoami during searches (round trips) | start | RSS, ' + connectedCount + ' connected |')
console.log('|---|---|---|---|---|---|---|---|')
for (const row of rows) console.log(row)
