// Reads a V8 profile of the service and prints where the cost went: the top functions by self cost, the top by
// inclusive cost, and self cost per package / source file. A .cpuprofile (`npm run bench -- --profile DIR`, or
// node --cpu-prof) is weighed in milliseconds; a .heapprofile (`--allocations DIR`) in bytes allocated, garbage
// included, which is what the garbage collector has to work through.
// Usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile|FILE.heapprofile [--top 25] [--focus FUNCTION_NAME]
import fs from 'node:fs'
import path from 'node:path'

interface CallFrame { functionName: string, url: string, lineNumber: number, columnNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, children?: number[] }
interface CpuProfile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }
interface HeapNode { id: number, callFrame: CallFrame, selfSize: number, children: HeapNode[] }
interface HeapProfile { head: HeapNode }

/** A call tree with a self cost per node: the common shape of both profiles. */
interface WeighedTree { nodes: ProfileNode[], self: Map<number, number>, unit: 'ms' | 'KB', perUnit: number }

export interface ProfileLine { name: string, value: number, percent: number }
export interface ProfileSummary { unit: 'ms' | 'KB', total: number, idle: number, self: ProfileLine[], inclusive: ProfileLine[], byModule: ProfileLine[] }

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

function weighCpu (profile: CpuProfile): WeighedTree {
  const self = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
  return { nodes: profile.nodes, self, unit: 'ms', perUnit: 1000 }
}

function weighHeap (profile: HeapProfile): WeighedTree {
  const nodes: ProfileNode[] = []
  const self = new Map<number, number>()
  const flatten = (node: HeapNode): void => {
    nodes.push({ id: node.id, callFrame: node.callFrame, children: node.children.map(child => child.id) })
    if (node.selfSize > 0) self.set(node.id, node.selfSize)
    for (const child of node.children) flatten(child)
  }
  flatten(profile.head)
  return { nodes, self, unit: 'KB', perUnit: 1024 }
}

export function weighProfile (profile: CpuProfile | HeapProfile): WeighedTree {
  return 'head' in profile ? weighHeap(profile) : weighCpu(profile)
}

/**
 * Walks the tree from its root; `onNode` sees each node with its inclusive cost and whether this is the outermost
 * frame of its function on the stack (so a recursive function's cost counts once).
 */
function walk (tree: WeighedTree, onNode: (node: ProfileNode, inclusive: number, outermost: boolean, inside: boolean) => void, enters?: (node: ProfileNode) => boolean): void {
  const byId = new Map(tree.nodes.map(n => [n.id, n]))
  const depth = new Map<string, number>()
  const visit = (node: ProfileNode, inside: boolean): number => {
    const within = inside || (enters?.(node) ?? false)
    const key = keyOf(node.callFrame)
    depth.set(key, (depth.get(key) ?? 0) + 1)
    let total = tree.self.get(node.id) ?? 0
    for (const child of node.children ?? []) total += visit(byId.get(child) as ProfileNode, within)
    depth.set(key, (depth.get(key) as number) - 1)
    onNode(node, total, depth.get(key) === 0, within)
    return total
  }
  visit(tree.nodes[0], false)
}

function topLines (map: Map<string, number>, tree: WeighedTree, whole: number, top: number, skip: (name: string) => boolean = () => false): ProfileLine[] {
  return [...map.entries()].filter(([name]) => !skip(name)).sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, raw]) => ({ name, value: raw / tree.perUnit, percent: whole > 0 ? raw / whole * 100 : 0 }))
}

const add = (map: Map<string, number>, key: string, value: number): void => { map.set(key, (map.get(key) ?? 0) + value) }

/** Inside the calls of one function (by name): where its cost goes, by inclusive cost of what it calls. */
export function focusProfile (tree: WeighedTree, functionName: string, top = 25): { total: number, calls: ProfileLine[] } {
  const inclusive = new Map<string, number>()
  let focus = 0
  walk(tree, (node, total, outermost, inside) => {
    if (!inside) return
    if (outermost) add(inclusive, keyOf(node.callFrame), total)
    if (node.callFrame.functionName === functionName && outermost) focus += total
  }, node => node.callFrame.functionName === functionName)
  return { total: focus / tree.perUnit, calls: topLines(inclusive, tree, focus, top) }
}

export function summarizeProfile (tree: WeighedTree, top = 25): ProfileSummary {
  const self = new Map<string, number>()
  const byModule = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let total = 0
  let idle = 0
  walk(tree, (node, inclusiveCost, outermost) => {
    const own = tree.self.get(node.id) ?? 0
    const key = keyOf(node.callFrame)
    if (own > 0) {
      total += own
      if (node.callFrame.functionName === '(idle)') idle += own
      add(self, key, own)
      add(byModule, moduleOf(node.callFrame), own)
    }
    if (outermost) add(inclusive, key, inclusiveCost)
  })
  const busy = total - idle
  const meta = (name: string): boolean => name.startsWith('(root)') || name.startsWith('(idle)') || name.startsWith('(program)')
  return {
    unit: tree.unit,
    total: total / tree.perUnit,
    idle: idle / tree.perUnit,
    self: topLines(self, tree, busy, top, name => name.startsWith('(idle)')),
    inclusive: topLines(inclusive, tree, busy, top, meta),
    byModule: topLines(byModule, tree, busy, top, name => name === '(idle)'),
  }
}

function printLines (title: string, unit: string, lines: ProfileLine[]): void {
  console.log(`\n${title}`)
  for (const line of lines) console.log(`${line.percent.toFixed(1).padStart(6)} %  ${line.value.toFixed(0).padStart(8)} ${unit}  ${line.name}`)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]).endsWith('profile-summary.ts')) {
  const file = process.argv[2]
  if (file === undefined) { console.error('usage: profile-summary.ts FILE.cpuprofile|FILE.heapprofile [--top N] [--focus FUNCTION_NAME]'); process.exit(2) }
  const topIndex = process.argv.indexOf('--top')
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25
  const tree = weighProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile | HeapProfile)
  const cost = tree.unit === 'ms' ? 'time' : 'allocated bytes'
  const focusIndex = process.argv.indexOf('--focus')
  if (focusIndex > 0) {
    const name = process.argv[focusIndex + 1]
    const focus = focusProfile(tree, name, top)
    console.log(`${file}: ${focus.total.toFixed(0)} ${tree.unit} inside ${name}; percentages are of that`)
    printLines(`inclusive ${cost} of what ${name} calls`, tree.unit, focus.calls)
    process.exit(0)
  }
  const summary = summarizeProfile(tree, top)
  console.log(tree.unit === 'ms'
    ? `${file}: ${summary.total.toFixed(0)} ms sampled, ${summary.idle.toFixed(0)} ms idle; percentages are of the busy time`
    : `${file}: ${(summary.total / 1024).toFixed(1)} MB allocated (sampled estimate, garbage included)`)
  printLines(`self ${cost} by package / file`, tree.unit, summary.byModule)
  printLines(`self ${cost} by function`, tree.unit, summary.self)
  printLines(`inclusive ${cost} by function`, tree.unit, summary.inclusive)
}
