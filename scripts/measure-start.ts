// Warm start: milliseconds from spawning `endo-vault start` to its "endo-vault listening" log line, on a data
// directory that an earlier start already created (the first start makes the keys and the service device; every
// start after it is the one an operator waits for). Each root is started once to create its data directory, then
// the roots take turns, so a machine that drifts slower during the call slows each of them alike.
//   node --import tsx scripts/measure-start.ts [--runs 15] [root ...]   (default root: this clone)
// Each root must hold a fresh build (`npm run build`); its bin/endo-vault.js is what is started.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const LISTENING = 'endo-vault listening'
const TIMEOUT_MS = 30_000

interface Options { runs: number, roots: string[] }

function parseArguments (args: string[]): Options {
  let runs = 15
  const roots: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i])
    else roots.push(path.resolve(args[i]))
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer')
  if (roots.length === 0) roots.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'))
  return { runs, roots }
}

/** One start: ms until the listening line, then SIGTERM and wait for the exit (so starts never overlap). */
async function timedStart (root: string, dataDir: string): Promise<number> {
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, [path.join(root, 'bin/endo-vault.js'), 'start'], {
    cwd: root,
    // port 0: several roots and other work on this machine never collide on a port
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', MQTT_PORT: '0', PORT: '0', LOG_LEVEL: 'info', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  let output = ''
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${root}: no listening line in ${TIMEOUT_MS} ms:\n${output}`)), TIMEOUT_MS)
      const read = (chunk: Buffer): void => {
        output += chunk.toString()
        if (!output.includes(LISTENING)) return
        clearTimeout(timer)
        resolve(Number(process.hrtime.bigint() - started) / 1e6)
      }
      child.stdout.on('data', read)
      child.stderr.on('data', read)
      child.once('exit', code => { clearTimeout(timer); reject(new Error(`${root}: exited with ${String(code)} before listening:\n${output}`)) })
    })
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const { runs, roots } = parseArguments(process.argv.slice(2))
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-start-'))
try {
  const dataDirs = roots.map((_, i) => path.join(scratch, `data-${i}`))
  // the first start creates the data directory (keys, service device); it is not counted
  for (const [i, root] of roots.entries()) await timedStart(root, dataDirs[i])
  const times: number[][] = roots.map(() => [])
  for (let run = 0; run < runs; run++) {
    for (const [i, root] of roots.entries()) times[i].push(await timedStart(root, dataDirs[i]))
  }
  for (const [i, root] of roots.entries()) {
    const ms = times[i]
    console.log(`${root}: warm start to listening, ${runs} runs: min ${Math.min(...ms).toFixed(0)} ms, median ${median(ms).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms`)
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true })
}
