// Loads every job folder under src/jobs (dist/jobs when compiled): job.ts (job.js) plus its message, response
// and form schemas.
// A folder that fails to load stops start-up with its name and the reason: a half-loaded service
// is worse than none (the original skipped such folders silently).
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { JobDefinition } from './job-definition.js'
import { jobTypeOfFolder } from './job-type-of-folder.js'
import { JOB_MODULE_FILE } from './project-paths.js'

export interface JobFolder {
  jobType: string
  folder: string
  definition: JobDefinition<any, any>
  messageSchema: Record<string, unknown>
  responseSchema: Record<string, unknown>
  formSchema: unknown
}

export class JobLoadError extends Error {
  constructor (readonly folder: string, reason: string, options?: ErrorOptions) {
    super(`${folder}: ${reason}`, options)
    this.name = 'JobLoadError'
  }
}

const SCHEMA_FILES = ['message.schema.json', 'response.schema.json', 'form.schema.json'] as const

async function readJson (folder: string, file: string): Promise<any> {
  let text: string
  try {
    text = await fs.readFile(path.join(folder, file), 'utf8')
  } catch {
    throw new JobLoadError(folder, `${file} is missing`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new JobLoadError(folder, `${file} is not valid JSON: ${(error as Error).message}`)
  }
}

async function loadFolder (jobsDir: string, name: string): Promise<JobFolder> {
  const folder = path.join(jobsDir, name)
  const shown = path.relative(process.cwd(), folder) || folder
  const [messageSchema, responseSchema, formSchema] = await Promise.all(SCHEMA_FILES.map(async file => {
    try { return await readJson(folder, file) } catch (error) { throw new JobLoadError(shown, (error as Error).message.split(': ').slice(1).join(': ')) }
  }))
  let module: { default?: JobDefinition<any, any> }
  try {
    module = await import(pathToFileURL(path.join(folder, JOB_MODULE_FILE)).href)
  } catch (error) {
    throw new JobLoadError(shown, `${JOB_MODULE_FILE} failed to load: ${(error as Error).message}`, { cause: error })
  }
  if (typeof module.default?.run !== 'function') throw new JobLoadError(shown, `${JOB_MODULE_FILE} must export default defineJob(...)`)
  return { jobType: jobTypeOfFolder(name), folder: shown, definition: module.default, messageSchema, responseSchema, formSchema }
}

export async function discoverJobs (jobsDir: string): Promise<JobFolder[]> {
  const entries = await fs.readdir(jobsDir, { withFileTypes: true })
  const names = entries.filter(e => e.isDirectory()).map(e => e.name).sort()
  return await Promise.all(names.map(async name => await loadFolder(jobsDir, name)))
}
