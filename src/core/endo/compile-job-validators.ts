// Compiles the jobs' message and response validators with one ajv (≈ 6 ms a job, ~350 ms for every job). The service
// run from src/ (tests, tsx) does it at start; the build does the same with code generation on and ships the code
// (scripts/validator-code.ts), so dist/ starts without it. Both go through this module, so they use one set of options.
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { JobSchemas } from './discover-jobs.js'
import { mergedMessageSchema, mergedResponseSchema } from './merged-schemas.js'

export interface JobValidators {
  message: ValidateFunction
  response: ValidateFunction
}

export type JobSchemaSide = keyof JobValidators

const JOB_AJV_OPTIONS: Options = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }

/** One ajv for every job; shared schemas from schemas/ resolve as `/schemas/<name>`. `code` is for the build's code generation. */
export function createJobAjv (sharedSchemas: Record<string, unknown>, code?: Options['code']): Ajv {
  const ajv = new Ajv({ ...JOB_AJV_OPTIONS, ...(code === undefined ? {} : { code }) })
  addFormats.default(ajv)
  ajv.addVocabulary(['x-form-schema', 'x-response-schema', 'x-group-name', 'x-form'])
  for (const [file, schema] of Object.entries(sharedSchemas)) ajv.addSchema(schema as object, `/schemas/${file}`)
  return ajv
}

/** ajv's key of a job's merged schema: a path, so `/schemas/<name>` refs resolve as they do in a schema without one. */
export function jobSchemaKey (jobType: string, side: JobSchemaSide): string {
  return `/jobs/${jobType}/${side}`
}

/** Adds the job's merged schemas to ajv and compiles them; throws when a schema is invalid or does not compile. */
export function compileJobValidators (ajv: Ajv, job: JobSchemas): JobValidators {
  const compile = (side: JobSchemaSide, schema: Record<string, unknown>): ValidateFunction => {
    const key = jobSchemaKey(job.jobType, side)
    ajv.addSchema(schema, key)
    const validate = ajv.getSchema(key)
    if (validate === undefined) throw new Error(`${side} schema was not added`)
    return validate
  }
  return { message: compile('message', mergedMessageSchema(job)), response: compile('response', mergedResponseSchema(job)) }
}
