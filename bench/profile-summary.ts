// Reads a V8 .cpuprofile (from `npm run bench -- --profile DIR`, or node --cpu-prof) and prints where the time
// went: the top functions by self time, the top by inclusive time, and self time per package / source file.
// Usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top 25] [--focus FUNCTION_NAME]
import fs from 'node:fs'
import path from 'node:path'

interface CallFrame { functionName: string, url: string, lineNumber: number, columnNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, children?: number[] }
interface CpuProfile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

export interface ProfileLine { name: string, ms: number, percent: number }
export interface ProfileSummary { totalMs: number, idleMs: number, self: ProfileLine[], inclusive: ProfileLine[], byModule: ProfileLine[] }

function where (frame: CallFrame): string {
  if (frame.url === '') return ''
  const url = frame.url.replace(/^file:\/\//, '')
  const nm = url.lastIndexOf('node_modules/')
  const short = nm >= 0 ? url.slice(nm + 'node_modules/'.length) : path.relative(process.cwd(), url)
  return `${short}:${frame.lineNumber + 1}`
}

function moduleOf (frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '')
  if (url === '') return frame.functionName === '(garbage collector)' ? '(gc)' : frame.functionName.startsWith('(') ? frame.functionName : '(native)'
  if (url.startsWith('node:')) return url
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  return path.relative(process.cwd(), url)
}

const keyOf = (frame: CallFrame): string => `${frame.functionName || '(anonymous)'} ${where(frame)}`.trim()

/** Inside the calls of one function (by name): where its time goes, by inclusive time of what it calls. */
export function focusProfile (profile: CpuProfile, functionName: string, top = 25): { totalMs: number, calls: ProfileLine[] } {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const selfUs = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
  const inclusive = new Map<string, number>()
  let focusUs = 0
  const active = new Map<string, number>()
  const walk = (node: ProfileNode, inside: boolean): number => {
    const isFocus = !inside && node.callFrame.functionName === functionName
    const within = inside || isFocus
    const key = keyOf(node.callFrame)
    if (within) active.set(key, (active.get(key) ?? 0) + 1)
    let total = selfUs.get(node.id) ?? 0
    for (const child of node.children ?? []) total += walk(byId.get(child) as ProfileNode, within)
    if (within) {
      active.set(key, (active.get(key) as number) - 1)
      if (active.get(key) === 0) inclusive.set(key, (inclusive.get(key) ?? 0) + total)
    }
    if (isFocus) focusUs += total
    return total
  }
  walk(profile.nodes[0], false)
  const calls = [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: focusUs > 0 ? us / focusUs * 100 : 0 }))
  return { totalMs: focusUs / 1000, calls }
}

export function summarizeProfile (profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const selfUs = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta)
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const self = new Map<string, number>()
  const byModule = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let idleUs = 0
  const root = profile.nodes[0]
  // Inclusive time counts a function once per stack, however deeply it recurses.
  const active = new Map<string, number>()
  const visit = (node: ProfileNode): number => {
    const key = keyOf(node.callFrame)
    active.set(key, (active.get(key) ?? 0) + 1)
    let total = selfUs.get(node.id) ?? 0
    if (total > 0) {
      if (node.callFrame.functionName === '(idle)') idleUs += total
      self.set(key, (self.get(key) ?? 0) + total)
      const mod = moduleOf(node.callFrame)
      byModule.set(mod, (byModule.get(mod) ?? 0) + total)
    }
    for (const child of node.children ?? []) total += visit(byId.get(child) as ProfileNode)
    active.set(key, (active.get(key) as number) - 1)
    if (active.get(key) === 0) inclusive.set(key, (inclusive.get(key) ?? 0) + total)
    return total
  }
  visit(root)
  const busyUs = totalUs - idleUs
  const lines = (map: Map<string, number>, skip: (name: string) => boolean): ProfileLine[] => [...map.entries()]
    .filter(([name]) => !skip(name))
    .sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: busyUs > 0 ? us / busyUs * 100 : 0 }))
  const meta = (name: string): boolean => name.startsWith('(root)') || name.startsWith('(idle)') || name.startsWith('(program)')
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    self: lines(self, name => name.startsWith('(idle)')),
    inclusive: lines(inclusive, meta),
    byModule: lines(byModule, name => name === '(idle)'),
  }
}

function printLines (title: string, lines: ProfileLine[]): void {
  console.log(`\n${title}`)
  for (const line of lines) console.log(`${line.percent.toFixed(1).padStart(6)} %  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]).endsWith('profile-summary.ts')) {
  const file = process.argv[2]
  if (file === undefined) { console.error('usage: profile-summary.ts FILE.cpuprofile [--top N] [--focus FUNCTION_NAME]'); process.exit(2) }
  const topIndex = process.argv.indexOf('--top')
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile
  const focusIndex = process.argv.indexOf('--focus')
  if (focusIndex > 0) {
    const name = process.argv[focusIndex + 1]
    const focus = focusProfile(profile, name, top)
    console.log(`${file}: ${focus.totalMs.toFixed(0)} ms inside ${name}; percentages are of that time`)
    printLines(`inclusive time of what ${name} calls`, focus.calls)
    process.exit(0)
  }
  const summary = summarizeProfile(profile, top)
  console.log(`${file}: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.idleMs.toFixed(0)} ms idle; percentages are of the busy time`)
  printLines('self time by package / file', summary.byModule)
  printLines('self time by function', summary.self)
  printLines('inclusive time by function', summary.inclusive)
}
