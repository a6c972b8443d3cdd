// Loads every job folder under src/jobs (dist/jobs when compiled): job.ts (job.js) plus its message, response
// and form schemas; or the schemas alone (the build, which generates the validators from them).
// A folder that fails to load stops start-up with its name and the reason: a half-loaded service
// is worse than none (the original skipped such folders silently).
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { JobDefinition } from './job-definition.js'
import { jobTypeOfFolder } from './job-type-of-folder.js'
import { JOB_MODULE_FILE } from './project-paths.js'

/** A job folder's schemas: what validation needs, and all the build reads (it does not load the job's code). */
export interface JobSchemas {
  jobType: string
  folder: string
  messageSchema: Record<string, unknown>
  responseSchema: Record<string, unknown>
  formSchema: unknown
}

export interface JobFolder extends JobSchemas {
  definition: JobDefinition<any, any>
}

export class JobLoadError extends Error {
  constructor (readonly folder: string, reason: string, options?: ErrorOptions) {
    super(`${folder}: ${reason}`, options)
    this.name = 'JobLoadError'
  }
}

const SCHEMA_FILES = ['message.schema.json', 'response.schema.json', 'form.schema.json'] as const

// Read synchronously: these are ~190 small files read once at start, and fs/promises costs a few thread-pool round
// trips each (~25 ms for all of them, against ~6 ms).
function readJson (folder: string, file: string): any {
  let text: string
  try {
    text = fs.readFileSync(path.join(folder, file), 'utf8')
  } catch {
    throw new JobLoadError(folder, `${file} is missing`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new JobLoadError(folder, `${file} is not valid JSON: ${(error as Error).message}`)
  }
}

function readSchemas (jobsDir: string, name: string): JobSchemas {
  const folder = path.join(jobsDir, name)
  const shown = path.relative(process.cwd(), folder) || folder
  const [messageSchema, responseSchema, formSchema] = SCHEMA_FILES.map(file => {
    try { return readJson(folder, file) } catch (error) { throw new JobLoadError(shown, (error as Error).message.split(': ').slice(1).join(': ')) }
  })
  return { jobType: jobTypeOfFolder(name), folder: shown, messageSchema, responseSchema, formSchema }
}

async function loadFolder (jobsDir: string, name: string): Promise<JobFolder> {
  const schemas = readSchemas(jobsDir, name)
  let module: { default?: JobDefinition<any, any> }
  try {
    module = await import(pathToFileURL(path.join(jobsDir, name, JOB_MODULE_FILE)).href)
  } catch (error) {
    throw new JobLoadError(schemas.folder, `${JOB_MODULE_FILE} failed to load: ${(error as Error).message}`, { cause: error })
  }
  if (typeof module.default?.run !== 'function') throw new JobLoadError(schemas.folder, `${JOB_MODULE_FILE} must export default defineJob(...)`)
  return { ...schemas, definition: module.default }
}

async function folderNames (jobsDir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(jobsDir, { withFileTypes: true })
  return entries.filter(e => e.isDirectory()).map(e => e.name).sort()
}

// Compiled (dist/), the job modules are imported all at once: ~45 ms of the start less than one after another. From
// src/ (jest, tsx) they are imported one after another: jest's ES module loader fails on concurrent imports that
// share a module it is still linking ("request for './x.js' is not in cache").
const IMPORT_CONCURRENTLY = JOB_MODULE_FILE === 'job.js'

export async function discoverJobs (jobsDir: string): Promise<JobFolder[]> {
  const names = await folderNames(jobsDir)
  if (IMPORT_CONCURRENTLY) return await Promise.all(names.map(async name => await loadFolder(jobsDir, name)))
  const folders: JobFolder[] = []
  for (const name of names) folders.push(await loadFolder(jobsDir, name))
  return folders
}

/** Every job folder's schemas, without loading its code. */
export async function discoverJobSchemas (jobsDir: string): Promise<JobSchemas[]> {
  return (await folderNames(jobsDir)).map(name => readSchemas(jobsDir, name))
}
