#!/usr/bin/env node
// The endo-vault command: runs the service bundled into dist/ (`npm run build`, which `npm install` runs).
// A dist/ built from other sources is refused, naming the command that rebuilds it, rather than run as old code
// (~15 ms to check). It is not rebuilt here: that needs the dev dependencies and writes into the install, which
// a service manager's restart should not do.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildProblem } from '../scripts/build-freshness.js'

const problem = buildProblem(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'))
if (problem !== undefined) {
  process.stderr.write(`endo-vault: ${problem}\n`)
  process.exit(1)
}
// Source maps are not turned on here: parsing them costs ~50 ms of the start. For stack traces that name src/
// files and lines, start with NODE_OPTIONS=--enable-source-maps.
await import('../dist/cli/main.js')
