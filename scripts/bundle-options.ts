// How dist/ is bundled (scripts/build.js), apart from its entry points and output: shared with the tests that bundle
// parts of src/ as the build does, to hold the bundle to what src/ does under the tests.
import { createRequire } from 'node:module'
import path from 'node:path'
import type { BuildOptions } from 'esbuild'
import { precompiledValidatorsPlugin } from './validator-code.js'

export function bundleOptions (root: string): BuildOptions {
  return {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // a native addon; pino's transports (pino-pretty) run in a worker thread that loads them by file name;
    // pg loads pg-native only when asked for it
    external: ['better-sqlite3', 'pino', 'pino-pretty', 'pg-native'],
    // the CommonJS dependencies call require() for Node's own modules, which an ES module does not have
    banner: { js: "import { createRequire as __endoVaultRequire } from 'node:module'; const require = __endoVaultRequire(import.meta.url);" },
    // mingo's export for the "node" condition is its CommonJS build: ~300 wrapped modules that all run at start
    // (~100 ms); its ES build is the same code, which the bundle hoists into plain functions (~15 ms)
    alias: { mingo: path.join(path.dirname(createRequire(import.meta.url).resolve('mingo/package.json')), 'esm') },
    // the job and configuration validators as code, in place of the modules that compile them at start
    plugins: [precompiledValidatorsPlugin(root)],
  }
}
