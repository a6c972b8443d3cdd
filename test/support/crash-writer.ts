// Child process for the crash-durability test: starts the service on DATA_DIR and writes as fast as it
// can — device registrations (with a session token, a subscription and an update), vault items and
// shares through the job path — printing one JSON line per write only after it was acknowledged.
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { startService } from '../../src/core/service/start-service.js'
import { createLogger } from '../../src/core/log.js'
import { connectDevice, type MqttDevice } from './mqtt-device.js'

export interface CrashPerson { credentialsUuid: string, userUuid: string, flow: { uuid: string, token: string } }
export interface CrashState { watcher: string, alice: CrashPerson, bob: CrashPerson, aliceToBob: string }

const dataDir = process.env.DATA_DIR as string
const stateFile = path.join(dataDir, 'crash-state.json')
const service = await startService({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, logLevel: 'silent', vault: { connectionKeyBits: 2048, keyPoolSize: 0 } }, { logger: createLogger({ level: 'silent' }) })

async function job (flow: MqttDevice, userUuid: string, jobType: string, data: unknown): Promise<any> {
  const respondTo = randomUUID()
  await flow.client.publishAsync('message', JSON.stringify({ devices: [userUuid], metadata: { jobType, respondTo }, data }), { qos: 1 })
  const reply = await flow.next(e => e.data?.metadata?.to === respondTo, 20000)
  if (reply.data.metadata.code >= 300) throw new Error(`${jobType}: ${JSON.stringify(reply.data.metadata)}`)
  return reply.data.data
}

async function person (name: string): Promise<CrashPerson> {
  const { credentialsUuid } = await service.endo.onboarding.upsertCredentialsDevice({ provider: 'crash', accountId: name, username: name, tokens: {} })
  const flow = await service.bus.register({ type: 'flow' })
  const user = await service.endo.onboarding.createUserDevice(credentialsUuid, { flows: [flow.device.uuid] })
  return { credentialsUuid, userUuid: user.uuid, flow: { uuid: flow.device.uuid, token: flow.token } }
}

let state: CrashState
if (fs.existsSync(stateFile)) {
  state = JSON.parse(fs.readFileSync(stateFile, 'utf8'))
} else {
  const [alice, bob] = [await person('alice'), await person('bob')]
  const [a, b] = [await connectDevice(service.mqttPort, alice.flow.uuid, alice.flow.token), await connectDevice(service.mqttPort, bob.flow.uuid, bob.flow.token)]
  const { token } = await job(a, alice.userUuid, 'CreateInvitation', { name: 'Bob' })
  await job(b, bob.userUuid, 'AcceptInvitation', { token, name: 'Alice' })
  const { connections } = await job(a, alice.userUuid, 'ListConnections', {})
  const watcher = (await service.bus.register({ type: 'watcher' })).device.uuid
  state = { watcher, alice, bob, aliceToBob: connections[0].id }
  fs.writeFileSync(stateFile + '.tmp', JSON.stringify(state))
  fs.renameSync(stateFile + '.tmp', stateFile)
  await a.end(); await b.end()
}
const alice = await connectDevice(service.mqttPort, state.alice.flow.uuid, state.alice.flow.token)
process.stdout.write(JSON.stringify({ ready: true }) + '\n')

for (let n = 0; ; n++) {
  const { device, token } = await service.bus.register({ type: 'crash-test', payload: 'x'.repeat(200) })
  await service.bus.createSubscription({ uuid: device.uuid }, { subscriberUuid: device.uuid, emitterUuid: state.watcher, type: 'broadcast.sent' })
  const session = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, { tag: 'crash' })
  await service.bus.update({ uuid: device.uuid }, device.uuid, { $set: { written: true } })
  process.stdout.write(JSON.stringify({ kind: 'device', uuid: device.uuid, token, sessionToken: session.token }) + '\n')
  if (n % 3 !== 0) continue
  const plate = `PLATE-${randomUUID().slice(0, 8)}`
  const { item } = await job(alice, state.alice.userUuid, 'CreateItem', { template_name: 'vehicle', label: 'crash car', slots: [{ name: 'licence_plate', value: plate }] })
  process.stdout.write(JSON.stringify({ kind: 'item', id: item.id, plate }) + '\n')
  const { share } = await job(alice, state.alice.userUuid, 'ShareItem', { item_id: item.id, connection_id: state.aliceToBob })
  process.stdout.write(JSON.stringify({ kind: 'share', id: share.id, plate }) + '\n')
}
