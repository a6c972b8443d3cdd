// The memory floods of issue 17, outside CI (`npm run test:floods`): starts `endo-vault start` in a child
// process (service-child.ts) with the broker's limits set small, drives each flood at those limits while a
// bystander pair of devices keeps messaging each other, and prints the child's RSS and live memory (heap +
// external after collection) before and after each flood, and the worst bystander round trip. V8 keeps
// freed pages, so RSS lags what is freed: live memory is what a flood left behind.
// The bystander runs in this process, beside the flood's clients: its round trips include their work too.
//   persistent sessions: hundreds of offline clean=false sessions, each queue flooded twice past its bounds
//   non-reading clients: connections that stop reading while deliveries pile up for them
//   WebSocket frames:    frames announcing 64 MiB each, and connections that never send CONNECT
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import http from 'node:http'
import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import mqtt, { type MqttClient } from 'mqtt'

const KiB = 1024
const MiB = 1024 * KiB
const LIMITS = {
  MQTT_SESSION_QUEUE_MAX_MESSAGES: 1000,
  MQTT_SESSION_QUEUE_MAX_BYTES: 64 * KiB,
  MQTT_SESSION_EXPIRY_SECONDS: 5,
  MQTT_MAX_PENDING_OUTPUT_BYTES: 1 * MiB,
  MQTT_CONNECT_TIMEOUT_MS: 3000,
  MAX_CONNECTIONS_PER_DEVICE: 64,
}
const SESSIONS = 300
const NON_READERS = 60
const FRAMES = 200
const IDLE_SOCKETS = 300

const childScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'service-child.ts')
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

interface Service { child: ChildProcess, mqttPort: number, httpPort: number }
interface Device { uuid: string, token: string }

async function startService (dataDir: string): Promise<Service> {
  // LOG_LEVEL info: the listening line names the ports
  const env = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', MQTT_PORT: '0', PORT: '0', LOG_LEVEL: 'info', ...Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)])) }
  const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', childScript], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  let output = ''
  return await new Promise((resolve, reject) => {
    child.once('exit', code => reject(new Error(`service exited with ${String(code)}:\n${output}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const ports = /mqtt:\/\/127\.0\.0\.1:(\d+) http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (ports !== null) { child.stdout?.removeAllListeners('data'); child.stdout?.resume(); resolve({ child, mqttPort: Number(ports[1]), httpPort: Number(ports[2]) }) }
    })
  })
}

function rssMb (pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024)
}

/** The child's memory after it collected garbage (MB). */
async function childMemory (service: Service): Promise<{ rss: number, live: number }> {
  return await new Promise(resolve => {
    service.child.once('message', (usage: { rss: number, live: number }) => resolve({ rss: Math.round(usage.rss / MiB), live: Math.round(usage.live / MiB) }))
    service.child.send('memory')
  })
}

async function register (service: Service, properties: Record<string, unknown>): Promise<Device> {
  const response = await fetch(`http://127.0.0.1:${service.httpPort}/devices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(properties) })
  if (!response.ok) throw new Error(`registration: HTTP ${response.status} ${await response.text()}`)
  const { uuid, token } = await response.json() as Device
  return { uuid, token }
}

const v2 = (lists: Record<string, string[]>): Record<string, unknown> => {
  const whitelists: Record<string, Record<string, Array<{ uuid: string }>>> = {}
  for (const [name, uuids] of Object.entries(lists)) {
    const [category, verb] = name.split('.')
    whitelists[category] ??= {}
    whitelists[category][verb] = uuids.map(uuid => ({ uuid }))
  }
  return { meshblu: { version: '2.0.0', whitelists } }
}

async function mqttClient (service: Service, device: Device, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { username: device.uuid, password: device.token, reconnectPeriod: 0, ...options })
  ;(client.stream as net.Socket).setNoDelay?.(true)
  return client
}

/** Two devices messaging each other every 5 ms; `stop()` resolves with the worst round trip in ms. */
async function bystander (service: Service): Promise<{ stop: () => Promise<number> }> {
  const [alice, bob] = [await register(service, v2({ 'message.from': ['*'] })), await register(service, v2({ 'message.from': ['*'] }))]
  const a = await mqttClient(service, alice)
  const b = await mqttClient(service, bob)
  await b.subscribeAsync(bob.uuid, { qos: 1 })
  const waiting = new Map<string, () => void>()
  b.on('message', (_topic, payload) => { const marker = JSON.parse(payload.toString()).data?.marker; waiting.get(marker)?.(); waiting.delete(marker) })
  let worst = 0
  let running = true
  const loop = (async () => {
    while (running) {
      const marker = randomUUID()
      const started = performance.now()
      const arrived = new Promise<void>(resolve => waiting.set(marker, resolve))
      await a.publishAsync('message', JSON.stringify({ devices: [bob.uuid], marker }), { qos: 1 })
      await Promise.race([arrived, sleep(10_000)])
      worst = Math.max(worst, performance.now() - started)
      await sleep(5)
    }
  })()
  for (let i = 0; i < 20; i++) await sleep(10) // warm up
  worst = 0
  return {
    async stop () { running = false; await loop; await a.endAsync(); await b.endAsync(); return worst },
  }
}

async function inBatches<T> (items: T[], size: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map((item, k) => run(item, start + k)))
}

// ---- the floods

async function persistentSessions (service: Service, pid: number): Promise<string> {
  const broadcasters = await Promise.all(Array.from({ length: SESSIONS }, () => register(service, v2({ 'broadcast.sent': ['*'] }))))
  const subscribers = await Promise.all(Array.from({ length: Math.ceil(SESSIONS / 50) }, () => register(service, v2({}))))
  // each session follows its own broadcaster, so no two queues share a payload: the worst case for the bound
  const sessions = broadcasters.map((broadcaster, i) => ({ broadcaster, subscriber: subscribers[i % subscribers.length], clientId: `flood-${i}-${randomUUID().slice(0, 6)}` }))
  await inBatches(sessions, 20, async session => {
    const client = await mqttClient(service, session.subscriber, { clientId: session.clientId, clean: false })
    await client.subscribeAsync(`${session.broadcaster.uuid}/broadcast`, { qos: 1 })
    await client.endAsync()
  })
  const blob = 'b'.repeat(4 * KiB)
  const perSession = 2 * LIMITS.MQTT_SESSION_QUEUE_MAX_BYTES / blob.length
  const rssByRound: number[] = []
  for (let round = 0; round < 3; round++) {
    await inBatches(broadcasters, 10, async broadcaster => {
      const client = await mqttClient(service, broadcaster)
      for (let k = 0; k < perSession; k += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => client.publishAsync('message', JSON.stringify({ devices: ['*'], k: k + j, blob }), { qos: 1 })))
      await client.endAsync()
    })
    rssByRound.push(rssMb(pid))
  }
  // what a few of the sessions get back when they return: the newest messages that fit the bound
  const kept = await Promise.all(sessions.slice(0, 3).map(async session => {
    let count = 0
    // listening before CONNACK: the queue follows it in the same packet burst
    const client = mqtt.connect(`mqtt://127.0.0.1:${service.mqttPort}`, { username: session.subscriber.uuid, password: session.subscriber.token, clientId: session.clientId, clean: false, reconnectPeriod: 0 })
    client.on('message', () => { count++ })
    await sleep(1000)
    await client.endAsync()
    return count
  }))
  const sent = SESSIONS * perSession * 3 * blob.length
  return `${SESSIONS} offline sessions, 3 rounds of ${perSession} × 4 KiB to each (${(sent / MiB).toFixed(0)} MiB; bound ${SESSIONS} × ${LIMITS.MQTT_SESSION_QUEUE_MAX_BYTES / KiB} KiB = ${(SESSIONS * LIMITS.MQTT_SESSION_QUEUE_MAX_BYTES / MiB).toFixed(1)} MiB): ` +
    `RSS after each round ${rssByRound.join(' → ')} MB; 3 sessions coming back got ${kept.join(', ')} messages`
}

async function nonReaders (service: Service): Promise<string> {
  const slow = await register(service, v2({ 'message.from': ['*'] }))
  const sockets: net.Socket[] = []
  for (let i = 0; i < NON_READERS; i++) {
    const client = await mqttClient(service, slow)
    await client.subscribeAsync(slow.uuid, { qos: 1 })
    const socket = client.stream as net.Socket
    socket.unpipe()
    socket.pause()
    sockets.push(socket)
  }
  const flooder = await mqttClient(service, await register(service, v2({})))
  const blob = 'n'.repeat(128 * KiB)
  let sent = 0
  while (sent < 400) {
    await Promise.all(Array.from({ length: 8 }, () => flooder.publishAsync('message', JSON.stringify({ devices: [slow.uuid], blob }), { qos: 1 })))
    sent += 8
  }
  await flooder.endAsync()
  // a paused socket notices its end only once it reads again: read what was buffered, then count the closed
  let cut = 0
  for (const socket of sockets) { socket.once('close', () => { cut++ }); socket.on('data', () => {}); socket.resume() }
  await sleep(2000)
  for (const socket of sockets) socket.destroy()
  return `${NON_READERS} connections of one device stop reading, ${sent} × 128 KiB sent to it (${(sent * 128 / 1024).toFixed(0)} MiB for each connection; bound ${LIMITS.MQTT_MAX_PENDING_OUTPUT_BYTES / MiB} MiB each): ${cut} cut off by the broker`
}

async function webSocketFrames (service: Service): Promise<string> {
  let closedEarly = 0
  await inBatches(Array.from({ length: FRAMES }), 20, async () => {
    const socket = await upgrade(service.httpPort)
    const header = Buffer.alloc(14)
    header[0] = 0x82
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(64 * MiB), 2)
    socket.write(header)
    let sent = 0
    let open = true
    socket.once('close', () => { open = false })
    const chunk = Buffer.alloc(64 * KiB)
    while (open && sent < 64 * MiB) { if (!socket.write(chunk)) await Promise.race([new Promise(resolve => socket.once('drain', resolve)), new Promise(resolve => socket.once('close', resolve))]); sent += chunk.length }
    if (sent < 64 * MiB) closedEarly++
    socket.destroy()
  })
  const idle = await Promise.all(Array.from({ length: IDLE_SOCKETS }, () => upgrade(service.httpPort)))
  const closed = await Promise.all(idle.map(socket => new Promise<boolean>(resolve => {
    const timer = setTimeout(() => resolve(false), LIMITS.MQTT_CONNECT_TIMEOUT_MS + 5000)
    socket.once('close', () => { clearTimeout(timer); resolve(true) })
  })))
  return `${FRAMES} frames announcing 64 MiB (${closedEarly} refused before their end); ${IDLE_SOCKETS} WebSockets without CONNECT (${closed.filter(Boolean).length} closed after ${LIMITS.MQTT_CONNECT_TIMEOUT_MS} ms)`
}

async function upgrade (port: number): Promise<net.Socket> {
  return await new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/mqtt', headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'mqtt' } })
    request.on('upgrade', (_response, socket) => { socket.on('error', () => {}); resolve(socket as net.Socket) })
    request.on('response', response => reject(new Error(`no upgrade: HTTP ${response.statusCode}`)))
    request.on('error', reject)
    request.end()
  })
}

// ---- the run

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-floods-'))
const service = await startService(dataDir)
const pid = service.child.pid as number
const rows: Array<{ flood: string, before: { rss: number, live: number }, rssAfter: number, liveAfter: number, settled: { rss: number, live: number }, worstRoundTripMs: number, seconds: number }> = []
try {
  console.log(`endo-vault pid ${pid}, limits ${JSON.stringify(LIMITS)}`)
  const idle = async (): Promise<string> => { await sleep(3000); return 'no flood: the bystander alone, for comparison' }
  const floods = [['none (baseline)', idle], ['persistent sessions', async () => await persistentSessions(service, pid)], ['non-reading clients', async () => await nonReaders(service)], ['WebSocket frames', async () => await webSocketFrames(service)]] as const
  for (const [name, flood] of floods) {
    const before = await childMemory(service) // collects garbage: not while the bystander is timed
    const probe = await bystander(service)
    const started = performance.now()
    const what = await flood()
    const seconds = (performance.now() - started) / 1000
    const rssAfter = rssMb(pid)
    const worstRoundTripMs = await probe.stop()
    const after = await childMemory(service)
    // sessions expire, buffers go; what remains after a pause is what the flood left behind
    if (flood !== idle) await sleep((LIMITS.MQTT_SESSION_EXPIRY_SECONDS + 2) * 1000)
    rows.push({ flood: name, before, rssAfter, liveAfter: after.live, settled: await childMemory(service), worstRoundTripMs: Math.round(worstRoundTripMs * 10) / 10, seconds: Math.round(seconds * 10) / 10 })
    console.log(`${name}: ${what}`)
  }
} finally {
  service.child.kill('SIGTERM')
  await new Promise(resolve => service.child.once('exit', resolve))
  fs.rmSync(dataDir, { recursive: true, force: true })
}
const later = `${LIMITS.MQTT_SESSION_EXPIRY_SECONDS + 2} s later`
console.table(rows.map(r => ({
  flood: r.flood,
  'RSS before': r.before.rss,
  'RSS right after': r.rssAfter,
  [`RSS ${later}`]: r.settled.rss,
  'live before': r.before.live,
  'live right after': r.liveAfter,
  [`live ${later}`]: r.settled.live,
  'worst round trip (ms)': r.worstRoundTripMs,
  'flood (s)': r.seconds,
})))
console.log('memory in MB; live = heap used + external, after the child collected garbage')
