// Bundles modules of src/ as scripts/build.js bundles dist/ (scripts/bundle-options.ts), into a scratch folder, so a
// test can hold what dist/ runs to what src/ does under the tests.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'
import { bundleOptions } from '../../scripts/bundle-options.js'
import { JOBS_DIR } from '../../src/core/endo/project-paths.js'

export const ROOT = path.resolve(JOBS_DIR, '../..')

export interface Bundle {
  /** The files the bundle was made of, relative to the project. */
  inputs: string[]
  /** The bundled module made from entries[name]. */
  load: (name: string) => Promise<any>
  remove: () => void
}

/** entries: output name → the module of src/ (a path from the project root). */
export async function bundledAsDist (entries: Record<string, string>): Promise<Bundle> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-bundle-'))
  const result = await esbuild.build({
    ...bundleOptions(ROOT),
    entryPoints: Object.entries(entries).map(([out, file]) => ({ in: file, out })),
    outdir: scratch,
    outExtension: { '.js': '.mjs' },
    metafile: true,
  })
  return {
    inputs: Object.keys(result.metafile.inputs),
    load: async name => await import(pathToFileURL(path.join(scratch, `${name}.mjs`)).href),
    remove: () => { fs.rmSync(scratch, { recursive: true, force: true }) },
  }
}
