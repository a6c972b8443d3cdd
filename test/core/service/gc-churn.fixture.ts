// Child process for gc-profile.test.ts: applies the GC profile given as argv[2], then allocates the way a job
// does (short-lived objects and native buffers from AES-GCM), with a forced full collection in between, and prints
// how many CPU ticks the main thread and the other threads used meanwhile.
import { createCipheriv, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { applyGcProfile, type GcProfile } from '../../../src/core/service/gc-profile.js'

function ticksOf (task: string): number {
  const fields = fs.readFileSync(`/proc/${process.pid}/task/${task}/stat`, 'utf8').split(') ')[1].split(' ')
  return Number(fields[11]) + Number(fields[12])
}
function ticks (): { main: number, others: number } {
  const tasks = fs.readdirSync(`/proc/${process.pid}/task`)
  const main = ticksOf(String(process.pid))
  return { main, others: tasks.filter(t => t !== String(process.pid)).reduce((sum, t) => sum + ticksOf(t), 0) }
}

const applied = applyGcProfile(process.argv[2] as GcProfile, Number(process.argv[3]))
const key = randomBytes(32)
const before = ticks()
let live: unknown[] = []
for (let i = 0; i < 200_000; i++) {
  const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12))
  live.push({ i, sealed: cipher.update(Buffer.alloc(300)), text: `job ${i}`.repeat(i % 20) })
  if (live.length > 2000) live = []
  if (i === 100_000) (globalThis as { gc?: () => void }).gc?.()
}

const after = ticks()
process.stdout.write(JSON.stringify({ applied, mainTicks: after.main - before.main, otherTicks: after.others - before.others }))
