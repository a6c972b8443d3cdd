// Who is a platform admin (config.platformAdmins, env PLATFORM_ADMINS).
// Decision: the list may hold credentials-device uuids or user-device uuids.
// - A credentials-device uuid names a person's account: every user device of that account is admitted.
//   This is the recommended form: it survives adding or revoking user devices.
// - A user-device uuid admits only jobs sent through that one user device.
// Both are safe: a user device always routes to its own credentials device (the service set up the
// subscription), so a job's parties cannot be forged by the sender.
import type { Config } from '../config.js'
import type { JobParties } from '../job-context.js'
import { OrganizationErrors } from './organization-errors.js'

export function isPlatformAdmin (config: Readonly<Config>, parties: JobParties): boolean {
  return config.platformAdmins.includes(parties.credentialsUuid) || config.platformAdmins.includes(parties.userUuid)
}

/** 403 unless the job runs for a platform admin. */
export function assertPlatformAdmin (config: Readonly<Config>, parties: JobParties, action: string): void {
  if (!isPlatformAdmin(config, parties)) throw OrganizationErrors.platformAdminRequired(action)
}
