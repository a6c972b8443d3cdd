// Whether dist/ was compiled from the src/ that is here now. The build records a hash of every source it compiled
// or copied (dist/build-info.json), and of the shared schemas (schemas/) the validators in dist/ were generated
// from; bin/endo-vault.js compares before it runs dist/, so an edit, a pull or a checkout is never run as the old
// code without a word. Content decides, not mtimes: a checkout or a copy that touches files without changing them
// does not ask for a rebuild. Reading and hashing every source took ~35 ms of each start (more on a busy machine),
// so the build also records each file's and folder's size and mtime: when none has moved since, nothing can have
// changed and nothing is read (~10 ms). An mtime too close to the build to tell an edit in the same clock tick
// apart (as git's "racy clean" entries) is not trusted; then, as whenever anything moved, the contents are compared.
// Plain JavaScript: it must run before anything is built.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export const BUILD_INFO_FILE = 'build-info.json'
const REBUILD = 'run `npm run build`'
// build-info.json key → the folder it holds the hashes of
const FOLDERS = { sources: 'src', schemas: 'schemas' }
// How long after a change its mtime may still read the same: past one tick of the kernel's coarse clock (≤ 10 ms)
// where mtimes have sub-second digits, past the coarsest granularity in use (2 s, FAT) where they are whole seconds.
const racyMs = mtimeMs => mtimeMs % 1000 === 0 ? 2000 : 100

/** `size:mtimeMs` of a file or folder (mtimeMs keeps the sub-millisecond digits), or 'absent'. */
function stampOf (file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  return stat === undefined ? 'absent' : `${stat.size}:${stat.mtimeMs}`
}

/** The .ts and .json files under root/folder, sorted, as paths relative to root/folder with '/'; with every folder's stamp, each taken before it is listed. */
function walk (root, folder, stamps) {
  const files = []
  const pending = ['']
  stamps[folder] = stampOf(path.join(root, folder))
  if (stamps[folder] === 'absent') return files
  while (pending.length > 0) {
    const dir = pending.pop()
    if (dir !== '') stamps[`${folder}/${dir}`] = stampOf(path.join(root, folder, dir))
    for (const entry of fs.readdirSync(path.join(root, folder, dir), { withFileTypes: true })) {
      const file = dir === '' ? entry.name : `${dir}/${entry.name}`
      if (entry.isDirectory()) pending.push(file)
      else if (entry.isFile() && /\.(ts|json)$/.test(entry.name)) files.push(file)
    }
  }
  return files.sort()
}

/**
 * What the build under root reads, as build-info.json records it: sources (src/) and schemas (schemas/) as
 * relative path → sha1, and the stamps of those files and their folders, each taken before it is read.
 */
export function buildInputs (root) {
  const stamps = {}
  const inputs = { stampedAt: Date.now(), stamps }
  for (const [key, folder] of Object.entries(FOLDERS)) {
    inputs[key] = {}
    for (const file of walk(root, folder, stamps)) {
      stamps[`${folder}/${file}`] = stampOf(path.join(root, folder, file))
      inputs[key][file] = crypto.createHash('sha1').update(fs.readFileSync(path.join(root, folder, file))).digest('hex')
    }
  }
  return inputs
}

/** Whether no recorded file or folder has moved since the build stamped it, each stamp old enough to be trusted. */
function untouchedSinceBuild (root, built) {
  if (built.stamps === undefined || built.stampedAt === undefined) return false
  for (const [file, stamp] of Object.entries(built.stamps)) {
    const mtimeMs = stamp === 'absent' ? undefined : Number(stamp.split(':')[1])
    if (mtimeMs !== undefined && mtimeMs >= built.stampedAt - racyMs(mtimeMs)) return false
    if (stampOf(path.join(root, file)) !== stamp) return false
  }
  return true
}

/** Why dist/ under root cannot be run as the current sources, in one sentence; undefined when it can. */
export function buildProblem (root) {
  let built
  try {
    built = JSON.parse(fs.readFileSync(path.join(root, 'dist', BUILD_INFO_FILE), 'utf8'))
  } catch {
    return `dist/ has not been built: ${REBUILD} (npm install runs it too)`
  }
  if (untouchedSinceBuild(root, built)) return undefined
  const current = buildInputs(root)
  const differences = []
  for (const [key, folder] of Object.entries(FOLDERS)) {
    const was = built[key] ?? {}
    const now = current[key]
    for (const file of Object.keys(now)) if (was[file] !== now[file]) differences.push(`${folder}/${file} ${file in was ? 'changed' : 'is new'}`)
    for (const file of Object.keys(was)) if (!(file in now)) differences.push(`${folder}/${file} was removed`)
  }
  if (differences.length === 0) return undefined
  const count = differences.length
  return `dist/ is older than src/ (${differences[0]}${count > 1 ? `, ${count} files in all` : ''}): ${REBUILD}`
}
