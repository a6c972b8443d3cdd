// Job errors are also recorded on the user device's status device (meshblu-endo §5.5 step 7), keeping the
// last `limits.statusErrorsKept`, so the person can see what went wrong without the sender's reply.
// The service writes only to the status device it created for that user device (the status_devices
// table), never to whatever the user device's own `statusDevice` field names: a person may change that
// field, and must not make the service write into someone else's device.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Store } from '../store/database.js'
import { clipped } from '../limits.js'

export interface StatusError { senderUuid: string, date: string, metadata: { to?: unknown }, code: number, message: string }

/** Remembers the status device the service created for a user device. */
export async function rememberStatusDevice (store: Store, userUuid: string, statusUuid: string): Promise<void> {
  await store.insertInto('status_devices').values({ user_uuid: userUuid, status_uuid: statusUuid })
    .onConflict(oc => oc.column('user_uuid').doUpdateSet({ status_uuid: statusUuid })).execute()
}

/** The status device the service created for the user device, if it still exists. */
export async function statusDeviceOf (store: Store, userUuid: string): Promise<string | undefined> {
  const row = await store.selectFrom('status_devices').select('status_uuid').where('user_uuid', '=', userUuid).executeTakeFirst()
  return row?.status_uuid
}

export async function recordStatusError (bus: DeviceBus, store: Store, serviceUuid: string, userUuid: string, error: StatusError): Promise<void> {
  const statusUuid = await statusDeviceOf(store, userUuid)
  if (statusUuid === undefined) return
  const status = await bus.registry.get(statusUuid)
  if (status === undefined) return
  const max = bus.limits.clientStringMaxChars
  // `to` is the sender's respondTo, any JSON: kept only when it is a short string
  const to = typeof error.metadata.to === 'string' && error.metadata.to.length <= max ? error.metadata.to : undefined
  const entry: StatusError = { ...error, metadata: to === undefined ? {} : { to }, message: clipped(error.message, bus.limits.clientStringMaxChars * 4) }
  const errors = Array.isArray((status.status as { errors?: unknown })?.errors) ? (status.status as { errors: unknown[] }).errors : []
  const kept = [...errors.slice(-(bus.limits.statusErrorsKept - 1)), entry]
  await bus.update({ uuid: serviceUuid }, statusUuid, { $set: { 'status.errors': kept } })
}
