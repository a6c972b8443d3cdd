// The message path of one job (meshblu-endo §5.5) as a named list of steps:
// parse the route, find the job, validate the message, open the credentials, refresh the provider's
// access token when it is about to expire, run the job,
// validate its response, reply as the user device. Job-level failures are replies, never crashes.
import type { Delivery } from '../bus/message-router.js'
import { ErrorText, UserError, publicError } from '../errors.js'
import type { Logger } from '../log.js'
import type { CredentialsStore } from './credentials-store.js'
import type { CatalogJob, JobCatalog } from './job-catalog.js'
import type { JobCredentials, JobParties } from '../job-context.js'
import type { JobServices } from './job-services.js'
import { routeOfMessage } from './route-of-message.js'
import { replyAsUser, type Reply } from './reply-as-user.js'
import { recordStatusError } from './status-device.js'
import { scrubbedError } from './secret-scrubber.js'
import { refreshAccessToken } from './oauth/refresh-access-token.js'
import { clipped } from '../limits.js'
import type { TokenRefresher } from './oauth/token-refresher.js'

export interface RunnerDependencies {
  catalog: JobCatalog
  credentials: CredentialsStore
  services: JobServices
  logger: Logger
  serviceUuid: string
  /** Refreshes provider access tokens near expiry; absent when no OAuth provider is configured. */
  tokenRefresher?: TokenRefresher
}

export class UnknownJobType extends UserError {
  // the client's jobType is cut: it is copied into the reply, the status device and the log
  constructor (jobType: unknown, maxChars: number) { super(404, `Unknown jobType ${typeof jobType === 'string' ? JSON.stringify(clipped(jobType, maxChars)) : clipped(jobType)}`) }
}
export class InvalidMessage extends UserError {
  constructor (readonly errors: string[], message = `Invalid message: ${errors.join('; ')}`) { super(422, message, { errors }) }
}

interface JobState {
  parties: JobParties
  message: { metadata?: Record<string, unknown>, data?: unknown }
  respondTo?: unknown
  job?: CatalogJob
  credentials?: JobCredentials
  reply?: Reply
}

type Step = (deps: RunnerDependencies, state: JobState) => Promise<void> | void

const findJob: Step = (deps, state) => {
  const metadata = state.message.metadata
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) throw new InvalidMessage([ErrorText.missingMetadata], ErrorText.missingMetadata)
  state.respondTo = metadata.respondTo
  state.job = deps.catalog.get(metadata.jobType)
  if (state.job === undefined) throw new UnknownJobType(metadata.jobType, deps.services.bus.limits.clientStringMaxChars)
}

const validateMessage: Step = (deps, state) => {
  const errors = deps.catalog.messageErrors(state.job as CatalogJob, state.message, deps.services.bus.limits)
  if (errors.length > 0) throw new InvalidMessage(errors)
}

const openCredentials: Step = (deps, state) => {
  const held = deps.credentials.openHeldForJob(state.parties.credentialsUuid)
  if (held !== undefined) { state.credentials = held; return }
  return deps.credentials.openForJob(state.parties.credentialsUuid).then(opened => { state.credentials = opened })
}

const runJob: Step = async (deps, state) => {
  const job = state.job as CatalogJob
  const result = await job.definition.run({
    data: state.message.data,
    metadata: state.message.metadata ?? {},
    parties: state.parties,
    credentials: state.credentials as JobCredentials,
    services: deps.services,
  })
  state.reply = { code: result.code ?? 200, data: result.data }
}

const validateResponse: Step = (deps, state) => {
  const reply = state.reply as Reply
  const errors = deps.catalog.responseErrors(state.job as CatalogJob, { metadata: { code: reply.code, status: 'OK' }, data: reply.data })
  if (errors.length > 0) throw new Error(`${(state.job as CatalogJob).jobType} produced a response outside its schema: ${errors.join('; ')}`)
}

export const MESSAGE_STEPS: Step[] = [findJob, validateMessage, openCredentials, refreshAccessToken, runJob, validateResponse]

/** Told of every job that ends: its catalog jobType (UNKNOWN_JOB_TYPE for any other), reply code and duration. */
export type JobObserver = (jobType: string, code: number, seconds: number) => void
/** The jobType observed for a message naming no job of the catalog: what a client wrote never becomes a label. */
export const UNKNOWN_JOB_TYPE = 'unknown'

/** Runs one delivery that reached the service device. Never throws. */
export async function runMessage (deps: RunnerDependencies, delivery: Delivery, observe?: JobObserver): Promise<void> {
  const started = observe === undefined ? 0 : performance.now()
  let parties: JobParties
  try {
    parties = routeOfMessage(delivery.route, deps.serviceUuid)
  } catch (error) {
    deps.logger.warn({ route: delivery.route }, (error as Error).message)
    return
  }
  const payload = delivery.payload
  const state: JobState = { parties, message: { metadata: payload.metadata as Record<string, unknown> | undefined, data: payload.data } }
  let code: number
  try {
    for (const step of MESSAGE_STEPS) {
      // only the asynchronous steps cost a turn of the microtask queue
      const pending = step(deps, state)
      if (pending !== undefined) await pending
    }
    code = (state.reply as Reply).code
    const sent = replyAsUser(deps.services.bus, parties, state.respondTo, state.reply as Reply)
    if (sent !== undefined) await sent
    if (deps.logger.isLevelEnabled('debug')) deps.logger.debug({ jobType: state.job?.jobType, code }, 'job.succeeded')
  } catch (error) {
    code = await replyWithError(deps, state, error)
  }
  if (observe !== undefined) observe(state.job?.jobType ?? UNKNOWN_JOB_TYPE, code, (performance.now() - started) / 1000)
}

/** The blob for scrubbing secrets out of a logged error; undefined when it cannot be read (the error then says why). */
function readableBlob (credentials: JobCredentials | undefined): JobCredentials['blob'] | undefined {
  try {
    return credentials?.blob
  } catch {
    return undefined
  }
}

/** Replies with the error's public form and records it on the status device; returns the code replied. */
async function replyWithError (deps: RunnerDependencies, state: JobState, error: unknown): Promise<number> {
  const wire = publicError(error, deps.services.bus.limits.errorMessageMaxChars)
  const jobType = state.job?.jobType ?? clipped(state.message.metadata?.jobType, deps.services.bus.limits.clientStringMaxChars)
  if (wire.code >= 500) deps.logger.error({ err: scrubbedError(error, readableBlob(state.credentials)), jobType }, 'job.failed')
  else deps.logger.info({ jobType, code: wire.code, message: wire.message }, 'job.failed')
  const data = error instanceof InvalidMessage ? { errors: error.errors } : undefined
  try {
    // the class name too, so a client can tell errors apart without parsing texts (intercoop: the peer's class, §A2)
    const name = error instanceof UserError && error.expose ? error.name : undefined
    await replyAsUser(deps.services.bus, state.parties, state.respondTo, { code: wire.code, error: { message: wire.message, ...(name === undefined ? {} : { name }) }, ...(data === undefined ? {} : { data }) })
    await recordStatusError(deps.services.bus, deps.services.store, deps.serviceUuid, state.parties.userUuid, {
      senderUuid: state.parties.senderUuid,
      date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      metadata: { to: state.respondTo },
      code: wire.code,
      message: wire.message,
    })
  } catch (replyError) {
    deps.logger.warn({ err: replyError, jobType }, 'job error reply could not be sent')
  }
  return wire.code
}
