// The validators dist/ ships (ajv standalone code that scripts/build.js bundles in place of the src/ modules that
// compile them) answer as the ones the service compiles when it runs from src/: the same verdict, the same error
// objects, so the same field sentences and configuration problems, for every job's message and response and for
// the configuration. The generated modules are bundled here as the build bundles them.
import fc from 'fast-check'
import type { ValidateFunction } from 'ajv'
import { CONFIG_SCHEMA } from '../../src/core/config.js'
import { configValidator } from '../../src/core/config-validator.js'
import { compileJobValidators, createJobAjv, type JobValidators } from '../../src/core/endo/compile-job-validators.js'
import { discoverJobSchemas, type JobSchemas } from '../../src/core/endo/discover-jobs.js'
import { loadSharedSchemas } from '../../src/core/endo/job-catalog.js'
import { JOBS_DIR } from '../../src/core/endo/project-paths.js'
import { describeValidationErrors } from '../../src/core/endo/validation-errors.js'
import { dataMutations, HOSTILE_VALUES, pollutedJson } from '../support/schema-mutations.js'
import { bundledAsDist, type Bundle } from './bundled-as-dist.js'
type Schema = Record<string, any>

interface Answer { valid: boolean, errors: unknown, sentences: string[], data: unknown }

/** What a validator makes of a copy of the input (the configuration's fills in defaults, so the copy is compared too). */
function answer (validate: ValidateFunction, input: unknown, root: string): Answer {
  const data = input === undefined ? undefined : structuredClone(input)
  const valid = validate(data) as boolean
  return { valid, errors: validate.errors ?? null, sentences: valid ? [] : describeValidationErrors(validate.errors, root), data }
}

/** The schema with the shared schemas' $refs replaced by the schemas (a few levels), so samples can be valid through them. */
function dereferenced (schema: unknown, shared: Record<string, unknown>, depth = 0): any {
  if (Array.isArray(schema)) return schema.map(item => dereferenced(item, shared, depth))
  if (schema === null || typeof schema !== 'object') return schema
  const ref = (schema as Schema).$ref
  if (typeof ref === 'string' && ref.startsWith('/schemas/') && depth < 4) return dereferenced(shared[ref.slice('/schemas/'.length)], shared, depth + 1)
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, dereferenced(value, shared, depth)]))
}

/** Whole messages (or replies) around each mutation of the data, and some without the parts they need. */
function casesFor (dataSchema: Schema | undefined, metadata: Record<string, unknown>): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = dataMutations(dataSchema).map(([name, data]) => [name, { metadata, ...(data === undefined ? {} : { data }) }])
  for (const text of pollutedJson({})) cases.push(['polluted data', { metadata, data: JSON.parse(text) }])
  for (const [name, value] of HOSTILE_VALUES) {
    cases.push([`the whole message as ${name}`, value])
    cases.push([`metadata as ${name}`, { metadata: value, data: {} }])
  }
  cases.push(['no metadata', { data: {} }])
  return cases
}

describe('the validators the build generates', () => {
  let bundle: Bundle
  let jobs: JobSchemas[]
  let shared: Record<string, unknown>
  let compiled: Map<string, JobValidators>
  let generatedJobs: Record<string, JobValidators>
  let generatedConfig: ValidateFunction

  beforeAll(async () => {
    bundle = await bundledAsDist({ jobs: 'src/core/endo/precompiled-job-validators.ts', config: 'src/core/config-validator.ts' })
    generatedJobs = (await bundle.load('jobs')).PRECOMPILED_JOB_VALIDATORS
    generatedConfig = (await bundle.load('config')).configValidator()
    shared = await loadSharedSchemas()
    jobs = await discoverJobSchemas(JOBS_DIR)
    const ajv = createJobAjv(shared)
    compiled = new Map(jobs.map(job => [job.jobType, compileJobValidators(ajv, job)]))
  }, 60_000)
  afterAll(() => { bundle.remove() })

  it('cover every job folder, and nothing else', () => {
    expect(Object.keys(generatedJobs).sort()).toEqual(jobs.map(job => job.jobType).sort())
  })

  it('need no ajv compiler at run time', () => {
    expect(bundle.inputs.filter(file => /node_modules\/ajv\/dist\/(core|ajv|compile)/.test(file))).toEqual([])
  })

  it('answer every job\'s messages and replies as the compiled ones: verdict, errors and field sentences', () => {
    let valid = 0
    let invalid = 0
    for (const job of jobs) {
      const message = dereferenced(job.messageSchema, shared).properties?.data
      const response = dereferenced(job.responseSchema, shared).properties?.data
      const sides: Array<[keyof JobValidators, Array<[string, unknown]>, string]> = [
        ['message', casesFor(message, { jobType: job.jobType, respondTo: 'flow-1' }), 'message'],
        ['response', casesFor(response, { status: 'OK', code: 200, to: 'flow-1' }), 'response'],
      ]
      for (const [side, cases, rootName] of sides) {
        for (const [name, input] of cases) {
          const expected = answer(compiled.get(job.jobType)![side], input, rootName)
          const actual = answer(generatedJobs[job.jobType][side], input, rootName)
          if (expected.valid) valid++; else invalid++
          expect({ job: job.jobType, side, name, ...actual }).toEqual({ job: job.jobType, side, name, ...expected })
        }
      }
    }
    // both verdicts are exercised, valid ones included
    expect(valid).toBeGreaterThan(jobs.length)
    expect(invalid).toBeGreaterThan(jobs.length)
  })

  it('answer arbitrary JSON as the compiled ones', () => {
    fc.assert(fc.property(fc.constantFrom(...jobs), fc.constantFrom<keyof JobValidators>('message', 'response'), fc.jsonValue(), (job, side, data) => {
      const input = { metadata: side === 'message' ? { jobType: job.jobType } : { status: 'OK', code: 200 }, data }
      expect(answer(generatedJobs[job.jobType][side], input, side)).toEqual(answer(compiled.get(job.jobType)![side], input, side))
    }), { numRuns: 2000 })
  })

  it('check the configuration as the compiled one: verdict, errors, and the defaults it fills in', () => {
    const compiledConfig = configValidator(CONFIG_SCHEMA)
    const cases: Array<[string, unknown]> = [['nothing set', {}], ...dataMutations(CONFIG_SCHEMA as Schema)]
    for (const [group, option] of Object.entries(CONFIG_SCHEMA.properties as Record<string, Schema>)) {
      for (const [key] of Object.entries(option.properties ?? {})) {
        for (const [name, value] of HOSTILE_VALUES) cases.push([`${group}.${key} as ${name}`, { [group]: { [key]: value } }])
      }
    }
    cases.push(['a port out of range', { mqttPort: 70000, httpPort: -1 }], ['an unknown option', { nope: 1, oauth: { nope: 2 } }])
    for (const [name, input] of cases) {
      expect({ name, ...answer(generatedConfig, input, 'config') }).toEqual({ name, ...answer(compiledConfig, input, 'config') })
    }
  })
})
