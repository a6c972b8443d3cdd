// issue 18 "Habits": a test file per job under a predictable path. Every job folder src/jobs/<folder>/ has
// test/jobs/<folder>.test.ts, which sends that job; every test file here is named after a job folder.
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { JOBS_DIR } from '../../src/core/endo/project-paths.js'
import { jobTypeOfFolder } from '../../src/core/endo/job-type-of-folder.js'

const TESTS_DIR = path.dirname(fileURLToPath(import.meta.url))
/** Test files here that are about every job, not one. */
const ABOUT_EVERY_JOB = ['every-job-has-a-test.test.ts', 'vault-job-responses.test.ts']

const jobFolders = async (): Promise<string[]> =>
  (await fs.readdir(JOBS_DIR, { withFileTypes: true })).filter(entry => entry.isDirectory()).map(entry => entry.name).sort()
const testFiles = async (): Promise<string[]> =>
  (await fs.readdir(TESTS_DIR)).filter(name => name.endsWith('.test.ts') && !ABOUT_EVERY_JOB.includes(name)).sort()

describe('test/jobs', () => {
  it('holds a test file for every job folder', async () => {
    const tests = new Set(await testFiles())
    const missing = (await jobFolders()).filter(folder => !tests.has(`${folder}.test.ts`))
    expect(missing.map(folder => `src/jobs/${folder} has no test/jobs/${folder}.test.ts`)).toEqual([])
  })

  it('holds no test file named after no job folder', async () => {
    const folders = new Set(await jobFolders())
    const strays = (await testFiles()).filter(name => !folders.has(name.slice(0, -'.test.ts'.length)))
    expect(strays.map(name => `test/jobs/${name} names no folder of src/jobs`)).toEqual([])
  })

  it('holds test files that each send their own job type', async () => {
    const silent: string[] = []
    for (const name of await testFiles()) {
      const jobType = jobTypeOfFolder(name.slice(0, -'.test.ts'.length))
      if (!(await fs.readFile(path.join(TESTS_DIR, name), 'utf8')).includes(`'${jobType}'`)) silent.push(`test/jobs/${name} never names '${jobType}'`)
    }
    expect(silent).toEqual([])
  })
})
