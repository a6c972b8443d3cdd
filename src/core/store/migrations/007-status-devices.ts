// Which status device the service created for which user device. The user device's own `statusDevice`
// field is the person's to change, so the service never trusts it to decide where it writes (or what it
// unregisters). Existing pairs are taken over when the pointer, the owner and the type agree.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('status_devices')
    .addColumn('user_uuid', 'text', c => c.primaryKey())
    .addColumn('status_uuid', 'text', c => c.notNull())
    .execute()
  const devices = await db.selectFrom('devices').select(['uuid', 'document']).execute()
  const byUuid = new Map(devices.map(row => [row.uuid as string, JSON.parse(row.document as string)]))
  for (const [uuid, document] of byUuid) {
    const statusUuid = document?.statusDevice
    if (typeof statusUuid !== 'string') continue
    const status = byUuid.get(statusUuid)
    if (status?.type !== 'status-device' || status?.owner !== uuid) continue
    await db.insertInto('status_devices').values({ user_uuid: uuid, status_uuid: statusUuid }).execute()
  }
}
