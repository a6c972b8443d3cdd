// `npm run build` (and `npm install`, through `prepare`): bundles src/ into dist/ with esbuild, copies the JSON
// that the compiled code reads beside it (the job folders' schemas), and records which sources it was built from.
// Bundled, because loading the dependencies file by file was most of the start-up: kysely and mingo alone are
// ~500 files, ~400 ms on Node 20, which has no compile cache; one bundle loads in a fraction of that. Type
// checking stays with `npm run typecheck` (tsc). The job folders are entry points beside the CLI, split into shared
// chunks, so a job and the service share one copy of every module. dist/ is emptied first: a job folder removed
// from src/ is not still loaded from an old build. How it bundles is in scripts/bundle-options.ts, which the tests
// share: among it, the validators of the job schemas and of the configuration are generated as code (ajv
// standalone, scripts/validator-code.ts) in place of the src/ modules that compile them at start (~400 ms of a 1 s
// start).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { tsImport } from 'tsx/esm/api'
import { BUILD_INFO_FILE, buildInputs } from './build-freshness.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const dist = path.join(root, 'dist')

// hashed before compiling: a file edited during the build then counts as changed since it
const inputs = buildInputs(root)
const sources = inputs.sources
// TypeScript: the validators' code is generated with the src/ modules the service compiles them with
const { bundleOptions } = await tsImport('./bundle-options.ts', import.meta.url)
fs.rmSync(dist, { recursive: true, force: true })
const jobs = Object.keys(sources).filter(file => /^jobs\/[^/]+\/job\.ts$/.test(file))
await esbuild.build({
  ...bundleOptions(root),
  entryPoints: ['src/cli/main.ts', ...jobs.map(file => `src/${file}`)],
  outbase: 'src',
  outdir: 'dist',
  splitting: true,
  sourcemap: 'linked',
  sourcesContent: false,
})
for (const file of Object.keys(sources).filter(file => file.endsWith('.json'))) {
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true })
  fs.copyFileSync(path.join(src, file), path.join(dist, file))
}
fs.writeFileSync(path.join(dist, BUILD_INFO_FILE), JSON.stringify(inputs, null, 1) + '\n')
