// The loaded jobs and their validators. Run from src/, every schema is compiled once at start with one ajv
// (compile-job-validators.ts); the compiled service (dist/) uses the validators the build generated from the same
// schemas (precompiled-job-validators.ts) and does not load ajv at all. Validating takes ≈ 0.1 µs either way.
// Shared schemas from schemas/ resolve as `/schemas/<name>`.
import fs from 'node:fs'
import path from 'node:path'
import type { ValidateFunction } from 'ajv'
import { discoverJobs, JobLoadError, type JobFolder } from './discover-jobs.js'
import { mergedMessageSchema, mergedResponseSchema } from './merged-schemas.js'
import { describeValidationErrors } from './validation-errors.js'
import type { JobValidators } from './compile-job-validators.js'
import { PRECOMPILED_JOB_VALIDATORS } from './precompiled-job-validators.js'
import { DEFAULT_LIMITS, type Limits } from '../limits.js'
import { JOBS_DIR, SHARED_SCHEMAS_DIR } from './project-paths.js'

export interface CatalogJob extends JobFolder {
  validateMessage: ValidateFunction
  validateResponse: ValidateFunction
}

// read synchronously, as the job folders' schemas are (discover-jobs.ts): small files, read once at start
export async function loadSharedSchemas (dir = SHARED_SCHEMAS_DIR): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {}
  let files: string[] = []
  try { files = fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort() } catch { return result }
  for (const file of files) result[file] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
  return result
}

/**
 * Each folder with its validators: the build's for the job folders it was built from, compiled here otherwise
 * (ajv is loaded only then). A schema that does not compile stops the load naming its folder.
 */
async function withValidators (folders: JobFolder[], sharedSchemas: Record<string, unknown>, precompiled: typeof PRECOMPILED_JOB_VALIDATORS): Promise<CatalogJob[]> {
  let compile: ((job: JobFolder) => JobValidators) | undefined
  const jobs: CatalogJob[] = []
  for (const folder of folders) {
    let validators = precompiled?.[folder.jobType]
    if (validators === undefined) {
      if (compile === undefined) {
        const { createJobAjv, compileJobValidators } = await import('./compile-job-validators.js')
        const ajv = createJobAjv(sharedSchemas)
        compile = job => compileJobValidators(ajv, job)
      }
      try {
        validators = compile(folder)
      } catch (error) {
        throw new JobLoadError(folder.folder, `schema does not compile: ${(error as Error).message}`, { cause: error })
      }
    }
    jobs.push({ ...folder, validateMessage: validators.message, validateResponse: validators.response })
  }
  return jobs
}

export class JobCatalog {
  private constructor (readonly jobs: Map<string, CatalogJob>, readonly sharedSchemas: Record<string, unknown>) {}

  static async load (jobsDir = JOBS_DIR, schemasDir = SHARED_SCHEMAS_DIR): Promise<JobCatalog> {
    const [shared, folders] = await Promise.all([loadSharedSchemas(schemasDir), discoverJobs(jobsDir)])
    // the build's validators were generated from the job folders and shared schemas it was built with
    const precompiled = jobsDir === JOBS_DIR && schemasDir === SHARED_SCHEMAS_DIR ? PRECOMPILED_JOB_VALIDATORS : undefined
    const jobs = await withValidators(folders, shared, precompiled)
    return new JobCatalog(new Map(jobs.map(job => [job.jobType, job])), shared)
  }

  get (jobType: unknown): CatalogJob | undefined {
    return typeof jobType === 'string' ? this.jobs.get(jobType) : undefined
  }

  /** Sentences naming each failing field, or [] when the message is valid. */
  messageErrors (job: CatalogJob, message: unknown, limits: Pick<Limits, 'maxValidationErrors' | 'clientStringMaxChars'> = DEFAULT_LIMITS): string[] {
    return job.validateMessage(message) ? [] : describeValidationErrors(job.validateMessage.errors, 'message', limits.maxValidationErrors, limits.clientStringMaxChars)
  }

  responseErrors (job: CatalogJob, response: unknown): string[] {
    return job.validateResponse(response) ? [] : describeValidationErrors(job.validateResponse.errors, 'response')
  }

  messageSchemas (): Record<string, unknown> {
    return Object.fromEntries([...this.jobs.values()].map(job => [job.jobType, mergedMessageSchema(job)]))
  }

  responseSchemas (): Record<string, unknown> {
    return Object.fromEntries([...this.jobs.values()].map(job => [job.jobType, mergedResponseSchema(job)]))
  }

  formSchemas (): { message: Record<string, unknown> } {
    return { message: Object.fromEntries([...this.jobs.values()].map(job => [job.jobType, job.formSchema])) }
  }
}
