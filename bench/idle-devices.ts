// Idle memory: a fresh service process (no persons), N plain devices registered, then connected and subscribed
// to their own topic by the load generator; the service's RSS is sampled before and after they connect.
// `connectIdleDevices` (register + connect, left connected) is shared with the soak (bench/soak.ts).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ChildLink } from './child-link.js'
import type { BenchOptions } from './bench-options.js'
import type { IdleDevicesResult } from './bench-report.js'
import type { ServiceReadyInfo } from './service-process.js'

const MB = 1024 * 1024
const SERVICE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'service-process.ts')

export interface IdleConnectResult { connected: number, failed: number, ms: number, firstProblem?: string }

/** Registers `count` plain devices in the service, then has the load generator connect each and subscribe it to its own topic (QoS 1). They stay connected until `disconnect-idle`. */
export async function connectIdleDevices (load: ChildLink, service: ChildLink, count: number): Promise<IdleConnectResult> {
  const devices = await service.request<Array<{ uuid: string, token: string }>>('register-devices', { count })
  return await load.request<IdleConnectResult>('connect-idle', { port: (service.info as ServiceReadyInfo).mqttPort, devices, qos: 1 })
}

export async function idleDevices (load: ChildLink, options: BenchOptions): Promise<IdleDevicesResult> {
  const service = await ChildLink.start('service (idle devices)', SERVICE_SCRIPT, { args: ['--persons', '0'] })
  try {
    const settle = async (): Promise<void> => await new Promise(resolve => setTimeout(resolve, options.quick ? 300 : 3000))
    await settle()
    const started = await service.sample()
    const devices = await service.request<Array<{ uuid: string, token: string }>>('register-devices', { count: options.devices })
    await settle()
    const registered = await service.sample()
    const connect = await load.request<IdleConnectResult>('connect-idle', { port: (service.info as ServiceReadyInfo).mqttPort, devices, qos: 1 })
    await settle()
    const connected = await service.sample()
    await load.request('disconnect-idle')
    return {
      devices: options.devices,
      connected: connect.connected,
      failed: connect.failed,
      connectMs: connect.ms,
      rssMB: { started: started.rssBytes / MB, registered: registered.rssBytes / MB, connected: connected.rssBytes / MB },
      heapUsedMB: { started: started.heapUsedBytes / MB, registered: registered.heapUsedBytes / MB, connected: connected.heapUsedBytes / MB },
      kbPerConnection: (connected.rssBytes - registered.rssBytes) / 1024 / Math.max(1, connect.connected),
      problem: connect.firstProblem,
    }
  } finally {
    await service.stop()
  }
}
