import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { JobCatalog } from '../../../src/core/endo/job-catalog.js'
import { jobTypeOfFolder } from '../../../src/core/endo/job-type-of-folder.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures')

describe('meshblu-endo §5.6: job folders', () => {
  it('name their jobType UpperFirst(camelCase(folder))', () => {
    expect(jobTypeOfFolder('say-hello')).toBe('SayHello')
    expect(jobTypeOfFolder('list-events-by-user')).toBe('ListEventsByUser')
    expect(jobTypeOfFolder('echo')).toBe('Echo')
  })

  it('that fail to load stop the catalog naming the folder and the reason', async () => {
    await expect(JobCatalog.load(path.join(fixtures, 'broken-jobs'))).rejects.toThrow(/missing-schema: response\.schema\.json is missing/)
  })

  it('merge metadata.jobType, respondTo and the x- keys into the message schema', async () => {
    const catalog = await JobCatalog.load()
    const schema = catalog.messageSchemas().Echo as any
    expect(schema['x-response-schema']).toBe('Echo')
    expect(schema['x-form-schema']).toEqual({ angular: 'message.Echo.angular' })
    expect(schema.properties.metadata.properties.jobType).toEqual({ type: 'string', enum: ['Echo'], default: 'Echo' })
    expect(schema.required).toContain('metadata')
    const response = catalog.responseSchemas().Echo as any
    expect(response.properties.metadata.required).toEqual(['status', 'code'])
  })
})
