import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'
import { startTestService, temporaryDataDir } from '../support/test-service.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const writer = path.resolve(here, '../support/crash-writer.ts')
const KILLS = Number(process.env.CRASH_KILLS ?? 20)

interface Ack { uuid: string, token: string, sessionToken: string, watcher: string }

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
    const service = await startTestService({ dataDir })
    try {
      const missing: string[] = []
      for (const ack of acknowledged) {
        const device = service.bus.registry.get(ack.uuid)
        const ok = device?.written === true &&
          await service.bus.authenticate(ack.uuid, ack.token) &&
          await service.bus.authenticate(ack.uuid, ack.sessionToken) &&
          service.bus.subscriptions.has({ subscriberUuid: ack.uuid, emitterUuid: ack.watcher, type: 'broadcast.sent' })
        if (!ok) missing.push(ack.uuid)
      }
      console.log(`crash durability: ${KILLS} kills survived, ${acknowledged.length} acknowledged writes checked, ${missing.length} missing`)
      expect(missing).toEqual([])
    } finally {
      await service.stop()
    }
  }, 900_000)
})
