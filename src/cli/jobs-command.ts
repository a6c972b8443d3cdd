// `endo-vault jobs`: the job types and their titles.
import { JobCatalog } from '../core/endo/job-catalog.js'

export async function jobsCommand (): Promise<void> {
  const catalog = await JobCatalog.load()
  const rows = [...catalog.jobs.values()].map(job => [job.jobType, String(job.messageSchema.title ?? '')] as const)
  const width = Math.max(...rows.map(([type]) => type.length))
  for (const [type, title] of rows) process.stdout.write(`${type.padEnd(width)}  ${title}\n`)
}
