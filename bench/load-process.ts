// The load generator: mqtt.js clients in their own process, driven by the bench driver over IPC.
//   pairs        baseline: per pair, A publishes a ~300-byte JSON job on req/<i>, B parses it and answers on resp/<i>
//   jobs         flow devices send `{devices:[U], metadata:{jobType, respondTo}, data}` on `message`; U's reply
//                comes back on F's own topic as `{topic:'message', data:{metadata:{code, to}, data}}`
//   cycles       multi-step job cycles (bench/job-paths.ts JOB_CYCLES, e.g. vault-keys: invite → accept → delete),
//                a fixed number per lane, each lane driving its own flows; the whole run is the measured window
//   connect-idle N devices connect and subscribe to their own topic, then stay idle until disconnect-idle
//   idle-status  how many of them are still connected
// Every client sets TCP_NODELAY (as test/support/mqtt-device.ts does). The process runs with the service's GC
// profile (GC_PROFILE, else auto): in production the clients are on other machines, here they share the cores,
// and their GC helper threads would take the service's core (bench/README.md "GC helper threads").
import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { ClosedLoop, summarize, type ClosedLoopResult, type LatencySummary } from './closed-loop.js'
import { jobCycleNamed, jobPathNamed, type JobReply, type SendJob } from './job-paths.js'
import { sampleProcess, sendEvent, serveCommands, type ProcessSample } from './ipc-commands.js'
import { applyGcProfileOfEnvironment } from '../src/core/service/gc-profile.js'

const gc = applyGcProfileOfEnvironment()

export interface LoadTiming { warmupMs: number, measureMs: number, replyTimeoutMs: number }
export interface PairsArgs extends LoadTiming { port: number, pairs: number, qos: 0 | 1, payloadBytes: number }
export type FlowCredentials = { flowUuid: string, flowToken: string, userUuid: string }
export interface JobsArgs extends LoadTiming { port: number, path: string, flows: FlowCredentials[], qos: 0 | 1, payloadBytes: number }
/** `flows` holds `lanes × cycle.flowsPerCycle` flows; lane i drives flows[i × flowsPerCycle …]. */
export interface CyclesArgs { port: number, cycle: string, lanes: number, cyclesPerLane: number, flows: FlowCredentials[], replyTimeoutMs: number }

export interface LoadResult extends ClosedLoopResult {
  requestBytes: number
  replyBytes: number
  /** The load generator's own CPU over the measured window. */
  loadCpuPercent: number
  /** Cycles only: the latency of each job type in the cycle. */
  steps?: Record<string, LatencySummary>
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
type Envelope = { topic?: string, data?: JobReply }

/** Connects each flow device and subscribes it to its own topic; a reply whose tag a `send` waits for goes to it, any other to `other`. */
async function connectFlows (port: number, credentials: FlowCredentials[], qos: 0 | 1, other: (lane: number, envelope: Envelope, bytes: number) => void): Promise<Flow[]> {
  const flows: Flow[] = []
  try {
    for (const c of credentials) {
      const client = await connect(port, { username: c.flowUuid, password: c.flowToken })
      flows.push({ client, userUuid: c.userUuid, flowUuid: c.flowUuid, waiting: new Map() })
      await client.subscribeAsync(c.flowUuid, { qos })
    }
  } catch (error) {
    await endAll(flows.map(f => f.client))
    throw error
  }
  flows.forEach((flow, lane) => {
    flow.client.on('message', (_topic, payload) => {
      const envelope = JSON.parse(payload.toString()) as Envelope
      const to = envelope.data?.metadata?.to
      const waiter = typeof to === 'string' ? flow.waiting.get(to) : undefined
      if (waiter !== undefined) { flow.waiting.delete(to as string); waiter(envelope.data as JobReply); return }
      other(lane, envelope, payload.length)
    })
  })
  return flows
}

function jobMessage (flow: Flow, jobType: string, tag: string, data: unknown): string {
  return JSON.stringify({ devices: [flow.userUuid], metadata: { jobType, respondTo: tag }, data })
}

/** A step of a job sequence that got no reply in time (counted lost, not as an error). */
class LostReply extends Error {}

/** Sends one job as `flow` and waits for its reply (rejects after `timeoutMs`); `onSent` sees the message. */
function sender (flow: Flow, qos: 0 | 1, timeoutMs: number, onSent: (message: string) => void = () => {}): SendJob {
  return async (jobType, data) => {
    const tag = `send-${randomUUID()}`
    const reply = new Promise<JobReply>((resolve, reject) => {
      const timer = setTimeout(() => { if (flow.waiting.delete(tag)) reject(new LostReply(`no reply to ${jobType} within ${timeoutMs} ms`)) }, timeoutMs)
      flow.waiting.set(tag, value => { clearTimeout(timer); resolve(value) })
    })
    const message = jobMessage(flow, jobType, tag, data)
    onSent(message)
    flow.client.publish('message', message, { qos })
    return await reply
  }
}

async function runJobs (args: JobsArgs): Promise<LoadResult & { prepareMs: number }> {
  const jobPath = jobPathNamed(args.path)
  let replyBytes = 0
  let onReply: (lane: number, envelope: Envelope) => void = () => {}
  const flows = await connectFlows(args.port, args.flows, args.qos, (lane, envelope, bytes) => { replyBytes = bytes; onReply(lane, envelope) })
  try {
    // Set-up jobs (e.g. create the item a read path reads), one flow at a time, outside the measurement.
    const prepareStarted = performance.now()
    const states: unknown[] = []
    for (let i = 0; i < flows.length; i++) {
      states.push(jobPath.prepare === undefined ? undefined : await jobPath.prepare(sender(flows[i], args.qos, args.replyTimeoutMs), i))
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
      flow.client.publish('message', jobMessage(flow, jobPath.jobType, tag, sentData[lane]), { qos: args.qos })
    }, tracker.samples)
    return { ...result, requestBytes: sizing.bytes, replyBytes, loadCpuPercent, prepareMs }
  } finally {
    await endAll(flows.map(f => f.client))
  }
}

/**
 * Multi-step cycles: each lane runs `cyclesPerLane` cycles one after the other, all lanes at once. The measured
 * window is the whole run (measure-start before the first job, measure-end after the last reply), so every job
 * of every cycle falls inside it. A step without a reply within `replyTimeoutMs` counts as lost and ends its cycle.
 */
async function runCycles (args: CyclesArgs): Promise<LoadResult> {
  const cycle = jobCycleNamed(args.cycle)
  if (args.flows.length < args.lanes * cycle.flowsPerCycle) throw new Error(`${cycle.name} needs ${args.lanes * cycle.flowsPerCycle} flows, got ${args.flows.length}`)
  let unmatched = 0
  let replyBytes = 0
  let requestBytes = 0
  const flows = await connectFlows(args.port, args.flows.slice(0, args.lanes * cycle.flowsPerCycle), 1, () => { unmatched++ })
  try {
    const latencies: number[] = []
    const steps = new Map<string, number[]>()
    const problems: string[] = []
    let completed = 0
    let lost = 0
    let errors = 0
    let sent = 0
    const problem = (text: string): void => { if (problems.length < 5) problems.push(text) }
    const timedSender = (flow: Flow): SendJob => {
      const send = sender(flow, 1, args.replyTimeoutMs, message => { sent++; requestBytes = Math.max(requestBytes, message.length) })
      return async (jobType, data) => {
        const started = performance.now()
        const reply = await send(jobType, data)
        const list = steps.get(jobType) ?? []
        list.push(performance.now() - started)
        steps.set(jobType, list)
        replyBytes = Math.max(replyBytes, JSON.stringify(reply).length)
        return reply
      }
    }
    const tracker = phaseTracker()
    tracker.onPhase('measure-start')
    const started = performance.now()
    await Promise.all(Array.from({ length: args.lanes }, async (_unused, lane) => {
      const senders = flows.slice(lane * cycle.flowsPerCycle, (lane + 1) * cycle.flowsPerCycle).map(timedSender)
      for (let i = 0; i < args.cyclesPerLane; i++) {
        const cycleStarted = performance.now()
        try {
          const wrong = await cycle.run(senders, i)
          if (wrong !== undefined) { errors++; problem(`lane ${lane} cycle ${i}: ${wrong}`) }
          completed++
          latencies.push(performance.now() - cycleStarted)
        } catch (error) {
          if (error instanceof LostReply) lost++
          else errors++
          problem(`lane ${lane} cycle ${i}: ${(error as Error).message}`)
        }
      }
    }))
    const measuredMs = performance.now() - started
    tracker.onPhase('measure-end')
    const { start, end } = tracker.samples
    const loadCpuPercent = start === undefined || end === undefined ? NaN : (end.cpuUserMicros + end.cpuSystemMicros - start.cpuUserMicros - start.cpuSystemMicros) / 1000 / (end.at - start.at) * 100
    return {
      lanes: args.lanes,
      measuredMs,
      completed,
      perSecond: completed / (measuredMs / 1000),
      latency: summarize(latencies),
      lost,
      errors,
      unmatched,
      firstProblems: problems,
      sent,
      requestBytes,
      replyBytes,
      loadCpuPercent,
      steps: Object.fromEntries([...steps].map(([jobType, values]) => [jobType, summarize(values)])),
    }
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
  cycles: runCycles,
  'connect-idle': connectIdle,
  'idle-status' () {
    return { clients: idleClients.length, connected: idleClients.filter(c => c.connected).length }
  },
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
sendEvent({ event: 'ready', info: { pid: process.pid, gc } })
