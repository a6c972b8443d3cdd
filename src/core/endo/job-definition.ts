// The contract between the runner and a job folder's job.ts: a job maps a validated message to a
// domain call and the result to its response schema. The runner validates both sides.
import type { JobCredentials, JobParties } from '../job-context.js'
import type { JobServices } from './job-services.js'

export interface JobContext<Data> {
  data: Data
  metadata: Record<string, unknown>
  parties: JobParties
  credentials: JobCredentials
  services: JobServices
}

export interface JobResult<Data> {
  /** 2xx; defaults to 200. */
  code?: number
  data: Data
}

export interface JobDefinition<MessageData = unknown, ResponseData = unknown> {
  run: (context: JobContext<MessageData>) => Promise<JobResult<ResponseData>>
}

export function defineJob<MessageData, ResponseData> (run: JobDefinition<MessageData, ResponseData>['run']): JobDefinition<MessageData, ResponseData> {
  return { run }
}
