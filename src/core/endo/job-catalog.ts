// The loaded jobs and their validators: one ajv instance, every schema compiled once at start
// (compile ≈ 8 ms, validate ≈ 0.1 µs). Shared schemas from schemas/ resolve as `/schemas/<name>`.
import fs from 'node:fs/promises'
import path from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { discoverJobs, JobLoadError, type JobFolder } from './discover-jobs.js'
import { mergedMessageSchema, mergedResponseSchema } from './merged-schemas.js'
import { describeValidationErrors } from './validation-errors.js'
import { DEFAULT_LIMITS, type Limits } from '../limits.js'
import { JOBS_DIR, SHARED_SCHEMAS_DIR } from './project-paths.js'

export interface CatalogJob extends JobFolder {
  validateMessage: ValidateFunction
  validateResponse: ValidateFunction
}

export async function loadSharedSchemas (dir = SHARED_SCHEMAS_DIR): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {}
  let files: string[] = []
  try { files = (await fs.readdir(dir)).filter(f => f.endsWith('.json')).sort() } catch { return result }
  for (const file of files) result[file] = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'))
  return result
}

export function createAjv (sharedSchemas: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
  addFormats.default(ajv)
  ajv.addVocabulary(['x-form-schema', 'x-response-schema', 'x-group-name', 'x-form'])
  for (const [file, schema] of Object.entries(sharedSchemas)) ajv.addSchema(schema as object, `/schemas/${file}`)
  return ajv
}

export class JobCatalog {
  private constructor (readonly jobs: Map<string, CatalogJob>, readonly sharedSchemas: Record<string, unknown>) {}

  static async load (jobsDir = JOBS_DIR, schemasDir = SHARED_SCHEMAS_DIR): Promise<JobCatalog> {
    const shared = await loadSharedSchemas(schemasDir)
    const ajv = createAjv(shared)
    const jobs = new Map<string, CatalogJob>()
    for (const folder of await discoverJobs(jobsDir)) {
      try {
        jobs.set(folder.jobType, {
          ...folder,
          validateMessage: ajv.compile(mergedMessageSchema(folder)),
          validateResponse: ajv.compile(mergedResponseSchema(folder)),
        })
      } catch (error) {
        throw new JobLoadError(folder.folder, `schema does not compile: ${(error as Error).message}`, { cause: error })
      }
    }
    return new JobCatalog(jobs, shared)
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
