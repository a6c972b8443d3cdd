// Command-line options of `npm run bench` (bench/run.ts). Full mode: 2 s warm-up, 10 s measured per
// scenario, 5 vault-keys cycles, 1,000 idle devices. `--quick` (CI): short windows, no vault-keys cycle (each
// generates two RSA-4096 key pairs, seconds of work), 100 idle devices, ≤ 30 s in all.
import { optionReader } from './cli.js'

export const SECTIONS = ['host', 'baseline', 'jobs', 'decrypt', 'devices'] as const
export type Section = typeof SECTIONS[number]

export interface BenchOptions {
  quick: boolean
  warmupMs: number
  measureMs: number
  replyTimeoutMs: number
  /** Reply timeout of each job of a cycle: one may wait for an RSA-4096 key pair generated on demand (seconds). */
  cycleReplyTimeoutMs: number
  /** Concurrent flows (or broker pairs) of each scenario. */
  flows: number[]
  /** Approximate size of each request's JSON (the issue's ~300-byte job). */
  payloadBytes: number
  /** Connected devices of the idle-memory scenario. */
  devices: number
  /** invite+accept+delete cycles of the vault-keys scenario (one lane); 0 skips it. */
  vaultCycles: number
  sections: Section[]
  /** Job paths to run (names from bench/job-paths.ts); all present ones when empty. */
  paths: string[]
  /** Where to write the JSON results; undefined = do not write. */
  out?: string
  /** Write a CPU profile of the service for each job scenario into this directory. */
  profileDir?: string
  /** Write an allocation profile (sampled, collected objects included) of the service for each job scenario. */
  allocationsDir?: string
}

export const USAGE = `usage: npm run bench -- [options]
  --quick               CI mode: 0.3 s warm-up, 1 s measured, 100 idle devices; exits 1 only on a lost reply or an error
  --warmup S            warm-up seconds per scenario (full: 2)
  --measure S           measured seconds per scenario (full: 10)
  --flows 1,16          concurrent flows / pairs
  --devices N           connected devices for the idle-memory scenario (full: 1000)
  --vault-cycles N      invite+accept+delete cycles with RSA-4096 keys in the vault-keys scenario (full: 5, quick: 0 = skipped)
  --only LIST           sections: host,baseline,jobs,decrypt,devices (default all)
  --paths LIST          job paths: echo,get-item,vault-keys (default: every path whose job folders exist)
  --out FILE            results file (full default: bench/results.json; quick: none)
  --no-write            do not write a results file
  --profile DIR         write a CPU profile (.cpuprofile) of the service during each job scenario
  --allocations DIR     write an allocation profile (.heapprofile, garbage included) of the service during each job scenario
`

function listOf (value: string | undefined): string[] {
  return (value ?? '').split(',').map(s => s.trim()).filter(Boolean)
}

export function parseBenchOptions (argv: string[]): BenchOptions {
  const value = optionReader(argv, ['--quick', '--warmup', '--measure', '--flows', '--devices', '--vault-cycles', '--only', '--paths', '--out', '--no-write', '--profile', '--allocations', '--help'], USAGE)
  const quick = argv.includes('--quick')
  if (argv.includes('--profile') && argv.includes('--allocations')) throw new Error('--profile and --allocations each distort the other; give one')
  const seconds = (flag: string, fallback: number): number => {
    const raw = value(flag)
    const n = raw === undefined ? fallback : Number(raw)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number of seconds`)
    return Math.round(n * 1000)
  }
  const sections = listOf(value('--only'))
  for (const s of sections) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`)
  const flows = listOf(value('--flows')).map(Number)
  if (flows.some(n => !Number.isInteger(n) || n < 1)) throw new Error('--flows must be positive integers')
  const devices = Number(value('--devices') ?? (quick ? 100 : 1000))
  if (!Number.isInteger(devices) || devices < 0) throw new Error('--devices must be a whole number')
  const vaultCycles = Number(value('--vault-cycles') ?? (quick ? 0 : 5))
  if (!Number.isInteger(vaultCycles) || vaultCycles < 0) throw new Error('--vault-cycles must be a whole number')
  return {
    quick,
    warmupMs: seconds('--warmup', quick ? 0.3 : 2),
    measureMs: seconds('--measure', quick ? 1 : 10),
    replyTimeoutMs: 5000,
    cycleReplyTimeoutMs: 60000,
    flows: flows.length > 0 ? flows : [1, 16],
    payloadBytes: 300,
    devices,
    vaultCycles,
    sections: sections.length > 0 ? sections as Section[] : [...SECTIONS],
    paths: listOf(value('--paths')),
    out: argv.includes('--no-write') ? undefined : (value('--out') ?? (quick ? undefined : 'bench/results.json')),
    profileDir: value('--profile'),
    allocationsDir: value('--allocations'),
  }
}
