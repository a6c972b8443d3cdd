import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'
import fs from 'node:fs'
import { startTestService, temporaryDataDir } from '../support/test-service.js'
import { connectDevice, type MqttDevice } from '../support/mqtt-device.js'
import type { CrashState } from '../support/crash-writer.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const writer = path.resolve(here, '../support/crash-writer.ts')
const KILLS = Number(process.env.CRASH_KILLS ?? 20)

type Ack = { kind: 'device', uuid: string, token: string, sessionToken: string } | { kind: 'item' | 'share', id: string, plate: string }

/** Runs the writer until it has acknowledged some writes, then SIGKILLs it at a random moment. */
function runAndKill (dataDir: string): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer], { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] })
    const acks: Ack[] = []
    let buffer = ''
    let timer: NodeJS.Timeout | undefined
    child.stdout.on('data', chunk => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) {
        const entry = JSON.parse(line)
        if (entry.ready === true) timer = setTimeout(() => child.kill('SIGKILL'), 50 + Math.random() * 400)
        else acks.push(entry)
      }
    })
    child.on('exit', (_code, signal) => { clearTimeout(timer); signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer exited without being killed (${String(signal)})`)) })
  })
}

describe('a service killed with SIGKILL under write load', () => {
  it(`keeps every acknowledged write across ${KILLS} kills and its database passes an integrity check`, async () => {
    const dataDir = temporaryDataDir()
    const acknowledged: Ack[] = []
    for (let i = 0; i < KILLS; i++) {
      acknowledged.push(...await runAndKill(dataDir))
      const db = new SQLite(path.join(dataDir, 'endo-vault.db'))
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    }
    expect(acknowledged.length).toBeGreaterThan(KILLS)
    const service = await startTestService({ dataDir, vault: { connectionKeyBits: 2048 } })
    try {
      const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'crash-state.json'), 'utf8')) as CrashState
      const alice = await connectDevice(service.mqttPort, state.alice.flow.uuid, state.alice.flow.token)
      const bob = await connectDevice(service.mqttPort, state.bob.flow.uuid, state.bob.flow.token)
      const plateOf = async (flow: MqttDevice, userUuid: string, jobType: string, data: unknown): Promise<string | undefined> => {
        const respondTo = `check-${Math.random()}`
        await flow.client.publishAsync('message', JSON.stringify({ devices: [userUuid], metadata: { jobType, respondTo }, data }), { qos: 1 })
        const reply = await flow.next(e => e.data?.metadata?.to === respondTo, 20000)
        return reply.data.data?.item?.slots?.find((slot: { name: string }) => slot.name === 'licence_plate')?.value
      }
      const missing: string[] = []
      for (const ack of acknowledged) {
        if (ack.kind === 'device') {
          const device = (await service.bus.registry.get(ack.uuid))
          const ok = device?.written === true &&
            await service.bus.authenticate(ack.uuid, ack.token) &&
            await service.bus.authenticate(ack.uuid, ack.sessionToken) &&
            (await service.bus.subscriptions.list(ack.uuid)).some(s => s.emitterUuid === state.watcher && s.type === 'broadcast.sent')
          if (!ok) missing.push(`device ${ack.uuid}`)
        } else if (ack.kind === 'item') {
          if (await plateOf(alice, state.alice.userUuid, 'GetItem', { item_id: ack.id }) !== ack.plate) missing.push(`item ${ack.id}`)
        } else if (await plateOf(bob, state.bob.userUuid, 'GetIncomingShare', { share_id: ack.id }) !== ack.plate) missing.push(`share ${ack.id}`)
      }
      await alice.end(); await bob.end()
      const count = (kind: string): number => acknowledged.filter(a => a.kind === kind).length
      console.log(`crash durability: ${KILLS} kills survived; acknowledged writes checked: ${count('device')} devices, ${count('item')} items, ${count('share')} shares; ${missing.length} missing`)
      expect(missing).toEqual([])
    } finally {
      await service.stop()
    }
  }, 900_000)
})
