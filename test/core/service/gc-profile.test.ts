import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { LEAN_GC_FLAGS, resolveGcProfile } from '../../../src/core/service/gc-profile.js'

const run = promisify(execFile)
const churn = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gc-churn.fixture.ts')

interface ChurnResult { applied: { profile: string, flags: string[] }, mainTicks: number, otherTicks: number }

async function churnWith (profile: string, cores: number): Promise<ChurnResult> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', churn, profile, String(cores)])
  return JSON.parse(stdout) as ChurnResult
}

describe('GC profile', () => {
  test('auto is lean on two cores or fewer and V8\'s defaults above', () => {
    expect(resolveGcProfile('auto', 1)).toBe('lean')
    expect(resolveGcProfile('auto', 2)).toBe('lean')
    expect(resolveGcProfile('auto', 8)).toBe('parallel')
    expect(resolveGcProfile('lean', 8)).toBe('lean')
    expect(resolveGcProfile('parallel', 2)).toBe('parallel')
  })

  // Set while the process runs: collections (minor, full, ArrayBuffer sweeps) keep working, and they no longer
  // put work on helper threads. Linux only (/proc).
  const onLinux = process.platform === 'linux' ? test : test.skip
  onLinux('lean set at run time keeps minor collections and ArrayBuffer sweeping on the main thread', async () => {
    const lean = await churnWith('lean', 2)
    const parallel = await churnWith('parallel', 2)
    expect(lean.applied).toEqual({ profile: 'lean', flags: [...LEAN_GC_FLAGS] })
    expect(parallel.applied).toEqual({ profile: 'parallel', flags: [] })
    expect(lean.mainTicks).toBeGreaterThan(20)
    // what remains on other threads is compilation and the full collection's concurrent marking
    expect(lean.otherTicks / lean.mainTicks).toBeLessThan(0.1)
    // the same churn with V8's defaults puts work on helpers (how much depends on how busy the machine is: 23–84
    // ticks against lean's 2–9 in the runs measured)
    expect(parallel.otherTicks).toBeGreaterThan(lean.otherTicks)
  }, 60_000)
})
