// The load generator: mqtt.js clients in their own process, driven by the bench driver over IPC.
//   pairs        baseline: per pair, A publishes a ~300-byte JSON job on req/<i>, B parses it and answers on resp/<i>
//   jobs         flow devices send `{devices:[U], metadata:{jobType, respondTo}, data}` on `message`; U's reply
//                comes back on F's own topic as `{topic:'message', data:{metadata:{code, to}, data}}`
//   connect-idle N devices connect and subscribe to their own topic, then stay idle until disconnect-idle
// Every client sets TCP_NODELAY (as test/support/mqtt-device.ts does).
import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { ClosedLoop, type ClosedLoopResult } from './closed-loop.js'
import { jobPathNamed, type JobReply, type SendJob } from './job-paths.js'
import { sampleProcess, sendEvent, serveCommands, type ProcessSample } from './ipc-commands.js'

export interface LoadTiming { warmupMs: number, measureMs: number, replyTimeoutMs: number }
export interface PairsArgs extends LoadTiming { port: number, pairs: number, qos: 0 | 1, payloadBytes: number }
export interface JobsArgs extends LoadTiming { port: number, path: string, flows: Array<{ flowUuid: string, flowToken: string, userUuid: string }>, qos: 0 | 1, payloadBytes: number }

export interface LoadResult extends ClosedLoopResult {
  requestBytes: number
  replyBytes: number
  /** The load generator's own CPU over the measured window. */
  loadCpuPercent: number
}

async function connect (port: number, options: { username?: string, password?: string } = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    ...options, reconnectPeriod: 0, connectTimeout: 10000, clientId: `bench-${randomUUID().slice(0, 18)}`, protocolVersion: 4,
  })
  ;(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
  return client
}

async function endAll (clients: MqttClient[]): Promise<void> {
  await Promise.all(clients.map(async c => await c.endAsync(true).catch(() => {})))
}

/** Runs the closed loop and reports load-generator CPU over the measured window. */
async function measured (loop: ClosedLoop, fire: (lane: number, tag: string) => void, onPhase: { start?: ProcessSample, end?: ProcessSample }): Promise<{ result: ClosedLoopResult, loadCpuPercent: number }> {
  const result = await loop.run(fire)
  const { start, end } = onPhase
  const cpu = start === undefined || end === undefined ? NaN : (end.cpuUserMicros + end.cpuSystemMicros - start.cpuUserMicros - start.cpuSystemMicros) / 1000 / (end.at - start.at) * 100
  return { result, loadCpuPercent: cpu }
}

function phaseTracker (): { samples: { start?: ProcessSample, end?: ProcessSample }, onPhase: (phase: 'measure-start' | 'measure-end') => void } {
  const samples: { start?: ProcessSample, end?: ProcessSample } = {}
  return {
    samples,
    onPhase (phase) {
      if (phase === 'measure-start') samples.start = sampleProcess()
      else samples.end = sampleProcess()
      sendEvent({ event: phase })
    },
  }
}

function paddedJson (build: (padding: string) => unknown, targetBytes: number): { padding: string, bytes: number } {
  const bare = JSON.stringify(build('')).length
  const padding = 'x'.repeat(Math.max(0, targetBytes - bare))
  return { padding, bytes: JSON.stringify(build(padding)).length }
}

async function runPairs (args: PairsArgs): Promise<LoadResult> {
  const requesters: MqttClient[] = []
  const responders: MqttClient[] = []
  const clients: MqttClient[] = []
  try {
    for (let i = 0; i < args.pairs; i++) {
      const a = await connect(args.port)
      const b = await connect(args.port)
      clients.push(a, b)
      await a.subscribeAsync(`resp/${i}`, { qos: args.qos })
      await b.subscribeAsync(`req/${i}`, { qos: args.qos })
      requesters.push(a)
      responders.push(b)
    }
    // The job is shaped like the service's: metadata with a jobType and a respondTo, and a data object.
    const job = (tag: string, padding: string): Record<string, unknown> => ({ devices: ['00000000-0000-4000-8000-000000000000'], metadata: { jobType: 'Echo', respondTo: tag }, data: { text: padding } })
    const { padding, bytes: requestBytes } = paddedJson(p => job('15.123456', p), args.payloadBytes)
    let replyBytes = 0
    const tracker = phaseTracker()
    const loop = new ClosedLoop({ lanes: args.pairs, warmupMs: args.warmupMs, measureMs: args.measureMs, replyTimeoutMs: args.replyTimeoutMs, onPhase: tracker.onPhase })
    responders.forEach((b, i) => {
      b.on('message', (_topic, payload) => {
        const request = JSON.parse(payload.toString()) as { metadata: { respondTo: string }, data: unknown }
        const reply = JSON.stringify({ topic: 'message', data: { devices: ['00000000-0000-4000-8000-000000000000'], metadata: { code: 200, status: 'OK', to: request.metadata.respondTo }, data: request.data } })
        replyBytes = reply.length
        b.publish(`resp/${i}`, reply, { qos: args.qos })
      })
    })
    requesters.forEach((a, i) => {
      a.on('message', (_topic, payload) => {
        const reply = JSON.parse(payload.toString()) as { data: { metadata: { to: string } } }
        loop.complete(i, reply.data.metadata.to)
      })
    })
    const { result, loadCpuPercent } = await measured(loop, (lane, tag) => {
      requesters[lane].publish(`req/${lane}`, JSON.stringify(job(tag, padding)), { qos: args.qos })
    }, tracker.samples)
    return { ...result, requestBytes, replyBytes, loadCpuPercent }
  } finally {
    await endAll(clients)
  }
}

interface Flow { client: MqttClient, userUuid: string, flowUuid: string, waiting: Map<string, (reply: JobReply) => void> }

async function runJobs (args: JobsArgs): Promise<LoadResult & { prepareMs: number }> {
  const jobPath = jobPathNamed(args.path)
  const flows: Flow[] = []
  try {
    for (const credentials of args.flows) {
      const client = await connect(args.port, { username: credentials.flowUuid, password: credentials.flowToken })
      await client.subscribeAsync(credentials.flowUuid, { qos: args.qos })
      flows.push({ client, userUuid: credentials.userUuid, flowUuid: credentials.flowUuid, waiting: new Map() })
    }
    let replyBytes = 0
    let onReply: (lane: number, envelope: { topic?: string, data?: JobReply }) => void = () => {}
    flows.forEach((flow, lane) => {
      flow.client.on('message', (_topic, payload) => {
        replyBytes = payload.length
        const envelope = JSON.parse(payload.toString()) as { topic?: string, data?: JobReply }
        const to = envelope.data?.metadata?.to
        const waiter = typeof to === 'string' ? flow.waiting.get(to) : undefined
        if (waiter !== undefined) { flow.waiting.delete(to as string); waiter(envelope.data as JobReply); return }
        onReply(lane, envelope)
      })
    })
    const message = (flow: Flow, jobType: string, tag: string, data: unknown): string => JSON.stringify({ devices: [flow.userUuid], metadata: { jobType, respondTo: tag }, data })

    // Set-up jobs (e.g. create the item a read path reads), one flow at a time, outside the measurement.
    const prepareStarted = performance.now()
    const states: unknown[] = []
    for (let i = 0; i < flows.length; i++) {
      const flow = flows[i]
      const send: SendJob = async (jobType, data) => {
        const tag = `prepare-${randomUUID()}`
        const reply = new Promise<JobReply>((resolve, reject) => {
          flow.waiting.set(tag, resolve)
          setTimeout(() => { if (flow.waiting.delete(tag)) reject(new Error(`no reply to ${jobType} within ${args.replyTimeoutMs} ms`)) }, args.replyTimeoutMs)
        })
        flow.client.publish('message', message(flow, jobType, tag, data), { qos: args.qos })
        return await reply
      }
      states.push(jobPath.prepare === undefined ? undefined : await jobPath.prepare(send, i))
    }
    const prepareMs = performance.now() - prepareStarted

    const sizing = paddedJson(p => ({ devices: [flows[0].userUuid], metadata: { jobType: jobPath.jobType, respondTo: '15.123456' }, data: jobPath.data(states[0], p) }), args.payloadBytes)
    const sentData = flows.map((_flow, i) => jobPath.data(states[i], sizing.padding))
    const tracker = phaseTracker()
    const loop = new ClosedLoop({ lanes: flows.length, warmupMs: args.warmupMs, measureMs: args.measureMs, replyTimeoutMs: args.replyTimeoutMs, onPhase: tracker.onPhase })
    onReply = (lane, envelope) => {
      const reply = envelope.data
      const to = reply?.metadata?.to
      if (envelope.topic !== 'message' || typeof to !== 'string') { loop.complete(lane, '', `unexpected envelope on ${flows[lane].flowUuid}: ${JSON.stringify(envelope).slice(0, 200)}`); return }
      loop.complete(lane, to, jobPath.check(reply as JobReply, states[lane], sentData[lane]))
    }
    const { result, loadCpuPercent } = await measured(loop, (lane, tag) => {
      const flow = flows[lane]
      flow.client.publish('message', message(flow, jobPath.jobType, tag, sentData[lane]), { qos: args.qos })
    }, tracker.samples)
    return { ...result, requestBytes: sizing.bytes, replyBytes, loadCpuPercent, prepareMs }
  } finally {
    await endAll(flows.map(f => f.client))
  }
}

let idleClients: MqttClient[] = []

async function connectIdle (args: { port: number, devices: Array<{ uuid: string, token: string }>, qos: 0 | 1, batch?: number }): Promise<{ connected: number, failed: number, ms: number, firstProblem?: string }> {
  const started = performance.now()
  let failed = 0
  let firstProblem: string | undefined
  const batch = args.batch ?? 50
  for (let i = 0; i < args.devices.length; i += batch) {
    const settled = await Promise.allSettled(args.devices.slice(i, i + batch).map(async device => {
      const client = await connect(args.port, { username: device.uuid, password: device.token })
      idleClients.push(client)
      await client.subscribeAsync(device.uuid, { qos: args.qos })
    }))
    for (const s of settled) if (s.status === 'rejected') { failed++; firstProblem ??= String(s.reason) }
  }
  return { connected: args.devices.length - failed, failed, ms: performance.now() - started, firstProblem }
}

serveCommands({
  pairs: runPairs,
  jobs: runJobs,
  'connect-idle': connectIdle,
  async 'disconnect-idle' () {
    const clients = idleClients
    idleClients = []
    await endAll(clients)
    return clients.length
  },
  async stop () {
    await endAll(idleClients)
    setImmediate(() => process.exit(0))
  },
})
sendEvent({ event: 'ready', info: { pid: process.pid } })
