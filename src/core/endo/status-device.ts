// Job errors are also recorded on the user device's status device (meshblu-endo §5.5 step 7),
// keeping the last 99, so the person can see what went wrong without the sender's reply.
import type { DeviceBus } from '../bus/device-bus.js'

export const STATUS_ERRORS_KEPT = 99

export interface StatusError { senderUuid: string, date: string, metadata: { to?: unknown }, code: number, message: string }

export async function recordStatusError (bus: DeviceBus, serviceUuid: string, userUuid: string, error: StatusError): Promise<void> {
  const statusUuid = bus.registry.get(userUuid)?.statusDevice
  if (typeof statusUuid !== 'string') return
  const status = bus.registry.get(statusUuid)
  if (status === undefined) return
  const errors = Array.isArray((status.status as { errors?: unknown })?.errors) ? (status.status as { errors: StatusError[] }).errors : []
  const kept = [...errors, error].slice(-STATUS_ERRORS_KEPT)
  await bus.update({ uuid: serviceUuid }, statusUuid, { $set: { 'status.errors': kept } })
}
