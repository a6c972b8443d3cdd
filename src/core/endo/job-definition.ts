// The contract between the runner and a job folder's job.ts: a job maps a validated message to a
// domain call and the result to its response schema. The runner validates both sides.
import type { CredentialsBlob } from './credentials-device.js'
import type { JobServices } from './job-services.js'

/** Who a job runs for (meshblu-endo §5.5 route parsing). */
export interface JobParties {
  /** F: the device that sent the job and gets the reply. */
  senderUuid: string
  /** U: the person's user device; the reply comes from it. */
  userUuid: string
  /** C: the credentials device holding the person's encrypted credentials. */
  credentialsUuid: string
}

/** The person's credentials as a job sees them. `secrets` stay inside the service: never put them in a reply. */
export interface JobCredentials {
  /** The decrypted blob. */
  readonly blob: CredentialsBlob
  /** Changes and saves the blob (vault keys, refreshed tokens). */
  update: (change: (blob: CredentialsBlob) => CredentialsBlob | void) => Promise<CredentialsBlob>
}

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
