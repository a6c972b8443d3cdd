// `endo-vault job <JobType> --data file --auth device.json`: sends a job as a device over MQTT,
// prints the reply as YAML, exits non-zero on a 4xx/5xx reply.
import fs from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import mqtt from 'mqtt'
import YAML from 'yaml'

interface AuthFile { uuid: string, token: string, userUuid?: string, hostname?: string, mqttPort?: number }
export interface JobOptions { auth: string, data?: string, to?: string, timeout: string }

export async function jobCommand (jobType: string, options: JobOptions): Promise<void> {
  const auth = JSON.parse(await fs.readFile(options.auth, 'utf8')) as AuthFile
  const data = options.data === undefined ? {} : YAML.parse(await fs.readFile(options.data, 'utf8'))
  const to = options.to ?? auth.userUuid
  if (to === undefined) throw new Error('say which user device gets the job: --to <uuid> or userUuid in the auth file')
  const client = await mqtt.connectAsync(`mqtt://${auth.hostname ?? '127.0.0.1'}:${auth.mqttPort ?? 1883}`, { username: auth.uuid, password: auth.token, reconnectPeriod: 0 })
  // mqtt.js leaves Nagle on; without this a reply's PUBACK can hold the next request ~40 ms.
  ;(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
  const respondTo = randomUUID()
  try {
    await client.subscribeAsync(auth.uuid, { qos: 1 })
    const reply = new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within ${options.timeout} ms`)), Number(options.timeout))
      client.on('message', (_topic, payload) => {
        const envelope = JSON.parse(payload.toString())
        if (envelope.topic === 'message' && envelope.data?.metadata?.to === respondTo) { clearTimeout(timer); resolve(envelope.data) }
        if (envelope.topic === 'error') { clearTimeout(timer); reject(new Error(envelope.data?.message ?? 'error')) }
      })
    })
    await client.publishAsync('message', JSON.stringify({ devices: [to], metadata: { jobType, respondTo }, data }), { qos: 1 })
    const message = await reply
    process.stdout.write(YAML.stringify({ metadata: message.metadata, data: message.data }))
    if (typeof message.metadata?.code === 'number' && message.metadata.code >= 400) process.exitCode = 1
  } finally {
    await client.endAsync()
  }
}
