// Device bus tables.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('devices')
    .addColumn('uuid', 'text', c => c.primaryKey())
    .addColumn('document', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createTable('tokens')
    .addColumn('uuid', 'text', c => c.notNull())
    .addColumn('hashed_token', 'text', c => c.notNull())
    .addColumn('root', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('metadata', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('expires_on', 'text')
    .addPrimaryKeyConstraint('tokens_pk', ['uuid', 'hashed_token'])
    .execute()
  await db.schema.createTable('subscriptions')
    .addColumn('subscriber_uuid', 'text', c => c.notNull())
    .addColumn('emitter_uuid', 'text', c => c.notNull())
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['subscriber_uuid', 'emitter_uuid', 'type'])
    .execute()
  await db.schema.createIndex('subscriptions_by_emitter').on('subscriptions').columns(['emitter_uuid', 'type']).execute()
}
