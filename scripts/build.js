// `npm run build` (and `npm install`, through `prepare`): bundles src/ into dist/ with esbuild, copies the JSON
// that the compiled code reads beside it (the job folders' schemas), and records which sources it was built from.
// Bundled, because loading the dependencies file by file was most of the start-up: kysely and mingo alone are
// ~500 files, ~400 ms on Node 20, which has no compile cache; one bundle loads in a fraction of that. Type
// checking stays with `npm run typecheck` (tsc). The job folders are entry points beside the CLI, split into shared
// chunks, so a job and the service share one copy of every module. dist/ is emptied first: a job folder removed
// from src/ is not still loaded from an old build.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { BUILD_INFO_FILE, sourceHashes } from './build-freshness.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const dist = path.join(root, 'dist')

// hashed before compiling: a file edited during the build then counts as changed since it
const sources = sourceHashes(src)
fs.rmSync(dist, { recursive: true, force: true })
const jobs = Object.keys(sources).filter(file => /^jobs\/[^/]+\/job\.ts$/.test(file))
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts', ...jobs.map(file => `src/${file}`)],
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // a native addon; pino's transports (pino-pretty) run in a worker thread that loads them by file name;
  // pg loads pg-native only when asked for it
  external: ['better-sqlite3', 'pino', 'pino-pretty', 'pg-native'],
  // the CommonJS dependencies call require() for Node's own modules, which an ES module does not have
  banner: { js: "import { createRequire as __endoVaultRequire } from 'node:module'; const require = __endoVaultRequire(import.meta.url);" },
})
for (const file of Object.keys(sources).filter(file => file.endsWith('.json'))) {
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true })
  fs.copyFileSync(path.join(src, file), path.join(dist, file))
}
fs.writeFileSync(path.join(dist, BUILD_INFO_FILE), JSON.stringify({ sources }, null, 1) + '\n')
