// Whether dist/ was compiled from the src/ that is here now. The build records a hash of every source it compiled
// or copied (dist/build-info.json); bin/endo-vault.js compares before it runs dist/, so an edit, a pull or a
// checkout is never run as the old code without a word. Content, not mtimes: a checkout or a copy that touches
// files without changing them does not ask for a rebuild. Plain JavaScript: it must run before anything is built.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export const BUILD_INFO_FILE = 'build-info.json'
const REBUILD = 'run `npm run build`'

/** The files of src/ the build reads (TypeScript it compiles, JSON it copies), as relative path → sha1. */
export function sourceHashes (srcDir) {
  const hashes = {}
  const files = fs.readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && /\.(ts|json)$/.test(entry.name))
    .map(entry => path.relative(srcDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
  for (const file of files) hashes[file] = crypto.createHash('sha1').update(fs.readFileSync(path.join(srcDir, file))).digest('hex')
  return hashes
}

/** Why dist/ under root cannot be run as the current sources, in one sentence; undefined when it can. */
export function buildProblem (root) {
  let built
  try {
    built = JSON.parse(fs.readFileSync(path.join(root, 'dist', BUILD_INFO_FILE), 'utf8')).sources
  } catch {
    return `dist/ has not been built: ${REBUILD} (npm install runs it too)`
  }
  const current = sourceHashes(path.join(root, 'src'))
  const changed = Object.keys(current).filter(file => built[file] !== current[file])
  const removed = Object.keys(built).filter(file => !(file in current))
  if (changed.length === 0 && removed.length === 0) return undefined
  const first = changed.length > 0
    ? `src/${changed[0]} ${changed[0] in built ? 'changed' : 'is new'}`
    : `src/${removed[0]} was removed`
  const count = changed.length + removed.length
  return `dist/ is older than src/ (${first}${count > 1 ? `, ${count} files in all` : ''}): ${REBUILD}`
}
