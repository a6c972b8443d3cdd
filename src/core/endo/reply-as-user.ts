// meshblu-endo §5.5 step 6–7: the reply goes from the user device U to the sender F, sent by the
// credentials device C acting as U (needs U.message.as ∋ C and F.message.from ∋ U).
import type { DeviceBus } from '../bus/device-bus.js'
import { statusText } from '../errors.js'
import type { JobParties } from '../job-context.js'

export interface Reply {
  code: number
  data?: unknown
  /** `name`: the error's class (exposed user errors only). */
  error?: { message: string, name?: string }
}

/** Sends the reply as U: in this turn when U is held (undefined), else once U is read (a promise). */
export function replyAsUser (bus: DeviceBus, parties: JobParties, respondTo: unknown, reply: Reply): Promise<void> | undefined {
  const metadata: Record<string, unknown> = { code: reply.code, status: statusText(reply.code) }
  if (respondTo !== undefined) metadata.to = respondTo
  if (reply.error !== undefined) metadata.error = reply.error
  const message: Record<string, unknown> = { devices: [parties.senderUuid], metadata }
  if (reply.data !== undefined) message.data = reply.data
  return bus.sendMessage({ uuid: parties.credentialsUuid, as: parties.userUuid }, message)
}
