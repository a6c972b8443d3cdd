// Where the job folders and shared schemas live, found from this file so it works from any cwd and wherever
// the file sits under src/. The same code runs as TypeScript from src/ (tests, tsx) and compiled from dist/
// (`npm start`): the job folders are taken from the tree this file runs in, so compiled code loads compiled jobs.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)

function projectRoot (from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

const root = projectRoot(here)
// src or dist: the top folder of the tree this file runs in
const codeDir = path.join(root, path.relative(root, here).split(path.sep)[0] ?? 'src')

export const JOBS_DIR = path.join(codeDir, 'jobs')
export const SHARED_SCHEMAS_DIR = path.join(root, 'schemas')
// job.ts beside the TypeScript sources, job.js in the compiled tree
export const JOB_MODULE_FILE = path.extname(here) === '.ts' ? 'job.ts' : 'job.js'
